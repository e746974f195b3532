"""`text_runs` without its foreign key to `articles` (issue 13).

A bulk load writes ~820 `text_runs` rows an article; on PostgreSQL the foreign key's
check, a trigger per row, tripled the COPY (measured 5.5 s against 2.0 s for 246,000
rows on the shared test server). Deleting an article now deletes its text runs
explicitly (`Store.delete_article`), which the cascade did before; rows are only
ever written for articles inserted in the same transaction (`store.shown`).
SQLite has no ALTER for constraints: the table is rebuilt there.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _rebuild_sqlite(with_fk: bool) -> None:
    ref = " REFERENCES articles (id) ON DELETE CASCADE" if with_fk else ""
    op.execute("DROP INDEX IF EXISTS ix_text_runs_hash")
    op.execute("DROP INDEX IF EXISTS ix_text_runs_article")
    op.execute("ALTER TABLE text_runs RENAME TO text_runs_old")
    op.execute(
        f"CREATE TABLE text_runs (hash BIGINT NOT NULL, article_id VARCHAR(64) NOT NULL{ref})"
    )
    op.execute(
        "INSERT INTO text_runs (hash, article_id) SELECT hash, article_id FROM text_runs_old"
    )
    op.execute("DROP TABLE text_runs_old")
    op.create_index("ix_text_runs_hash", "text_runs", ["hash"])
    op.create_index("ix_text_runs_article", "text_runs", ["article_id"])


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite(with_fk=False)
        return
    for fk in sa.inspect(bind).get_foreign_keys("text_runs"):
        op.drop_constraint(fk["name"], "text_runs", type_="foreignkey")


def downgrade() -> None:
    bind = op.get_bind()
    op.execute("DELETE FROM text_runs WHERE article_id NOT IN (SELECT id FROM articles)")
    if bind.dialect.name == "sqlite":
        _rebuild_sqlite(with_fk=True)
        return
    op.create_foreign_key(None, "text_runs", "articles", ["article_id"], ["id"], ondelete="CASCADE")
