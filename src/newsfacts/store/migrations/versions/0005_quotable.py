"""Each article's quotable set (issue 12): the spans of its text that may ever be shown.

Existing articles get their set (and their effective policy) from
`Store.rebuild_quotable`, which `Store.open` runs after this migration: the set is
chosen by Python code (`policy.choose.choose`) that a migration should not import.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quotable",
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("allowance", sa.Integer),
        sa.Column("pieces", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quotable")
