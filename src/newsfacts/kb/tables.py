"""The knowledge-base tables, as the KB modules name them.

They are defined in `newsfacts.store.kbtables`, with the rest of the store's schema:
the store's migrations and schema check need them and must not import the KB, which
sits above the store (tests/test_layers.py).
"""

from newsfacts.store.kbtables import (
    KB_TABLES,
    kb_aliases,
    kb_articles,
    kb_curation,
    kb_entities,
    kb_event_entities,
    kb_event_sources,
    kb_event_stale,
    kb_event_stats,
    kb_events,
    kb_features,
    kb_keys,
    kb_links,
    kb_stories,
)

__all__ = [
    "KB_TABLES",
    "kb_aliases",
    "kb_articles",
    "kb_curation",
    "kb_entities",
    "kb_event_entities",
    "kb_event_sources",
    "kb_event_stale",
    "kb_event_stats",
    "kb_events",
    "kb_features",
    "kb_keys",
    "kb_links",
    "kb_stories",
]
