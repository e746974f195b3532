"""KB links carry their article's date, indexed with the canonical id, so story
clustering reads an entity's articles within a time window by an index range scan
instead of scanning every link of a popular entity.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("kb_links", sa.Column("published", sa.String(32)))
    op.create_index("ix_kb_links_kb_published", "kb_links", ["kb_id", "published"])
    op.execute(
        "UPDATE kb_links SET published = "
        "(SELECT articles.published FROM articles WHERE articles.id = kb_links.article_id)"
    )


def downgrade() -> None:
    op.drop_index("ix_kb_links_kb_published", table_name="kb_links")
    op.drop_column("kb_links", "published")
