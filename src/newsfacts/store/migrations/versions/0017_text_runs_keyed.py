"""`text_runs` as one B-tree keyed (hash, article_id); each article's list of hashes
in `text_run_sets` (issue 13).

A load writes ~820 `text_runs` rows an article. On SQLite the rowid table with its
hash and article indexes was three B-trees to insert into, most of a bulk save's
statements' cost; a WITHOUT ROWID table keyed (hash, article_id) is one (on
PostgreSQL the same key is the primary key, the heap and one index instead of two).
The article index served two things, now done by `text_run_sets` (one row an
article, `store.textruns`): deleting an article's rows (by key, from the hashes it
lists) and telling the articles that have rows from those without (`store.unseen`,
the pass's catch-up of a process stopped before it). Rows are copied as they are
(once each); each article that has rows gets its list from them.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Iterator

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_BATCH = 1000  # articles' lists per insert


def _lists(bind: sa.engine.Connection) -> Iterator[list[dict[str, object]]]:
    """Each article's hashes from the rows, read in article order."""
    from newsfacts.store.textruns import pack

    query = "SELECT article_id, hash FROM text_runs ORDER BY article_id"
    stream = {"stream_results": True, "yield_per": 100_000}  # this statement only
    rows = bind.exec_driver_sql(query, execution_options=stream)
    batch: list[dict[str, object]] = []
    current: str | None = None
    found: set[int] = set()
    for aid, h in rows:
        if aid != current:
            if current is not None:
                batch.append({"article_id": current, "hashes": pack(found)})
            if len(batch) >= _BATCH:
                yield batch
                batch = []
            current, found = aid, set()
        found.add(int(h))
    if current is not None:
        batch.append({"article_id": current, "hashes": pack(found)})
    if batch:
        yield batch


def upgrade() -> None:
    bind = op.get_bind()
    if sa.inspect(bind).has_table("text_run_sets"):
        # A store created by newer code and stamped back (tests do): the lists are
        # built again from the rows, the truth they describe.
        op.drop_table("text_run_sets")
    sets = op.create_table(
        "text_run_sets",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("hashes", sa.LargeBinary, nullable=False),
    )
    for batch in _lists(bind):
        op.bulk_insert(sets, batch)
    op.execute("DROP INDEX IF EXISTS ix_text_runs_hash")  # absent there too
    op.execute("DROP INDEX IF EXISTS ix_text_runs_article")
    op.rename_table("text_runs", "text_runs_old")
    op.create_table(
        "text_runs",
        sa.Column("hash", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("article_id", sa.String(64), primary_key=True),
        sqlite_with_rowid=False,
    )
    op.execute(
        "INSERT INTO text_runs (hash, article_id) SELECT DISTINCT hash, article_id"
        " FROM text_runs_old ORDER BY hash, article_id"
    )
    op.drop_table("text_runs_old")


def downgrade() -> None:
    op.rename_table("text_runs", "text_runs_new")
    op.create_table(
        "text_runs",
        sa.Column("hash", sa.BigInteger, nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
    )
    op.execute(
        "INSERT INTO text_runs (hash, article_id) SELECT hash, article_id FROM text_runs_new"
    )
    op.drop_table("text_runs_new")
    op.create_index("ix_text_runs_hash", "text_runs", ["hash"])
    op.create_index("ix_text_runs_article", "text_runs", ["article_id"])
    op.drop_table("text_run_sets")
