"""KB event sources carry their article's date, indexed with the event id, so story
clustering reads the co-reporting articles of a much-reported event (a yearly trade
figure) within a time window by an index range scan.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_event_sources", sa.Column("published", sa.String(32)))
    op.create_index(
        "ix_kb_event_sources_event_published", "kb_event_sources", ["event_id", "published"]
    )
    op.execute(
        "UPDATE kb_event_sources SET published = (SELECT articles.published FROM articles "
        "WHERE articles.id = kb_event_sources.article_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_kb_event_sources_event_published", table_name="kb_event_sources")
    op.drop_column("kb_event_sources", "published")
