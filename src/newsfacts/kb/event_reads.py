"""Merged events for pages and the API: the first sources of each event and counts.

An event the whole press retells ("Владимир Путин, Россия — президент") has as
many sources as the store has articles about it: 980 at 20,000 articles, ten times
that at 200,000. `event_describe.describe` lists them all (the KB export wants that); a page
or an API answer listing them grew with the store (2.5 MB for one entity at 200k,
issue 13). Here an event carries its first `max_sources` sources and `n_sources`,
the count of all of them (kept per event by `event_stats`), and `source_page`
pages through the rest.

Order: earliest report first (publication date, then article id and fact seq), the
order `describe` always used, so the first sources are a prefix of the full list.
An analyst checking where a merged fact comes from looks for who reported it
first; retellings follow. The rows come from the (event, published) index with a
LIMIT per event, so the sources read do not grow with the event.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb import event_stats
from newsfacts.kb.event_describe import event_heads, source_item
from newsfacts.kb.event_stats import MAX_SOURCES
from newsfacts.kb.raw import Raw
from newsfacts.kb.tables import kb_events

__all__ = ["MAX_SOURCES", "count_sources", "describe_bounded", "first_sources", "source_page"]
# One page of one event's sources from the sources table alone: its (event, published)
# index, each row checked to have its article and fact stored (primary-key probes
# that read no article row), as `source_facts`' inner joins keep only those.
_PAGE = (
    "SELECT * FROM (SELECT s.event_id, s.article_id, s.seq, s.published"
    " FROM kb_event_sources s WHERE s.event_id = ?"
    " AND EXISTS (SELECT 1 FROM articles a WHERE a.id = s.article_id)"
    " AND EXISTS (SELECT 1 FROM facts f WHERE f.article_id = s.article_id AND f.seq = s.seq)"
    " ORDER BY s.published, s.article_id, s.seq LIMIT ? OFFSET ?) AS p{n}"
)
# Only the page's rows are joined to their articles and facts.
_JOINED = (
    "SELECT p.event_id, p.article_id, p.seq, a.source, a.url, a.published, a.duplicate_of,"
    " f.args, f.confidence FROM ({pages}) AS p"
    " JOIN articles a ON a.id = p.article_id"
    " JOIN facts f ON f.article_id = p.article_id AND f.seq = p.seq"
    " ORDER BY p.published, p.article_id, p.seq"
)
_GROUP = 100  # events per statement: SQLite caps a compound SELECT at 500 terms


def _pages(
    conn: Connection, event_ids: list[str], offset: int, limit: int
) -> dict[str, list[dict[str, Any]]]:
    """One page of sources per event, earliest report first: one statement per
    `_GROUP` events, a UNION ALL of one LIMIT per event (an index range each)."""
    out: dict[str, list[dict[str, Any]]] = {e: [] for e in event_ids}
    raw = Raw(conn)
    for i in range(0, len(event_ids), _GROUP):
        chunk = event_ids[i : i + _GROUP]
        pages = " UNION ALL ".join(_PAGE.format(n=n) for n in range(len(chunk)))
        params = [x for e in chunk for x in (e, limit, offset)]
        for row in raw.all(_JOINED.format(pages=pages), params):
            eid, item = source_item(row)
            out[eid].append(item)
    return out


def source_page(conn: Connection, event_id: str, offset: int, limit: int) -> list[dict[str, Any]]:
    """One page of an event's sources, earliest report first."""
    return _pages(conn, [event_id], offset, limit)[event_id]


def first_sources(
    conn: Connection, event_ids: list[str], limit: int
) -> dict[str, list[dict[str, Any]]]:
    """Each event's first `limit` sources."""
    return _pages(conn, event_ids, 0, limit)


def describe_bounded(
    conn: Connection, event_ids: list[str], max_sources: int = MAX_SOURCES
) -> list[dict[str, Any]]:
    """`event_describe.describe` with each event's first `max_sources` sources and counts.

    Counts (`n_sources`, `n_articles`, `n_independent`) and figure values are over
    every source, as before; only the listed sources are cut."""
    if not event_ids:
        return []
    out = event_heads(conn, event_ids)
    types = {e: event["type"] for e, event in out.items()}
    counts, values = event_stats.summaries(conn, types, max_sources)
    firsts = first_sources(conn, list(out), max_sources)
    for eid, event in out.items():
        event["sources"] = firsts[eid]
        n, n_articles, n_outlets = counts.get(eid, (0, 0, 0))
        event.update(n_sources=n, n_articles=n_articles, n_independent=n_outlets)
        if event["type"] == "quantity":
            event["values"] = values.get(eid, [])
            event["conflict"] = len(event["values"]) > 1
    return [out[e] for e in event_ids if e in out]


def count_sources(conn: Connection, event_id: str) -> int | None:
    """How many reports `source_page` pages through; None when there is no such event."""
    found = conn.execute(sa.select(kb_events.c.id).where(kb_events.c.id == event_id)).first()
    if found is None:
        return None
    return event_stats.n_sources(conn, event_id)
