"""Analysts' verdicts on facts and entity links (issue 11: curation in the UI).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verdicts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("target", sa.String(16), nullable=False),
        sa.Column("verdict", sa.String(16), nullable=False),
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("fact_type", sa.String(32)),
        sa.Column("fact_args", sa.Text),
        sa.Column("local_id", sa.String(32)),
        sa.Column("name", sa.Text),
        sa.Column("kb_id", sa.String(32)),
        sa.Column("field", sa.String(64)),
        sa.Column("value", sa.Text),
        sa.Column("note", sa.Text),
        sa.Column("undone", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_verdicts_article", "verdicts", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_verdicts_article", table_name="verdicts")
    op.drop_table("verdicts")
