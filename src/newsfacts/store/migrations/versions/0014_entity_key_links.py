"""`entity_key_links`: KB links per entity key and KB id (issue 13).

The KB entity a store key stands for is the one most of the key's linked mentions
point to; counting them joined every row of the key to its link (0.8–2.5 s for
«Россия» at 200k, twice per entity page). The counts are kept at write time by
`store.keysummary` (entity writes, and `relinking` around every KB link write);
back-filled here from every entity row and link.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from newsfacts.store import keysummary

    bind = op.get_bind()
    # Idempotent, like 0013: a store re-stamped to an older revision has the table.
    if "entity_key_links" not in set(sa.inspect(bind).get_table_names()):
        op.create_table(
            "entity_key_links",
            sa.Column("entity_key", sa.Text, primary_key=True),
            sa.Column("kb_id", sa.String(32), primary_key=True),
            sa.Column("n", sa.Integer, nullable=False),
        )
    keysummary.rebuild_links(bind)


def downgrade() -> None:
    op.drop_table("entity_key_links")
