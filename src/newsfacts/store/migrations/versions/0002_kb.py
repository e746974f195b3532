"""Knowledge base: canonical entities, links, blocking keys, events, stories, curation.

Spelled out with `op.create_table` so this revision stays what it was when
`newsfacts/store/kbtables.py` changes later (the migrations' `env.py` registers those
tables on the store's MetaData, so the schema check sees them).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kb_entities",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("subtype", sa.String(32)),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("code", sa.String(8)),
        sa.Column("country", sa.String(8)),
        sa.Column("merged_into", sa.String(32)),
        sa.Column("curated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_kb_entities_merged_into", "kb_entities", ["merged_into"])
    op.create_table(
        "kb_aliases",
        sa.Column("kb_id", sa.String(32), primary_key=True),
        sa.Column("alias_norm", sa.Text, primary_key=True),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),  # auto | curated | blocked
    )
    op.create_index("ix_kb_aliases_norm", "kb_aliases", ["alias_norm"])
    op.create_table(
        "kb_keys",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("kb_id", sa.String(32), primary_key=True),
    )
    op.create_index("ix_kb_keys_kb_id", "kb_keys", ["kb_id"])
    op.create_table(
        "kb_features",
        sa.Column("kb_id", sa.String(32), primary_key=True),
        sa.Column("feature", sa.String(255), primary_key=True),
        sa.Column("n", sa.Integer, nullable=False),
    )
    op.create_table(
        "kb_links",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("local_id", sa.String(32), primary_key=True),
        sa.Column("kb_id", sa.String(32), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),  # linked | new | ambiguous
        sa.Column("evidence", sa.Text, nullable=False),  # JSON: why
        sa.Column("candidates", sa.Text, nullable=False),  # JSON: [[kb_id, score], ...]
    )
    op.create_index("ix_kb_links_kb_id", "kb_links", ["kb_id"])
    op.create_index("ix_kb_links_status", "kb_links", ["status"])
    op.create_table(
        "kb_events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.Column("period", sa.String(10)),
    )
    op.create_index("ix_kb_events_key", "kb_events", ["key"])
    op.create_index("ix_kb_events_type", "kb_events", ["type"])
    op.create_table(
        "kb_event_sources",
        sa.Column("event_id", sa.String(32), nullable=False),
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    )
    op.create_index("ix_kb_event_sources_event", "kb_event_sources", ["event_id"])
    op.create_table(
        "kb_event_entities",
        sa.Column("event_id", sa.String(32), primary_key=True),
        sa.Column("kb_id", sa.String(32), primary_key=True),
        sa.Column("role", sa.String(64), primary_key=True),
    )
    op.create_index("ix_kb_event_entities_kb", "kb_event_entities", ["kb_id"])
    op.create_table(
        "kb_stories",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("story_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_kb_stories_story", "kb_stories", ["story_id"])
    op.create_table(
        "kb_articles",
        sa.Column("article_id", sa.String(64), primary_key=True),
        sa.Column("extractor_version", sa.String(64), nullable=False),
        sa.Column("linked_at", sa.String(32), nullable=False),
    )
    op.create_table(
        "kb_curation",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("args", sa.Text, nullable=False),  # JSON
        sa.Column("before", sa.Text, nullable=False),  # JSON before-image of touched rows
        sa.Column("touched", sa.Text, nullable=False),  # JSON list of kb ids
        sa.Column("undone", sa.Integer, nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_table("kb_curation")
    op.drop_table("kb_articles")
    op.drop_table("kb_stories")
    op.drop_table("kb_event_entities")
    op.drop_table("kb_event_sources")
    op.drop_table("kb_events")
    op.drop_table("kb_links")
    op.drop_table("kb_features")
    op.drop_table("kb_keys")
    op.drop_table("kb_aliases")
    op.drop_table("kb_entities")
