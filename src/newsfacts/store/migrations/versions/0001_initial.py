"""Initial schema: articles, entities, mentions, facts, evidence, links, LSH keys,
permissions, and the backend's full-text index.

Spelled out with `op.create_table` rather than `metadata.create_all` so this revision
stays what it was when later revisions change `schema.py`.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("source", sa.String(255)),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.String(32)),
        sa.Column("language", sa.String(8), nullable=False, server_default="ru"),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("policy", sa.Text, nullable=False),
        sa.Column("repairs", sa.Text, nullable=False),
        sa.Column("extractor_version", sa.String(64), nullable=False, server_default=""),
        sa.Column("ingested_at", sa.String(32), nullable=False),
        sa.Column("duplicate_of", sa.String(64)),
        sa.Column("origin", sa.Text),
    )
    op.create_index("ix_articles_source", "articles", ["source"])
    op.create_index("ix_articles_published", "articles", ["published"])
    op.create_index("ix_articles_duplicate_of", "articles", ["duplicate_of"])

    op.create_table(
        "entities",
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("local_id", sa.String(32), primary_key=True),
        sa.Column("entity_key", sa.Text, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("subtype", sa.String(32)),
        sa.Column("code", sa.String(8)),
        sa.Column("country", sa.String(8)),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("name_norm", sa.Text, nullable=False),
        sa.Column("aliases", sa.Text, nullable=False),
    )
    op.create_index("ix_entities_entity_key", "entities", ["entity_key"])
    op.create_index("ix_entities_name_norm", "entities", ["name_norm"])

    op.create_table(
        "mentions",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("local_id", sa.String(32), nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id", "local_id"],
            ["entities.article_id", "entities.local_id"],
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_mentions_entity", "mentions", ["article_id", "local_id"])

    op.create_table(
        "facts",
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("args_text", sa.Text, nullable=False),
        sa.Column("modality", sa.String(32)),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("extractor", sa.String(64)),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("period_start", sa.String(10)),
        sa.Column("period_end", sa.String(10)),
    )
    op.create_index("ix_facts_type", "facts", ["type"])
    op.create_index("ix_facts_period", "facts", ["period_start", "period_end"])

    op.create_table(
        "evidence",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("n", sa.Integer, nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id", "seq"], ["facts.article_id", "facts.seq"], ondelete="CASCADE"
        ),
    )
    op.create_index("ix_evidence_fact", "evidence", ["article_id", "seq"])

    op.create_table(
        "fact_entities",
        sa.Column("article_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("local_id", sa.String(32), nullable=False),
        sa.Column("entity_key", sa.Text, nullable=False),
        sa.Column("country", sa.String(8)),
        sa.ForeignKeyConstraint(
            ["article_id", "seq"], ["facts.article_id", "facts.seq"], ondelete="CASCADE"
        ),
    )
    op.create_index("ix_fact_entities_fact", "fact_entities", ["article_id", "seq"])
    op.create_index("ix_fact_entities_entity_key", "fact_entities", ["entity_key"])
    op.create_index("ix_fact_entities_country", "fact_entities", ["country"])

    op.create_table(
        "lsh_keys",
        sa.Column("key", sa.String(128), primary_key=True),
        sa.Column(
            "article_id",
            sa.String(64),
            sa.ForeignKey("articles.id", ondelete="CASCADE"),
            primary_key=True,
        ),
    )
    op.create_index("ix_lsh_keys_article", "lsh_keys", ["article_id"])

    op.create_table(
        "permissions",
        sa.Column("source", sa.String(255), primary_key=True),
        sa.Column("granted_at", sa.String(32), nullable=False),
    )

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        # A standalone FTS5 table kept in step by Store.save inside the same
        # transaction; unicode61 with diacritics removed folds "ё" into "е".
        op.execute(
            "CREATE VIRTUAL TABLE articles_fts USING fts5("
            "article_id UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif dialect == "postgresql":
        # The Russian snowball configuration stems both the text and the query, so
        # "Досаевым" finds "Досаев"; the title weighs more than the body.
        op.execute(
            "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('russian', coalesce(title, '')), 'A') || "
            "setweight(to_tsvector('russian', text), 'B')) STORED"
        )
        op.execute("CREATE INDEX ix_articles_tsv ON articles USING GIN (tsv)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS articles_fts")
    for table in (
        "permissions",
        "lsh_keys",
        "fact_entities",
        "evidence",
        "facts",
        "mentions",
        "entities",
        "articles",
    ):
        op.drop_table(table)
