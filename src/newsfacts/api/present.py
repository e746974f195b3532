"""Records turned into what analysts read: entity ids resolved, text only as quotes.

The API, the pages and the exports all show facts through these functions, so the
reuse policy is applied in one place: article text appears only as `Quote`s drawn
from the caller's `QuoteBudget`, or as the full text where the budget allows it.
"""

from __future__ import annotations

from typing import Any

from newsfacts.model import Article, Entity, Fact, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.store.keys import entity_key


def article_meta(article: Article, budget: QuoteBudget) -> dict[str, Any]:
    policy = budget.policy(article)
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "link": budget.link(article),
        "published": article.published,
        "language": article.language,
        "length": len(article.text),
        "policy": {
            "max_share": policy.max_share,
            "link_required": policy.link_required,
            "full_text": policy.full_text,
            "origin": policy.origin,
        },
    }


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


# Fact args are extracted phrases ("создание центра креативных индустрий"), not
# quotes, so they do not draw on the budget; this cap keeps an extractor that
# returns a whole clause from leaking article text past it.
MAX_ARG_CHARS = 160


def resolve_args(record: Record, value: Any) -> Any:
    """Entity ids ("E3") in fact args become {id, key, name, type} references."""
    if isinstance(value, str):
        ent = record.entity(value)
        if ent is not None:
            return entity_json(ent)
        if len(value) > MAX_ARG_CHARS:
            return value[:MAX_ARG_CHARS].rstrip() + "…"
        return value
    if isinstance(value, list):
        return [resolve_args(record, v) for v in value]
    if isinstance(value, dict):
        return {k: resolve_args(record, v) if k != "value" else v for k, v in value.items()}
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


def fact_json(record: Record, seq: int, budget: QuoteBudget) -> dict[str, Any]:
    fact = record.facts[seq]
    quotes = [budget.quote(record.article, s, e) for s, e in fact.evidence]
    return {
        "article_id": record.article.id,
        "seq": seq,
        "type": fact.type,
        "args": resolve_args(record, fact.args),
        "modality": fact.modality,
        "confidence": round(float(fact.confidence), 3),
        "extractor": fact.extractor,
        "extractor_version": record.extractor_version,
        "evidence": [q.to_dict() for q in quotes if q is not None],
        "evidence_withheld": sum(q is None for q in quotes),
    }


def record_json(record: Record, budget: QuoteBudget) -> dict[str, Any]:
    """One article for the API: metadata, entities, facts with quotes, full text if allowed."""
    facts = [fact_json(record, i, budget) for i in range(len(record.facts))]
    return {
        "article": article_meta(record.article, budget),
        "text": budget.full_text(record.article),
        "entities": [
            {**entity_json(e), "aliases": list(e.aliases), "mentions": len(e.mentions)}
            for e in record.entities
        ],
        "facts": facts,
        "quoted_chars": budget.used(record.article),
        "allowed_chars": budget.allowance(record.article),
    }
