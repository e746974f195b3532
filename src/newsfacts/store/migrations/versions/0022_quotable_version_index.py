"""An index on `quotable.version`, so opening a store finds stale sets without a scan.

`Store.open` asks whether any article lacks a set, or has one chosen by an older
`policy.quotable.VERSION`, before anything else: that question read every article
and every set, 1.4-1.7 s at 200,000 articles, on every open of every command and
every `serve` worker (issue 13). Now it compares two counts and reads the oldest
version from this index (`store.quotable.missing_sets`).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_quotable_version", "quotable", ["version"], if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_quotable_version", table_name="quotable")
