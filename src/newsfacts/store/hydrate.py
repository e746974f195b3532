"""Fact rows turned into the dicts the API shows, and the shared fact filters."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.base import _bounds, _natural
from newsfacts.store.rows import _entity_roles
from newsfacts.store.schema import (
    articles,
    entities,
    evidence,
    fact_entities,
    facts,
)

_ARTICLE_COLS = (
    articles.c.url.label("a_url"),
    articles.c.title.label("a_title"),
    articles.c.published.label("a_published"),
    articles.c.source.label("a_source"),
    articles.c.policy.label("a_policy"),
)


def _linked(key: str, role: str | None = None, *, column: str = "entity_key") -> Any:
    """The fact involves the entity `key` (in `role`, if given).

    Written as `(article_id, seq) IN (SELECT ...)` rather than a correlated EXISTS:
    SQLite then reads the few matching links through the key's index once,
    instead of probing an index of a common value (country "KZ") for every fact.
    """
    sub = sa.select(fact_entities.c.article_id, fact_entities.c.seq).where(
        fact_entities.c[column] == key
    )
    if role is not None:
        sub = sub.where(fact_entities.c.role == role)
    return sa.tuple_(facts.c.article_id, facts.c.seq).in_(sub)


def _fact_filters(
    type: str | None,
    entity_key: str | None,
    country: str | None,
    period_from: str | None,
    period_to: str | None,
) -> list[Any]:
    where: list[Any] = []
    if type:
        where.append(facts.c.type == type)
    if entity_key:
        where.append(_linked(entity_key))
    if country:
        where.append(_linked(country.strip().upper(), column="country"))
    if period_from:
        where.append(facts.c.period_end >= _bounds(period_from, "period_from")[0])
    if period_to:
        where.append(facts.c.period_start <= _bounds(period_to, "period_to")[1])
    return where


def _display_names(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The most frequent stored name for each entity key."""
    if not keys:
        return {}
    rows = conn.execute(
        sa.select(entities.c.entity_key, entities.c.name, sa.func.count().label("n"))
        .where(entities.c.entity_key.in_(list(keys)))
        .group_by(entities.c.entity_key, entities.c.name)
    )
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        current = best.get(r.entity_key)
        if current is None or (r.n, r.name) > current:
            best[r.entity_key] = (r.n, r.name)
    return {k: v[1] for k, v in best.items()}


def _article_card(row: Any) -> dict[str, Any]:
    return {
        "id": row.article_id,
        "url": row.a_url,
        "title": row.a_title,
        "published": row.a_published,
        "source": row.a_source,
        "policy": json.loads(row.a_policy),
    }


def _hydrate(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Fact rows → dicts with evidence, entity names and the article card."""
    if not rows:
        return []
    aids = sorted({r.article_id for r in rows})
    wanted = {(r.article_id, r.seq) for r in rows}
    spans: dict[tuple[str, int], list[list[int]]] = defaultdict(list)
    names: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for chunk_start in range(0, len(aids), 500):
        chunk = aids[chunk_start : chunk_start + 500]
        for e in conn.execute(
            sa.select(evidence)
            .where(evidence.c.article_id.in_(chunk))
            .order_by(evidence.c.article_id, evidence.c.seq, evidence.c.n)
        ):
            if (e.article_id, e.seq) in wanted:
                spans[(e.article_id, e.seq)].append([e.start, e.end])
        for ent in conn.execute(
            sa.select(
                entities.c.article_id,
                entities.c.local_id,
                entities.c.name,
                entities.c.type,
                entities.c.entity_key,
            ).where(entities.c.article_id.in_(chunk))
        ):
            names[ent.article_id][ent.local_id] = {
                "name": ent.name,
                "type": ent.type,
                "entity_key": ent.entity_key,
            }
    cards: dict[str, dict[str, Any]] = {}
    out = []
    for r in rows:
        args = json.loads(r.args)
        local = names.get(r.article_id, {})
        card = cards.get(r.article_id)
        if card is None:
            card = cards[r.article_id] = _article_card(r)
        used = {i for ids in _entity_roles(args).values() for i in ids if i in local}
        out.append(
            {
                "id": f"{r.article_id}:{r.seq}",
                "article_id": r.article_id,
                "seq": r.seq,
                "type": r.type,
                "args": args,
                "args_named": _name_args(args, local),
                "entities": {i: local[i] for i in sorted(used, key=_natural)},
                "modality": r.modality,
                "confidence": r.confidence,
                "extractor": r.extractor,
                "extractor_version": r.extractor_version,
                "period": [r.period_start, r.period_end] if r.period_start else None,
                "evidence": spans.get((r.article_id, r.seq), []),
                "article": dict(card),
            }
        )
    return out


def _name_args(value: Any, local: dict[str, dict[str, Any]]) -> Any:
    """Args with entity ids replaced by names, for people and templates."""
    if isinstance(value, str):
        return local[value]["name"] if value in local else value
    if isinstance(value, list):
        return [_name_args(v, local) for v in value]
    if isinstance(value, dict):
        return {k: _name_args(v, local) for k, v in value.items()}
    return value


def _position(fact: dict[str, Any]) -> dict[str, Any]:
    args = fact["args"]
    where_id = args.get("where")
    where = fact["entities"].get(where_id) if isinstance(where_id, str) else None
    return {
        "position": args.get("position"),
        "where": where["name"] if where else where_id,
        "where_key": where["entity_key"] if where else None,
        "phase": args.get("phase"),
        "article_id": fact["article_id"],
        "url": fact["article"]["url"],
        "title": fact["article"]["title"],
        "published": fact["article"]["published"],
        "evidence": fact["evidence"],
    }
