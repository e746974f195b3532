"""Merged events as a whole: every source, counts and the figures reported.

`events` builds and indexes the events at link time; this is the read side the KB
export uses (`describe`, all sources of each event) and the queries that find an
entity's events. Pages and the API read bounded lists through `event_reads`.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.events import FIGURE_TOLERANCE
from newsfacts.kb.tables import kb_entities, kb_event_entities, kb_event_sources, kb_events
from newsfacts.store.schema import articles, facts


def source_facts(event_ids: list[str], *columns: Any) -> sa.Select:
    """Each source of the events, joined to its article and to the fact it reports.

    Selects event_id, article_id and `columns` (of `articles`, `facts` or the sources).
    """
    return (
        sa.select(kb_event_sources.c.event_id, kb_event_sources.c.article_id, *columns)
        .join(articles, articles.c.id == kb_event_sources.c.article_id)
        .join(
            facts,
            sa.and_(
                facts.c.article_id == kb_event_sources.c.article_id,
                facts.c.seq == kb_event_sources.c.seq,
            ),
        )
        .where(kb_event_sources.c.event_id.in_(event_ids))
    )


def source_rows(event_ids: list[str]) -> sa.Select[Any]:
    """The columns a listed source shows (outlet, URL, date, duplicate link, the
    fact's args and confidence), for the full and the bounded descriptions."""
    return source_facts(
        event_ids,
        kb_event_sources.c.seq,
        articles.c.source,
        articles.c.url,
        articles.c.published,
        articles.c.duplicate_of,
        facts.c.args,
        facts.c.confidence,
    )


SOURCE_ARGS = ("value", "unit", "qualifier", "phase", "position")  # a source's figure args
SOURCE_COLS = ("article_id", "seq", "source", "url", "published", "duplicate_of", "args")


def source_item(row: tuple[Any, ...]) -> tuple[str, dict[str, Any]]:
    """(event id, the source as `describe` lists it) from a row of `source_rows`'
    columns in that order (event_id, SOURCE_COLS, confidence)."""
    item = dict(zip((*SOURCE_COLS, "confidence"), row[1:], strict=True))
    args = json.loads(item.pop("args"))
    item.update({k: args[k] for k in SOURCE_ARGS if k in args})
    return row[0], item


def event_heads(conn: Connection, event_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each event's row and entities, sources still empty: the part the full
    `describe` and the bounded one (`event_reads.describe_bounded`) share."""
    out: dict[str, dict[str, Any]] = {}
    for r in conn.execute(sa.select(kb_events).where(kb_events.c.id.in_(event_ids))):
        out[r.id] = {
            "id": r.id,
            "type": r.type,
            "label": r.label,
            "period": r.period,
            "entities": [],
            "sources": [],
        }
    ent_rows = conn.execute(
        sa.select(
            kb_event_entities.c.event_id,
            kb_event_entities.c.role,
            kb_entities.c.id,
            kb_entities.c.name,
        )
        .join(kb_entities, kb_entities.c.id == kb_event_entities.c.kb_id)
        .where(kb_event_entities.c.event_id.in_(event_ids))
        .order_by(kb_event_entities.c.role, kb_entities.c.id)
    )
    for r in ent_rows:
        out[r.event_id]["entities"].append({"kb_id": r.id, "name": r.name, "role": r.role})
    return out


def describe(conn: Connection, event_ids: list[str]) -> list[dict[str, Any]]:
    """Events with entities, sources, source counts and (for figures) the values reported."""
    if not event_ids:
        return []
    out = event_heads(conn, event_ids)
    src_rows = conn.execute(
        source_rows(event_ids).order_by(
            articles.c.published, kb_event_sources.c.article_id, kb_event_sources.c.seq
        )
    )
    for r in src_rows:
        args = json.loads(r.args)
        item = {
            "article_id": r.article_id,
            "seq": r.seq,
            "source": r.source,
            "url": r.url,
            "published": r.published,
            "duplicate_of": r.duplicate_of,
            "confidence": r.confidence,
        }
        for k in ("value", "unit", "qualifier", "phase", "position"):
            if k in args:
                item[k] = args[k]
        out[r.event_id]["sources"].append(item)
    for event in out.values():
        _summarise(event)
    return [out[e] for e in event_ids if e in out]


def _summarise(event: dict[str, Any]) -> None:
    """Independent sources = distinct outlets among articles that are not near-duplicates."""
    sources = event["sources"]
    articles_seen = {s["article_id"] for s in sources}
    outlets = {s["source"] or s["article_id"] for s in sources if not s["duplicate_of"]}
    event["n_articles"] = len(articles_seen)
    event["n_independent"] = len(outlets)
    if event["type"] == "quantity":
        values: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for s in sources:
            if isinstance(s.get("value"), (int, float)):
                values[_figure(s["value"], s.get("qualifier"))].append(s)
        event["values"] = [
            {
                "value": group[0]["value"],
                "unit": group[0].get("unit"),
                "qualifier": group[0].get("qualifier"),
                "sources": sorted({g["source"] or g["article_id"] for g in group}),
                "articles": sorted({g["article_id"] for g in group}),
            }
            for group in values.values()
        ]
        event["conflict"] = len(event["values"]) > 1


def _figure(value: float, qualifier: str | None) -> str:
    """Values within FIGURE_TOLERANCE share a bucket (13.5 млн and 13 500 000 agree)."""
    if value == 0:
        return f"0|{qualifier}"
    import math

    bucket = round(math.log(abs(value)) / math.log1p(FIGURE_TOLERANCE))
    return f"{bucket}|{qualifier or 'eq'}"


def _events_query(kb_ids: list[str] | None, fact_type: str | None) -> sa.Select[Any]:
    query = sa.select(kb_events.c.id)
    if kb_ids is not None:
        # The entity's events from its (kb_id) index, then each by primary key: as a
        # correlated EXISTS, SQLite scanned every event and probed each (1.3 ms of
        # an entity page at 200k, growing with the KB; 0.06-0.2 ms this way).
        query = query.where(
            kb_events.c.id.in_(
                sa.select(kb_event_entities.c.event_id).where(kb_event_entities.c.kb_id.in_(kb_ids))
            )
        )
    if fact_type:
        query = query.where(kb_events.c.type == fact_type)
    return query


def event_ids_for(
    conn: Connection,
    kb_ids: list[str] | None,
    fact_type: str | None,
    limit: int,
    offset: int = 0,
) -> list[str]:
    query = _events_query(kb_ids, fact_type).order_by(
        kb_events.c.period.desc().nulls_last(), kb_events.c.id
    )
    return [r.id for r in conn.execute(query.limit(limit).offset(offset))]


def count_events(conn: Connection, kb_ids: list[str] | None, fact_type: str | None) -> int:
    """How many events `event_ids_for` pages through (the API reports a total)."""
    sub = _events_query(kb_ids, fact_type).subquery()
    return int(conn.execute(sa.select(sa.func.count()).select_from(sub)).scalar_one())
