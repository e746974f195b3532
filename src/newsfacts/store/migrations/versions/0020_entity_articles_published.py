"""`entity_articles` carries its article's date, indexed (entity_key, published DESC,
article_id), so an entity page reads the key's newest 200 articles as one index
range with a LIMIT (issue 13).

Entity pages and dossiers read at most 200 of a key's articles. They were the first
200 by id, and ids are content hashes: for «Путин» (thousands of articles) an
arbitrary sample. The newest by publication date (undated last, then id) is what
`Store.get_entity` already shows; sorting a key's rows by the article's date at
read time would join every one of them to `articles` (80,000 for «Россия» at
200,000 articles). `store.keysummary` writes the date with each row from then on;
here every row takes its article's.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_INDEX = "ix_entity_articles_newest"


def upgrade() -> None:
    bind = op.get_bind()
    pg = bind.dialect.name == "postgresql"
    columns = {c["name"] for c in sa.inspect(bind).get_columns("entity_articles")}
    # A store created by newer code and stamped back (tests do) has the column.
    op.execute(f"DROP INDEX IF EXISTS {_INDEX}")
    if "published" not in columns:
        op.add_column("entity_articles", sa.Column("published", sa.String(32)))
    op.execute(
        "UPDATE entity_articles SET published = articles.published FROM articles "
        "WHERE articles.id = entity_articles.article_id "
        "AND entity_articles.published IS DISTINCT FROM articles.published"
    )
    # SQLite sorts NULL last in DESC and takes no NULLS LAST in an index.
    order = "published DESC NULLS LAST" if pg else "published DESC"
    op.execute(f"CREATE INDEX {_INDEX} ON entity_articles (entity_key, {order}, article_id)")


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="entity_articles")
    op.drop_column("entity_articles", "published")
