"""`kb_event_stats` and `kb_event_stale`: each merged event's counts and figures (issue 13).

An entity page or dossier counted every source of every event it shows (0.37 s of
the «Владимир Путин» page at 200k articles); the counts and figure values are kept
at write time by `kb.event_stats` instead, with `kb_event_stale` noting the events
a write changed until they are recomputed.

Not back-filled here: every existing event is noted in `kb_event_stale`, so pages
count it live from its sources (the same figures, at the speed before 0015) until
the next `kb sync` (every ingest ends with one; `newsfacts kb sync` alone does it)
recomputes them with `kb.event_stats.refresh_stale`. A revision stays what it was
when the KB's code changes later, and the store does not import the KB, which sits
above it (tests/test_layers.py).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    # Idempotent, like 0013: a store re-stamped to an older revision has the tables.
    have = set(sa.inspect(bind).get_table_names())
    if "kb_event_stats" not in have:
        op.create_table(
            "kb_event_stats",
            sa.Column("event_id", sa.String(32), primary_key=True),
            sa.Column("n_sources", sa.Integer, nullable=False),
            sa.Column("n_articles", sa.Integer, nullable=False),
            sa.Column("n_independent", sa.Integer, nullable=False),
            sa.Column("figures", sa.Text),
        )
    if "kb_event_stale" not in have:
        op.create_table("kb_event_stale", sa.Column("event_id", sa.String(32), nullable=False))
        op.create_index("ix_kb_event_stale_event", "kb_event_stale", ["event_id"])
    op.execute("INSERT INTO kb_event_stale (event_id) SELECT id FROM kb_events")


def downgrade() -> None:
    op.drop_table("kb_event_stale")
    op.drop_table("kb_event_stats")
