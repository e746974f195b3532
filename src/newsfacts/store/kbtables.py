"""The knowledge-base tables, defined on the store's MetaData.

They belong to the store's schema (created by migration 0002, checked against the
database with the rest by the migrations' `env.py`), so the store and its migrations
are complete without importing `newsfacts.kb`, which reads and writes them from the
layer above (`newsfacts.kb.tables` names them there). They sit next to the
per-article tables but only ever point at them by (article_id, local_id) or
(article_id, seq): the store may replace an article's extraction at any time, and
the linker then relinks that article alone.

Why the shapes look like this:
- canonical ids are short strings derived from the first mention that created the
  entity, so rebuilding the KB from the same store gives the same ids;
- `kb_keys` holds blocking keys ("per:досаев", "loc:KZ", "org:еаэс"): linking one
  entity reads only the candidates sharing a key, so its cost does not grow with
  the store, only with how common the name is;
- `kb_features` holds each canonical entity's context (co-occurring entities,
  posts) as counted rows, so context scoring reads a handful of indexed rows;
- curation is a log with before-images (`kb_curation`), so every decision can be
  undone and replayed, and curated aliases are rows the linker trusts first.
"""

from __future__ import annotations

import sqlalchemy as sa

from newsfacts.store.schema import metadata

kb_entities = sa.Table(
    "kb_entities",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("subtype", sa.String(32)),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("code", sa.String(8)),
    sa.Column("country", sa.String(8)),
    sa.Column("merged_into", sa.String(32)),
    sa.Column("curated", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Index("ix_kb_entities_merged_into", "merged_into"),
)

kb_aliases = sa.Table(
    "kb_aliases",
    metadata,
    sa.Column("kb_id", sa.String(32), primary_key=True),
    sa.Column("alias_norm", sa.Text, primary_key=True),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("origin", sa.String(16), nullable=False),  # auto | curated | blocked
    sa.Index("ix_kb_aliases_norm", "alias_norm"),
)

kb_keys = sa.Table(
    "kb_keys",
    metadata,
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("kb_id", sa.String(32), primary_key=True),
    sa.Index("ix_kb_keys_kb_id", "kb_id"),
)

kb_features = sa.Table(
    "kb_features",
    metadata,
    sa.Column("kb_id", sa.String(32), primary_key=True),
    sa.Column("feature", sa.String(255), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
)

kb_links = sa.Table(
    "kb_links",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("local_id", sa.String(32), primary_key=True),
    sa.Column("kb_id", sa.String(32), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # linked | new | ambiguous
    sa.Column("evidence", sa.Text, nullable=False),  # JSON: why
    sa.Column("candidates", sa.Text, nullable=False),  # JSON: [[kb_id, score], ...]
    sa.Column("published", sa.String(32)),  # the article's date, for windowed reads (0003)
    sa.Index("ix_kb_links_kb_id", "kb_id"),
    sa.Index("ix_kb_links_kb_published", "kb_id", "published"),
    sa.Index("ix_kb_links_status", "status"),
)

kb_events = sa.Table(
    "kb_events",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("key", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("label", sa.Text, nullable=False),
    sa.Column("period", sa.String(10)),
    sa.Index("ix_kb_events_key", "key"),
    sa.Index("ix_kb_events_type", "type"),
)

kb_event_sources = sa.Table(
    "kb_event_sources",
    metadata,
    sa.Column("event_id", sa.String(32), nullable=False),
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("published", sa.String(32)),  # the article's date, for windowed reads (0004)
    sa.Index("ix_kb_event_sources_event", "event_id"),
    sa.Index("ix_kb_event_sources_event_published", "event_id", "published"),
)

kb_event_entities = sa.Table(
    "kb_event_entities",
    metadata,
    sa.Column("event_id", sa.String(32), primary_key=True),
    sa.Column("kb_id", sa.String(32), primary_key=True),
    sa.Column("role", sa.String(64), primary_key=True),
    sa.Index("ix_kb_event_entities_kb", "kb_id"),
)

# Per-event counts and figures kept at write time (`kb.event_stats`, migration 0015):
# reading them counted every source of an event on each entity page and dossier.
kb_event_stats = sa.Table(
    "kb_event_stats",
    metadata,
    sa.Column("event_id", sa.String(32), primary_key=True),
    sa.Column("n_sources", sa.Integer, nullable=False),
    sa.Column("n_articles", sa.Integer, nullable=False),
    sa.Column("n_independent", sa.Integer, nullable=False),
    sa.Column("figures", sa.Text),  # JSON list of a figure event's values; NULL otherwise
)

# Events whose stats a write may have changed (insert-only, so store writers never
# wait on each other's row locks); `kb.event_stats.refresh_stale` recomputes and clears.
kb_event_stale = sa.Table(
    "kb_event_stale",
    metadata,
    sa.Column("event_id", sa.String(32), nullable=False),
    sa.Index("ix_kb_event_stale_event", "event_id"),
)

kb_stories = sa.Table(
    "kb_stories",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("story_id", sa.String(64), nullable=False),
    sa.Index("ix_kb_stories_story", "story_id"),
)

kb_articles = sa.Table(
    "kb_articles",
    metadata,
    sa.Column("article_id", sa.String(64), primary_key=True),
    sa.Column("extractor_version", sa.String(64), nullable=False),
    sa.Column("linked_at", sa.String(32), nullable=False),
)

kb_curation = sa.Table(
    "kb_curation",
    metadata,
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("args", sa.Text, nullable=False),  # JSON
    sa.Column("before", sa.Text, nullable=False),  # JSON before-image of touched rows
    sa.Column("touched", sa.Text, nullable=False),  # JSON list of kb ids
    sa.Column("undone", sa.Integer, nullable=False, server_default="0"),
)

KB_TABLES = (
    kb_entities,
    kb_aliases,
    kb_keys,
    kb_features,
    kb_links,
    kb_events,
    kb_event_sources,
    kb_event_entities,
    kb_event_stats,
    kb_event_stale,
    kb_stories,
    kb_articles,
    kb_curation,
)
