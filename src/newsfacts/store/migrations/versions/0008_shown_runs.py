"""What the quotable sets show, and a substring index of the texts (issue 12).

The cross-article pass of the quotable sets must know, for any store size, (a) which
runs of an article's text other articles' sets and entity names already show, and
(b) which stored texts a candidate piece would reveal. Holding every run of every
text in memory does not scale (355 MB for 500 texts), so:

- `shown_runs` holds a 64-bit hash of every countable run (`policy.verbatim.windows`)
  of what each article's set shows ('p') and of its entity names long enough to be
  text ('n'); filled by `store.shown` (the sets are rebuilt on open: quotable
  VERSION 3);
- a substring index of the texts finds the articles holding a run: an FTS5 table
  with the trigram tokenizer on SQLite (kept in step by triggers), a pg_trgm GIN
  index on PostgreSQL (`text LIKE '%run%'`). Where pg_trgm cannot be created the
  LIKE scans the table: still exact, only slower.

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
    if sa.inspect(op.get_bind()).has_table("shown_runs"):
        return  # a store someone set back to an older revision by hand keeps its tables
    op.create_table(
        "shown_runs",
        sa.Column("hash", sa.BigInteger, nullable=False),
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(1), nullable=False),
    )
    op.create_index("ix_shown_runs_hash", "shown_runs", ["hash"])
    op.create_index("ix_shown_runs_article", "shown_runs", ["article_id"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE articles_runs USING fts5("
            "article_id UNINDEXED, body, tokenize = 'trigram')"
        )
        op.execute("INSERT INTO articles_runs (article_id, body) SELECT id, text FROM articles")
        op.execute(
            "CREATE TRIGGER articles_runs_ai AFTER INSERT ON articles BEGIN "
            "INSERT INTO articles_runs (article_id, body) VALUES (new.id, new.text); END"
        )
        op.execute(
            "CREATE TRIGGER articles_runs_ad AFTER DELETE ON articles BEGIN "
            "DELETE FROM articles_runs WHERE article_id = old.id; END"
        )
        op.execute(
            "CREATE TRIGGER articles_runs_au AFTER UPDATE OF text ON articles "
            "WHEN new.text IS NOT old.text BEGIN "
            "DELETE FROM articles_runs WHERE article_id = old.id; "
            "INSERT INTO articles_runs (article_id, body) VALUES (new.id, new.text); END"
        )
    elif bind.dialect.name == "postgresql":
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
                bind.execute(
                    sa.text(
                        "CREATE INDEX ix_articles_text_trgm ON articles "
                        "USING GIN (text gin_trgm_ops)"
                    )
                )
        except sa.exc.DBAPIError:
            pass  # no pg_trgm here: LIKE scans, exact but slower


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("articles_runs_ai", "articles_runs_ad", "articles_runs_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS articles_runs")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_text_trgm")
    op.drop_table("shown_runs")
