"""Merged events for pages and the API: the first sources of each event and counts.

An event the whole press retells ("Владимир Путин, Россия — президент") has as
many sources as the store has articles about it: 980 at 20,000 articles, ten times
that at 200,000. `event_describe.describe` lists them all (the KB export wants that); a page
or an API answer listing them grew with the store (2.5 MB for one entity at 200k,
issue 13). Here an event carries its first `max_sources` sources and `n_sources`,
the count of all of them, and `source_page` pages through the rest.

Order: earliest report first (publication date, then article id and fact seq), the
order `describe` always used, so the first sources are a prefix of the full list.
An analyst checking where a merged fact comes from looks for who reported it
first; retellings follow. The rows come from the (event, published) index with a
LIMIT per event, so the sources read do not grow with the event.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.event_describe import _figure, event_heads, source_rows
from newsfacts.kb.raw import Raw
from newsfacts.kb.tables import kb_event_sources, kb_events
from newsfacts.store.schema import articles, facts

MAX_SOURCES = 5  # sources shown per event on entity pages, dossiers and /api/events
SOURCE_ARGS = ("value", "unit", "qualifier", "phase", "position")
_ORDER = (kb_event_sources.c.published, kb_event_sources.c.article_id, kb_event_sources.c.seq)


_COLS = ("article_id", "seq", "source", "url", "published", "duplicate_of", "args", "confidence")
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


def _source_item(row: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    """(event id, the source as `describe` lists it) from a `_JOINED` row."""
    item = dict(zip(_COLS, row[1:], strict=True))
    args = json.loads(item.pop("args"))
    item.update({k: args[k] for k in SOURCE_ARGS if k in args})
    return row[0], item


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
            eid, item = _source_item(row)
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


def _counts(conn: Connection, event_ids: list[str]) -> dict[str, tuple[int, int, int]]:
    """(sources, articles, independent outlets) per event, counted by the database.

    Independent = distinct outlets among articles that are not near-duplicates, an
    article without an outlet counting as its own (as `events._summarise` does)."""
    dup = sa.func.nullif(articles.c.duplicate_of, "")
    outlet = sa.func.coalesce(sa.func.nullif(articles.c.source, ""), articles.c.id)
    src = kb_event_sources.c
    query = (
        sa.select(
            src.event_id,
            sa.func.count().label("n"),
            sa.func.count(sa.distinct(src.article_id)).label("n_articles"),
            sa.func.count(sa.distinct(sa.case((dup.is_(None), outlet)))).label("n_outlets"),
        )
        .select_from(kb_event_sources.join(articles, articles.c.id == src.article_id))
        .where(
            src.event_id.in_(event_ids),
            sa.exists().where(facts.c.article_id == src.article_id, facts.c.seq == src.seq),
        )
        .group_by(src.event_id)
    )
    return {r.event_id: (r.n, r.n_articles, r.n_outlets) for r in conn.execute(query)}


def _figures(
    conn: Connection, event_ids: list[str], max_sources: int
) -> dict[str, tuple[tuple[int, int, int], list[dict[str, Any]]]]:
    """Each figure event's counts and distinct values (with their outlets and first
    articles), from one read of all its sources: the values need every report's
    arguments, so the counts come from the same rows instead of a second query."""
    query = source_rows(event_ids).order_by(kb_event_sources.c.event_id, *_ORDER)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(query):
        eid, item = _source_item(tuple(r))
        rows[eid].append(item)
    out = {}
    for eid, sources in rows.items():
        outlets = {s["source"] or s["article_id"] for s in sources if not s["duplicate_of"]}
        counts = (len(sources), len({s["article_id"] for s in sources}), len(outlets))
        by_value: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in sources:
            if isinstance(s.get("value"), (int, float)):
                by_value[_figure(s["value"], s.get("qualifier"))].append(s)
        values = []
        for group in by_value.values():
            arts = sorted({g["article_id"] for g in group})
            values.append(
                {
                    "value": group[0]["value"],
                    "unit": group[0].get("unit"),
                    "qualifier": group[0].get("qualifier"),
                    "sources": sorted({g["source"] or g["article_id"] for g in group}),
                    "articles": arts[:max_sources],
                    "n_articles": len(arts),
                }
            )
        out[eid] = (counts, values)
    return out


def describe_bounded(
    conn: Connection, event_ids: list[str], max_sources: int = MAX_SOURCES
) -> list[dict[str, Any]]:
    """`event_describe.describe` with each event's first `max_sources` sources and counts.

    Counts (`n_sources`, `n_articles`, `n_independent`) and figure values are over
    every source, as before; only the listed sources are cut."""
    if not event_ids:
        return []
    out = event_heads(conn, event_ids)
    figures = [e for e, event in out.items() if event["type"] == "quantity"]
    figured = _figures(conn, figures, max_sources) if figures else {}
    others = [e for e in out if e not in figured]
    counts = {e: c for e, (c, _) in figured.items()}
    counts.update(_counts(conn, others) if others else {})
    firsts = first_sources(conn, list(out), max_sources)
    for eid, event in out.items():
        event["sources"] = firsts[eid]
        n, n_articles, n_outlets = counts.get(eid, (0, 0, 0))
        event.update(n_sources=n, n_articles=n_articles, n_independent=n_outlets)
    for eid in figures:
        out[eid]["values"] = figured[eid][1] if eid in figured else []
        out[eid]["conflict"] = len(out[eid]["values"]) > 1
    return [out[e] for e in event_ids if e in out]


def count_sources(conn: Connection, event_id: str) -> int | None:
    """How many reports `source_page` pages through; None when there is no such event."""
    found = conn.execute(sa.select(kb_events.c.id).where(kb_events.c.id == event_id)).first()
    if found is None:
        return None
    return _counts(conn, [event_id]).get(event_id, (0, 0, 0))[0]
