"""Rows built from a record before any transaction opens, and the checks on them.

Validation and row building happen outside the transaction so that bad data (a
span outside the text, args that are not JSON, a value too long for its column)
fails the same clear way on both backends before anything is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from typing import Any

import sqlalchemy as sa

from newsfacts.model import Entity, Record
from newsfacts.store.base import StoreError
from newsfacts.store.keys import entity_key, fold, period_bounds
from newsfacts.store.schema import (
    entities,
    evidence,
    fact_entities,
    facts,
    mentions,
)

MAX_TEXT_CHARS = 500_000  # measured: 500k chars of 60k distinct words index fine on PG


def _validate(record: Record) -> None:
    """Refuse records that would store nonsense, with a one-line reason."""
    art = record.article
    if not isinstance(art.id, str) or not art.id:
        raise StoreError("article has no id")
    if not isinstance(art.text, str):
        raise StoreError(f"article {art.id}: text is not a string")
    for name in ("text", "title", "url", "source"):
        value = getattr(art, name)
        if isinstance(value, str) and "\x00" in value:
            raise StoreError(f"article {art.id}: {name} contains NUL characters")
    n = len(art.text)
    if n > MAX_TEXT_CHARS:
        raise StoreError(
            f"article {art.id}: text of {n} characters is over the {MAX_TEXT_CHARS} the "
            "full-text index takes (PostgreSQL caps a tsvector at 1 MB)"
        )

    def check_span(span: Sequence[int], where: str) -> None:
        if len(span) != 2:
            raise StoreError(f"article {art.id}: {where}: span {span!r} is not [start, end]")
        start, end = span
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= n):
            raise StoreError(f"article {art.id}: {where}: span {span!r} outside text of {n}")

    seen: set[str] = set()
    for ent in record.entities:
        if not ent.id or ent.id in seen:
            raise StoreError(f"article {art.id}: entity id {ent.id!r} empty or repeated")
        seen.add(ent.id)
        if not ent.type or not isinstance(ent.name, str) or not ent.name.strip():
            raise StoreError(f"article {art.id}: entity {ent.id} lacks a type or a name")
        for span in ent.mentions:
            check_span(span, f"entity {ent.id}")
    for i, fact in enumerate(record.facts):
        if not fact.type or not isinstance(fact.args, dict):
            raise StoreError(f"article {art.id}: fact {i} lacks a type or args")
        for span in fact.evidence:
            check_span(span, f"fact {i} ({fact.type})")


def _check_fit(table: sa.Table, rows: Sequence[dict[str, Any]], aid: str) -> None:
    """Refuse values PostgreSQL would reject mid-transaction (too long for their
    column, or holding NUL), so both backends fail the same clear way up front."""
    limits = {
        c.name: c.type.length
        for c in table.c
        if isinstance(c.type, sa.String) and c.type.length is not None
    }
    for row in rows:
        for name, value in row.items():
            if not isinstance(value, str):
                continue
            if "\x00" in value:
                raise StoreError(f"article {aid}: {table.name}.{name} contains NUL characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate from a bad decode
                raise StoreError(
                    f"article {aid}: {table.name}.{name} is not valid Unicode ({exc.reason})"
                ) from None
            limit = limits.get(name)
            if limit is not None and len(value) > limit:
                raise StoreError(
                    f"article {aid}: {table.name}.{name} longer than {limit} characters: "
                    f"{value[:40]!r}…"
                )


def _article_values(record: Record) -> dict[str, Any]:
    art = record.article
    return {
        "id": art.id,
        "title": art.title,
        "source": art.source,
        "url": art.url,
        "published": art.published,
        "language": art.language or "ru",
        "text": art.text,
        "policy": json.dumps(asdict(art.policy), ensure_ascii=False),
        "repairs": json.dumps([asdict(r) for r in art.repairs], ensure_ascii=False),
        "extractor_version": record.extractor_version or "",
    }


def _entity_roles(args: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """Arg name → the strings in it that may be entity ids (lists and nested dicts too)."""
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in args.items():
        role = f"{prefix}{key}"
        if isinstance(value, str):
            out[role].append(value)
        elif isinstance(value, list):
            out[role].extend(v for v in value if isinstance(v, str))
        elif isinstance(value, dict):
            for sub, ids in _entity_roles(value, prefix=f"{role}.").items():
                out[sub].extend(ids)
    return out


def _string_leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, list):
        for v in value:
            yield from _string_leaves(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _string_leaves(v)


class _Rows:
    """All rows of one record, computed before the transaction opens so that bad
    data (args that are not JSON) fails before anything is written."""

    def __init__(self) -> None:
        self.entities: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.evidence: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []

    def tables(self) -> list[tuple[sa.Table, list[dict[str, Any]]]]:
        return [
            (entities, self.entities),
            (mentions, self.mentions),
            (facts, self.facts),
            (evidence, self.evidence),
            (fact_entities, self.links),
        ]

    @classmethod
    def build(cls, record: Record) -> _Rows:
        rows = cls()
        aid = record.article.id
        by_id: dict[str, Entity] = {}
        for ent in record.entities:
            by_id[ent.id] = ent
            rows.entities.append(
                {
                    "article_id": aid,
                    "local_id": ent.id,
                    "entity_key": entity_key(ent),
                    "type": ent.type,
                    "subtype": ent.subtype,
                    "code": ent.code,
                    "country": ent.country,
                    "name": ent.name,
                    "name_norm": fold(ent.name),
                    "search_norm": fold(ent.search_name) if ent.search_name else None,
                    "aliases": json.dumps(list(ent.aliases), ensure_ascii=False),
                }
            )
            for n, (start, end) in enumerate(ent.mentions):
                rows.mentions.append(
                    {"article_id": aid, "local_id": ent.id, "n": n, "start": start, "end": end}
                )
        published = period_bounds(record.article.published)
        for seq, fact in enumerate(record.facts):
            try:
                args_json = json.dumps(fact.args, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"article {aid}: fact {seq} args are not JSON: {exc}") from exc
            texts = [fact.type]
            links: set[tuple[str, str]] = set()
            for role, ids in _entity_roles(fact.args).items():
                for local in ids:
                    if local in by_id:
                        links.add((role, local))
            for leaf in _string_leaves(fact.args):
                ent = by_id.get(leaf)
                texts.append(ent.name if ent else leaf)
            bounds = (
                period_bounds(fact.args.get("period"))
                or period_bounds(fact.args.get("time"))
                or published
            )
            rows.facts.append(
                {
                    "article_id": aid,
                    "seq": seq,
                    "type": fact.type,
                    "args": args_json,
                    "args_text": fold(" | ".join(texts)),
                    "modality": fact.modality,
                    "confidence": float(fact.confidence),
                    "extractor": fact.extractor,
                    "extractor_version": record.extractor_version or "",
                    "period_start": bounds[0] if bounds else None,
                    "period_end": bounds[1] if bounds else None,
                }
            )
            for n, (start, end) in enumerate(fact.evidence):
                rows.evidence.append(
                    {"article_id": aid, "seq": seq, "n": n, "start": start, "end": end}
                )
            for role, local in sorted(links):
                ent = by_id[local]
                country = ent.code or ent.country
                rows.links.append(
                    {
                        "article_id": aid,
                        "seq": seq,
                        "role": role,
                        "local_id": local,
                        "entity_key": entity_key(ent),
                        "country": country.upper() if country else None,
                    }
                )
        return rows
