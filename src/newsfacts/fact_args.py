"""Fact arguments as readers see them: entity ids resolved to references, phrases capped.

Why a module of its own, outside `api`: the API, the pages and the exports all turn a
fact's arguments into the same JSON, and `export` sits below `api` (the API serves
exports); keeping these helpers in `api.present` made `export` import `api`, which
imports `export` back. `api.present` builds on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from newsfacts.model import Article, Entity, Fact, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.verbatim import clip
from newsfacts.store.keys import entity_key


def entity_json(entity: Entity) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": entity.id,
        "key": entity_key(entity),
        "type": entity.type,
        "name": entity.name,
    }
    for attr in ("subtype", "code", "country"):
        value = getattr(entity, attr)
        if value is not None:
            out[attr] = value
    return out


# Fact args are extracted phrases ("создание центра креативных индустрий"). One
# copied from the text is shown as is only inside the quotable set, else as lemmas
# or cut (`QuoteBudget.shown`); this cap bounds any phrase.
MAX_ARG_CHARS = 160


def resolve_args(record: Record, value: Any, budget: QuoteBudget | None = None) -> Any:
    """Entity ids ("E3") in fact args become {id, key, name, type} references.

    Without a `budget` (callers that show no article text) phrases are cut below
    one verbatim run."""
    return _resolve(value, entities_by_id(record), record.article, budget)


def entities_by_id(record: Record) -> dict[str, Entity]:
    """The record's entities by id, the first of an id as `Record.entity` finds it:
    a card looks up each of its strings, and `Record.entity` scanned the list for
    each (~4,000 scans a dossier, issue 13)."""
    out: dict[str, Entity] = {}
    for ent in record.entities:
        out.setdefault(ent.id, ent)
    return out


def _resolve(
    value: Any, ents: dict[str, Entity], article: Article, budget: QuoteBudget | None
) -> Any:
    if isinstance(value, str):
        ent = ents.get(value)
        if ent is not None:
            return entity_json(ent)
        if len(value) > MAX_ARG_CHARS:
            value = value[:MAX_ARG_CHARS].rstrip() + "…"
        if budget is None:
            return clip(value)
        return budget.shown(article, value)
    if isinstance(value, list):
        return [_resolve(v, ents, article, budget) for v in value]
    if isinstance(value, dict):
        return {
            k: _resolve(v, ents, article, budget) if k != "value" else v for k, v in value.items()
        }
    return value


def arg_strings(record: Record, value: Any) -> Iterator[str]:
    """The phrases of `value` (a fact's args) as `resolve_args` shows them through
    `QuoteBudget.shown`: entity ids left out, long phrases capped."""
    return _strings(value, entities_by_id(record))


def _strings(value: Any, ents: dict[str, Entity]) -> Iterator[str]:
    if isinstance(value, str):
        if value not in ents:
            yield value if len(value) <= MAX_ARG_CHARS else value[:MAX_ARG_CHARS].rstrip() + "…"
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, ents)
    elif isinstance(value, dict):
        for k, v in value.items():
            if k != "value":
                yield from _strings(v, ents)


def prefetch_args(budget: QuoteBudget, facts: Iterable[tuple[Record, Fact]]) -> None:
    """Before a page or an export shows `facts`, let the budget look up at once the
    few arguments it must check on other stored texts (`QuoteBudget.prefetch_shown`:
    a few reads per page instead of some per argument, issue 13)."""
    budget.prefetch_shown(_arg_pairs(facts))


def _arg_pairs(facts: Iterable[tuple[Record, Fact]]) -> Iterator[tuple[Article, str]]:
    """(article, phrase) of each fact's arguments, each record's entities indexed once."""
    # by id(), each record kept with its index so that no other takes its id meanwhile
    indexed: dict[int, tuple[Record, dict[str, Entity]]] = {}
    for record, fact in facts:
        found = indexed.get(id(record))
        if found is None:
            found = indexed[id(record)] = (record, entities_by_id(record))
        for s in _strings(fact.args, found[1]):
            yield record.article, s


def record_facts(records: Iterable[Record]) -> Iterator[tuple[Record, Fact]]:
    """Every (record, fact) of `records`, for `prefetch_args`."""
    return ((r, f) for r in records for f in r.facts)


def ref_facts(
    records: dict[str, Record], refs: Iterable[tuple[str, int]]
) -> Iterator[tuple[Record, Fact]]:
    """The (record, fact) of each (article_id, seq) a page lists, for `prefetch_args`."""
    for article_id, seq in refs:
        record = records.get(article_id)
        if record is not None and seq < len(record.facts):
            yield record, record.facts[seq]


def fact_entities(record: Record, fact: Fact) -> list[dict[str, Any]]:
    """Every entity a fact names, with the argument it fills."""
    out: list[dict[str, Any]] = []
    for role, value in fact.args.items():
        for item in value if isinstance(value, list) else [value]:
            ent = record.entity(item) if isinstance(item, str) else None
            if ent is not None:
                out.append({"role": role, **entity_json(ent)})
    return out
