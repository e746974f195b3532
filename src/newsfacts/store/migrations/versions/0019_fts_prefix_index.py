"""SQLite's article full-text index with a prefix index of 4 characters (issue 13).

Article search matches each word's stem as a prefix (`store.fts`); a short stem
such as «росс»* expands to hundreds of words whose postings FTS5 merged on every
query, twice (the matches, then bm25's document counts): 38 ms of CPU for «Россия»
at 200,000 articles, growing with the store. `prefix = '4'` indexes each word's
first 4 characters as one more term (`store.fts_order.DDL`). FTS5 cannot add it
to an existing table, so the table is built again once here, its rows and rowids
kept (`fts_order.rekey`: about 60 s of CPU per 200,000 articles; the index 1.3x
larger). Answers are unchanged. PostgreSQL: nothing to do.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsfacts.store import fts_order

    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    sql = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'"
    ).scalar()
    if sql is None or "prefix" in sql:  # revision 0016 may have built it so
        return
    if fts_order.rekey(bind) == 0:  # an empty table is not rebuilt there
        bind.exec_driver_sql("DROP TABLE articles_fts")
        bind.exec_driver_sql(fts_order.DDL)


def downgrade() -> None:
    """The prefix index stays: older code searches the table all the same."""
