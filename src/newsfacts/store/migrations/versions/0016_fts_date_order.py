"""SQLite's full-text rows renumbered in publication order (issue 13).

Article search ranks the newest matches of a query rather than all of them
(`store.fts_rank`); FTS5 finds them without a sort when the rowid carries the
publication day (`store.fts_order`). The table is rebuilt once here (about 5 s of
CPU per 20,000 articles). PostgreSQL sorts on `published` itself: nothing to do.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsfacts.store import fts_order

    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        fts_order.rekey(bind)


def downgrade() -> None:
    """The rows stay in date order: older code searches them all the same."""
