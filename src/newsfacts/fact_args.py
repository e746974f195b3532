"""Fact arguments as readers see them: entity ids resolved to references, phrases capped.

Why a module of its own, outside `api`: the API, the pages and the exports all turn a
fact's arguments into the same JSON, and `export` sits below `api` (the API serves
exports); keeping these helpers in `api.present` made `export` import `api`, which
imports `export` back. `api.present` builds on them.
"""

from __future__ import annotations

from typing import Any

from newsfacts.model import Entity, Fact, Record
from newsfacts.policy.quota import QuoteBudget
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
    if isinstance(value, str):
        ent = record.entity(value)
        if ent is not None:
            return entity_json(ent)
        if len(value) > MAX_ARG_CHARS:
            value = value[:MAX_ARG_CHARS].rstrip() + "…"
        if budget is None:
            from newsfacts.policy.verbatim import clip

            return clip(value)
        return budget.shown(record.article, value)
    if isinstance(value, list):
        return [resolve_args(record, v, budget) for v in value]
    if isinstance(value, dict):
        return {k: resolve_args(record, v, budget) if k != "value" else v for k, v in value.items()}
    return value


def fact_entities(record: Record, fact: Fact) -> list[dict[str, Any]]:
    """Every entity a fact names, with the argument it fills."""
    out: list[dict[str, Any]] = []
    for role, value in fact.args.items():
        for item in value if isinstance(value, list) else [value]:
            ent = record.entity(item) if isinstance(item, str) else None
            if ent is not None:
                out.append({"role": role, **entity_json(ent)})
    return out
