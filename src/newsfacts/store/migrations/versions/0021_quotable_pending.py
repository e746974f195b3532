"""`quotable_pending`: the articles whose quotable set waits for the cross-article
pass, kept in the store rather than in the writing process's memory.

A bulk `load` or `ingest` saves each article's set chosen alone and weighs them all
against each other once, at the end (`Store.deferred_sets`). A process killed
between a batch's commit and that pass left those sets alone for good: a rerun
skips the stored articles, and the pass's list was gone with the process. Articles
sharing text could then together show more of one of them than its publisher
allows. The set's writer now notes the article here in the same transaction, the
pass deletes the note in its own, and the next deferred pass takes up what is left.
A store migrated to this revision starts with no notes: its sets were reconciled,
or were left alone before this revision (`newsfacts policy rebuild` weighs them all).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("quotable_pending"):
        return  # a store set back to an older revision by hand keeps its notes
    op.create_table(
        "quotable_pending",
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )


def downgrade() -> None:
    op.drop_table("quotable_pending")
