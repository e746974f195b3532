"""What the quotable sets show, and where each run of text occurs (issue 12).

The cross-article pass of the quotable sets must know, for any store size, (a) which
runs of an article's text other articles' sets and entity names already show, and
(b) which stored texts a candidate piece would reveal. Holding every run of every
text in memory does not scale (355 MB for 500 texts), so both live in tables of
64-bit run hashes (`store.shown`, filled by the cross-article pass; quotable VERSION 3
makes older stores rebuild on open):

- `shown_runs`: every countable run (`policy.verbatim.windows`) of what each
  article's set shows ('p') and of its entity names long enough to be text ('n');
- `text_runs`: the countable runs of each text (12-character runs, and 20-character
  ones holding none strictly inside), looked up by hash in one indexed IN per
  chunk: an FTS5 trigram phrase query per run measured ~0.5-1.2 ms, too slow for
  the thousands of runs of an article.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if sa.inspect(op.get_bind()).has_table("shown_runs"):
        return  # a store someone set back to an older revision by hand keeps its tables
    for name, kind in (("shown_runs", True), ("text_runs", False)):
        cols = [
            sa.Column("hash", sa.BigInteger, nullable=False),
            sa.Column(
                "article_id",
                sa.String(64),
                sa.ForeignKey("articles.id", ondelete="CASCADE"),
                nullable=False,
            ),
        ]
        if kind:
            cols.append(sa.Column("kind", sa.String(1), nullable=False))
        op.create_table(name, *cols)
        op.create_index(f"ix_{name}_hash", name, ["hash"])
        op.create_index(f"ix_{name}_article", name, ["article_id"])


def downgrade() -> None:
    op.drop_table("text_runs")
    op.drop_table("shown_runs")
