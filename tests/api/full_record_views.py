"""The entity and dossier views as they were before the narrow fact index (issue 13):
built from whole records. Kept as the reference the new views must equal."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from newsfacts.api.aggregate import MAX_ARTICLES, RELATION_TYPES, STATEMENT_TYPES, series_from_facts
from newsfacts.api.entity_views import summary_json
from newsfacts.api.present import article_meta, entity_json, fact_json
from newsfacts.api.queries import Queries
from newsfacts.model import Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.store.keys import entity_key

LoadRecord = Callable[[str], Record | None]
LoadRecords = Callable[[list[str]], dict[str, Record]]


def _ids_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for item in value for v in _ids_in(item)]
    return []


def _fact_time(record: Record, args: dict[str, Any]) -> str | None:
    for name in ("time", "period"):
        value = args.get(name)
        if isinstance(value, dict):
            value = value.get("value") if value.get("resolved", True) else None
        if isinstance(value, str) and value[:4].isdigit():
            return value
    return record.article.published


def _roles(record: Record, local_ids: set[str], seq: int) -> list[str]:
    fact = record.facts[seq]
    return [role for role, value in fact.args.items() if local_ids & set(_ids_in(value))]


def _mention_spans(record: Record) -> list[tuple[int, int, str]]:
    """(start, end, local id) of every mention, flattened once per record."""
    return [(ms, me, e.id) for e in record.entities for ms, me in e.mentions]


def _evidence_mentions(
    record: Record, seq: int, mentions: list[tuple[int, int, str]] | None = None
) -> set[str]:
    """Local ids of entities mentioned inside the fact's evidence spans.

    Pass `_mention_spans(record)` when asking for every fact of a record: a
    per-mention `any(...)` generator was a third of a large dossier's time."""
    flat = _mention_spans(record) if mentions is None else mentions
    return {
        eid
        for s, end in record.facts[seq].evidence
        for ms, me, eid in flat
        if s <= ms and me <= end
    }


def _records(
    ids: Iterable[str], load: LoadRecord, load_many: LoadRecords | None = None
) -> list[Record]:
    wanted = list(ids)
    if load_many is not None:
        found = load_many(wanted)
        out = [found.get(i) for i in wanted]
    else:
        out = [load(i) for i in wanted]
    return sorted(
        (r for r in out if r is not None),
        key=lambda r: (r.article.published or "", r.article.id),
    )


def entity_view(
    key: str,
    queries: Queries,
    load: LoadRecord,
    budget: QuoteBudget,
    load_many: LoadRecords | None = None,
) -> dict[str, Any] | None:
    """An entity across articles: names, posts over time, meetings, statements, sources."""
    summary = queries.entity(key)
    if summary is None:
        return None
    positions: list[dict[str, Any]] = []
    meetings: list[dict[str, Any]] = []
    statements: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    other: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    records = _records((summary.first_articles or [])[:MAX_ARTICLES], load, load_many)
    for record in records:
        local = {e.id for e in record.entities if entity_key(e) == key}
        sources.append(article_meta(record.article, budget))
        for seq, fact in enumerate(record.facts):
            roles = _roles(record, local, seq)
            if not roles:
                continue
            item = fact_json(record, seq, budget)
            item["roles"] = roles
            item["time"] = _fact_time(record, fact.args)
            if fact.type == "occupation":
                positions.append(item)
            elif fact.type == "meeting":
                item["with"] = [
                    p
                    for p in item["args"].get("participants", [])
                    if isinstance(p, dict) and p["key"] != key
                ]
                meetings.append(item)
            elif fact.type in STATEMENT_TYPES:
                statements.append(item)
            elif fact.type == "quantity":
                figures.append(item)
            else:
                other.append(item)
    for group in (positions, meetings, statements, figures, other):
        group.sort(key=lambda f: (f["time"] or "", f["article_id"], f["seq"]))
    return {
        "entity": summary_json(summary, records, key, budget),
        "positions": positions,
        "meetings": meetings,
        "statements": statements,
        "figures": figures,
        "other_facts": other,
        "sources": sources,
    }


def dossier_view(
    key: str,
    queries: Queries,
    load: LoadRecord,
    budget: QuoteBudget,
    load_many: LoadRecords | None = None,
) -> dict[str, Any] | None:
    """A country or city: its relations with other places, reported figures, timeline.

    A fact belongs to the place when it names the place as an argument or mentions
    it inside its evidence ("встретился с послами Италии и Индонезии"); the other
    places in the same fact become its relations.
    """
    summary = queries.entity(key)
    if summary is None or summary.type != "location":
        return None
    relations: dict[str, Counter[str]] = defaultdict(Counter)
    relation_names: dict[str, dict[str, Any]] = {}
    timeline: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    records = _records((summary.first_articles or [])[:MAX_ARTICLES], load, load_many)
    for record in records:
        local = {e.id for e in record.entities if entity_key(e) == key}
        mentions = _mention_spans(record)
        for seq, fact in enumerate(record.facts):
            named = {i for v in fact.args.values() for i in _ids_in(v)}
            seen = _evidence_mentions(record, seq, mentions)
            if not local & (named | seen):
                continue
            item = fact_json(record, seq, budget)
            item["time"] = _fact_time(record, fact.args)
            item["title"] = budget.title(record.article)
            timeline.append(item)
            if fact.type == "quantity":
                # The quote is already in the timeline; a second copy would count twice.
                figures.append({k: v for k, v in item.items() if k != "evidence"})
            if fact.type not in RELATION_TYPES:
                continue
            for local_id in sorted((named | seen) - local):  # was set order: arbitrary
                ent = record.entity(local_id)
                if ent is None or ent.type != "location":
                    continue
                other = entity_key(ent)
                if other == key:
                    continue
                relations[other][fact.type] += 1
                relation_names.setdefault(other, entity_json(ent))
    timeline.sort(key=lambda f: (f["time"] or "", f["article_id"], f["seq"]))
    related = sorted(
        (
            {**relation_names[k], "counts": dict(c), "total": sum(c.values())}
            for k, c in relations.items()
        ),
        key=lambda r: (-r["total"], r["name"]),
    )
    return {
        "entity": summary_json(summary, records, key, budget),
        "relations": related,
        "figures": figures,
        "series": series_from_facts(figures),
        "timeline": timeline,
    }
