"""SQLite's fact trigram rows renumbered by their facts' dates (issue 13).

The search page lists the 30 newest facts whose arguments hold the query; with the
trigram index's rowid carrying each fact's day (`store.trigram`), FTS5 finds them
newest first and stops (`api.fact_order`) instead of reading every match. The
table and its triggers are built again once here (about 60 s of CPU per 850,000
facts). PostgreSQL's pg_trgm index needs nothing.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsfacts.store import trigram

    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and trigram.has_index(bind):
        trigram.drop(bind)
        trigram.create(bind)


def downgrade() -> None:
    """Back to revision 0009's rows (rowid = the fact's rowid) and triggers."""
    from newsfacts.store import trigram

    bind = op.get_bind()
    if bind.dialect.name != "sqlite" or not trigram.has_index(bind):
        return
    t = trigram.TABLE
    for name in trigram.TRIGGERS:
        bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {t}_{name}")
    bind.exec_driver_sql(f"DELETE FROM {t}")
    bind.exec_driver_sql(
        f"INSERT INTO {t}(rowid, args_text, article_id, seq) "
        "SELECT rowid, args_text, article_id, seq FROM facts"
    )
    for ddl in (
        f"CREATE TRIGGER {t}_ai AFTER INSERT ON facts BEGIN "
        f"INSERT INTO {t}(rowid, args_text, article_id, seq) "
        "VALUES (new.rowid, new.args_text, new.article_id, new.seq); END",
        f"CREATE TRIGGER {t}_ad AFTER DELETE ON facts BEGIN "
        f"DELETE FROM {t} WHERE rowid = old.rowid; END",
        f"CREATE TRIGGER {t}_au AFTER UPDATE OF args_text ON facts BEGIN "
        f"UPDATE {t} SET args_text = new.args_text WHERE rowid = old.rowid; END",
    ):
        bind.exec_driver_sql(ddl)
