"""Mark what of the KB a store write changes: merged events, for `kb.event_stats`,
and articles to relink (`relink_articles`).

An event's counts and figures (`kb_event_stats`) are over its sources whose article
and fact are stored, with each article's outlet and duplicate link: a store write
that deletes or replaces an article's facts, inserts an article or changes its
duplicate link changes them without touching the KB's tables. The store cannot
recompute them (figures are the KB's business, and the layers depend one way), so
it notes the events in `kb_event_stale`, in the same transaction; the KB reads
those events live until its next `sync` recomputes them. Insert-only: parallel
loaders never wait on each other's rows, and a fresh article (no event sources
yet) costs one index probe per batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_CHUNK = 500  # article ids per IN (...)
# The KB's tables (created by migrations 0002 and 0015, defined in `kb.tables`; the
# store layer names only the columns it reads and writes).
_sources = sa.table("kb_event_sources", sa.column("event_id"), sa.column("article_id"))
_stale = sa.table("kb_event_stale", sa.column("event_id"))
_linked = sa.table("kb_articles", sa.column("article_id"))


def relink_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    """Note articles whose entity names the store rewrote (`WriteMixin._shorten_names`,
    issue 12) for relinking: their KB links still carry the old names. Without its
    `kb_articles` row an article is pending for `kb.sync` (which takes back its old
    links first), so `sync` need not join every link to its entity row to find it
    (a whole-store scan, issue 13)."""
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), _CHUNK):
        conn.execute(_linked.delete().where(_linked.c.article_id.in_(ids[i : i + _CHUNK])))


def mark_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    """Note every event with a source in `article_ids` as stale."""
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), _CHUNK):
        events = (
            sa.select(_sources.c.event_id)
            .where(_sources.c.article_id.in_(ids[i : i + _CHUNK]))
            .distinct()
        )
        conn.execute(_stale.insert().from_select(["event_id"], events))


def mark_duplicates_of(conn: Connection, canonical_id: str) -> None:
    """`mark_articles` for the near-duplicates of an article (whose link is changing)."""
    dups = sa.table("articles", sa.column("id"), sa.column("duplicate_of"))
    events = (
        sa.select(_sources.c.event_id)
        .where(
            _sources.c.article_id.in_(
                sa.select(dups.c.id).where(dups.c.duplicate_of == canonical_id)
            )
        )
        .distinct()
    )
    conn.execute(_stale.insert().from_select(["event_id"], events))
