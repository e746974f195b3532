"""The narrow fact index the entity pages and dossiers read (issue 13), backfilled.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("fact_index"):
        return  # a store someone set back to an older revision by hand keeps its index
    op.create_table(
        "fact_index",
        sa.Column("entity_key", sa.Text, nullable=False),
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("local_id", sa.String(32), nullable=False),
        sa.Column("role", sa.String(64)),
        sa.Column("fact_type", sa.String(32), nullable=False),
    )
    # Backfill with the very statements every save runs, before the indexes exist.
    from newsfacts.store.factindex import index_facts

    index_facts(op.get_bind(), None)
    op.create_index(
        "ix_fact_index_key", "fact_index", ["entity_key", "article_id", "seq", "local_id", "role"]
    )
    op.create_index("ix_fact_index_article", "fact_index", ["article_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_fact_index_article", table_name="fact_index")
    op.drop_index("ix_fact_index_key", table_name="fact_index")
    op.drop_table("fact_index")
