"""Entity names pre-aggregated and a trigram index on fact arguments (issue 13).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsfacts.store import trigram
    from newsfacts.store.factindex import add_names

    bind = op.get_bind()
    if not sa.inspect(bind).has_table("entity_names"):
        op.create_table("entity_names", sa.Column("name_norm", sa.Text, primary_key=True))
        # the statement every save runs, over the whole store (no search_norm yet: 0012)
        add_names(bind, None, hidden=False)
    trigram.create(bind)  # where the backend has it; search falls back to a scan otherwise


def downgrade() -> None:
    from newsfacts.store import trigram

    trigram.drop(op.get_bind())
    op.drop_table("entity_names")
