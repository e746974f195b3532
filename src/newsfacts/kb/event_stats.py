"""Each merged event's counts and figures, kept at write time (`kb_event_stats`).

An entity page or dossier shows, for each event, how many reports, articles and
independent outlets it has and, for a figure, every distinct value reported. Read
from the sources, that counted every source of every event shown on each request:
0.37 s of the «Владимир Путин» page and 0.4 s of the RU dossier at 200,000 articles
(issue 13), growing with the store. Here they are one row per event.

Why recomputed, not incremented: the distinct counts (articles, outlets) and the
figure values (grouped within 1%, each with its sorted outlets and first articles)
cannot be taken back by a delta without the rows behind them. So a write that adds,
removes or moves sources, or changes what they count (a store write to an article:
its facts, its outlet, its duplicate link — `store.eventmarks`), notes the event in
`kb_event_stale`; `refresh_stale` recomputes the noted events, with the very
queries the pages ran before, at the end of each `sync` batch and curation. Reads
take a row only when its event is not noted; a noted event is counted live, as
before. So a page shows the same counts at every commit, whether or not the stats
were refreshed yet, and tests/kb/test_event_stats.py checks rows against a
recomputation after random writes on both backends.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.event_describe import _figure, source_item, source_rows
from newsfacts.kb.raw import in_chunks
from newsfacts.kb.tables import kb_event_sources, kb_event_stale, kb_event_stats, kb_events
from newsfacts.store.schema import articles, facts

MAX_SOURCES = 5  # sources shown per event on entity pages, dossiers and /api/events
FIGURE_ARTICLES = MAX_SOURCES  # articles kept per stored figure value
_CHUNK = 500  # event ids per IN (...)
_ORDER = (kb_event_sources.c.published, kb_event_sources.c.article_id, kb_event_sources.c.seq)
Counts = tuple[int, int, int]  # (sources, articles, independent outlets)


def live_counts(conn: Connection, event_ids: list[str]) -> dict[str, Counts]:
    """(sources, articles, independent outlets) per event, counted by the database.

    Independent = distinct outlets among articles that are not near-duplicates, an
    article without an outlet counting as its own (as `describe` does)."""
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


def live_figures(
    conn: Connection, event_ids: list[str], max_sources: int
) -> dict[str, tuple[Counts, list[dict[str, Any]]]]:
    """Each figure event's counts and distinct values (with their outlets and first
    articles), from one read of all its sources: the values need every report's
    arguments, so the counts come from the same rows instead of a second query."""
    query = source_rows(event_ids).order_by(kb_event_sources.c.event_id, *_ORDER)
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(query):
        eid, item = source_item(tuple(r))
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


def summaries(
    conn: Connection, types: dict[str, str], max_sources: int
) -> tuple[dict[str, Counts], dict[str, list[dict[str, Any]]]]:
    """Counts of the events (`types`: event id → fact type) and the values of the
    figures: stored rows where the event is not noted stale (and, for a figure, its
    rows keep as many articles as asked), counted live otherwise."""
    counts: dict[str, Counts] = {}
    values: dict[str, list[dict[str, Any]]] = {}
    st = kb_event_stats.c
    for chunk in in_chunks(list(types), _CHUNK):
        query = sa.select(st.event_id, st.n_sources, st.n_articles, st.n_independent, st.figures)
        query = query.where(
            st.event_id.in_(chunk),
            ~sa.exists().where(kb_event_stale.c.event_id == st.event_id),
        )
        for r in conn.execute(query):
            if types[r.event_id] == "quantity":
                if max_sources != FIGURE_ARTICLES or r.figures is None:
                    continue
                values[r.event_id] = json.loads(r.figures)
            counts[r.event_id] = (r.n_sources, r.n_articles, r.n_independent)
    missing = [e for e in types if e not in counts]
    figures = [e for e in missing if types[e] == "quantity"]
    others = [e for e in missing if types[e] != "quantity"]
    for eid, (c, vals) in (live_figures(conn, figures, max_sources) if figures else {}).items():
        counts[eid], values[eid] = c, vals
    counts.update(live_counts(conn, others) if others else {})
    return counts, values


def n_sources(conn: Connection, event_id: str) -> int:
    """How many reports the event has (its stored count unless it is noted stale)."""
    counts, _ = summaries(conn, {event_id: ""}, FIGURE_ARTICLES)
    return counts.get(event_id, (0, 0, 0))[0]


def mark(conn: Connection, event_ids: Iterable[str]) -> None:
    """Note events whose sources a write in this transaction added or removed."""
    rows = [{"event_id": e} for e in sorted(set(event_ids))]
    if rows:
        conn.execute(kb_event_stale.insert(), rows)


def refresh(conn: Connection, event_ids: list[str]) -> None:
    """Recompute the events' rows (dropping those of events gone) and clear their notes.

    The notes go first: on PostgreSQL a store write committing meanwhile either is
    seen by the recomputation or leaves its note behind."""
    for chunk in in_chunks(sorted(set(event_ids)), _CHUNK):
        conn.execute(kb_event_stale.delete().where(kb_event_stale.c.event_id.in_(chunk)))
        types = {
            r.id: r.type
            for r in conn.execute(
                sa.select(kb_events.c.id, kb_events.c.type).where(kb_events.c.id.in_(chunk))
            )
        }
        figures = [e for e, t in types.items() if t == "quantity"]
        others = [e for e, t in types.items() if t != "quantity"]
        counted = live_figures(conn, figures, FIGURE_ARTICLES) if figures else {}
        plain = live_counts(conn, others) if others else {}
        rows = []
        for eid in sorted(types):
            if eid in figures:
                c, vals = counted.get(eid, ((0, 0, 0), []))
                text: str | None = json.dumps(vals, ensure_ascii=False)
            else:
                c, text = plain.get(eid, (0, 0, 0)), None
            rows.append(
                {
                    "event_id": eid,
                    "n_sources": c[0],
                    "n_articles": c[1],
                    "n_independent": c[2],
                    "figures": text,
                }
            )
        conn.execute(kb_event_stats.delete().where(kb_event_stats.c.event_id.in_(chunk)))
        if rows:
            conn.execute(kb_event_stats.insert(), rows)


def refresh_stale(conn: Connection) -> int:
    """Recompute every event noted stale; returns how many."""
    ids = [r[0] for r in conn.execute(sa.select(kb_event_stale.c.event_id).distinct())]
    refresh(conn, ids)
    return len(ids)


def has_stale(conn: Connection) -> bool:
    return conn.execute(sa.select(kb_event_stale.c.event_id).limit(1)).first() is not None


def rebuild(conn: Connection) -> int:
    """Every event's row from scratch (migration 0015, replicated stores); returns
    how many events."""
    conn.execute(kb_event_stats.delete())
    conn.execute(kb_event_stale.delete())
    ids = [r[0] for r in conn.execute(sa.select(kb_events.c.id).order_by(kb_events.c.id))]
    refresh(conn, ids)
    return len(ids)
