"""Export the knowledge base: JSON Lines or a property graph (nodes.csv / edges.csv).

Exports carry ids, names, scores, URLs and dates but never article text, so no
source's reuse policy can be exceeded by them: event labels keep their phrase cut
below one verbatim run and aliases long enough to be text are cut the same way, as
the API shows them (issue 12). Rows are read in pages, so an
export of a large store runs in flat memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from newsfacts.kb.event_describe import describe as describe_events
from newsfacts.kb.tables import (
    kb_aliases,
    kb_entities,
    kb_event_entities,
    kb_events,
    kb_links,
    kb_stories,
)
from newsfacts.policy.verbatim import clip, clip_phrase, is_text

PAGE = 500


def _pages(store: Any, query: sa.Select, key: sa.Column) -> Iterator[list[Any]]:
    last = None
    while True:
        q = query.order_by(key).limit(PAGE)
        if last is not None:
            q = q.where(key > last)
        with store._read() as conn:
            rows = conn.execute(q).all()
        if not rows:
            return
        yield rows
        last = getattr(rows[-1], key.name)


def iter_entities(store: Any) -> Iterator[dict[str, Any]]:
    query = sa.select(kb_entities).where(kb_entities.c.merged_into.is_(None))
    for page in _pages(store, query, kb_entities.c.id):
        ids = [r.id for r in page]
        with store._read() as conn:
            merged = conn.execute(
                sa.select(kb_entities.c.id, kb_entities.c.merged_into).where(
                    kb_entities.c.merged_into.in_(ids)
                )
            ).all()
            family = {i: [i] for i in ids}
            for m in merged:
                family[m.merged_into].append(m.id)
            every = [i for f in family.values() for i in f]
            aliases: dict[str, list[dict[str, str]]] = {}
            for a in conn.execute(
                sa.select(kb_aliases)
                .where(kb_aliases.c.kb_id.in_(ids))
                .order_by(kb_aliases.c.alias_norm)
            ):
                alias = clip(a.alias) if is_text(a.alias) else a.alias
                aliases.setdefault(a.kb_id, []).append({"alias": alias, "origin": a.origin})
            links: dict[str, list[dict[str, Any]]] = {}
            owner = {m: k for k, f in family.items() for m in f}
            for r in conn.execute(
                sa.select(kb_links)
                .where(kb_links.c.kb_id.in_(every))
                .order_by(kb_links.c.article_id, kb_links.c.local_id)
            ):
                links.setdefault(owner[r.kb_id], []).append(
                    {
                        "article_id": r.article_id,
                        "local_id": r.local_id,
                        "name": r.name,
                        "score": r.score,
                        "method": r.method,
                        "status": r.status,
                    }
                )
        for r in page:
            yield {
                "id": r.id,
                "type": r.type,
                "subtype": r.subtype,
                "name": r.name,
                "code": r.code,
                "country": r.country,
                "curated": bool(r.curated),
                "merged": family[r.id][1:],
                "aliases": aliases.get(r.id, []),
                "links": links.get(r.id, []),
            }


def iter_events(store: Any) -> Iterator[dict[str, Any]]:
    for page in _pages(store, sa.select(kb_events.c.id), kb_events.c.id):
        with store._read() as conn:
            for event in describe_events(conn, [r.id for r in page]):
                yield _without_text(event)


def _without_text(event: dict[str, Any]) -> dict[str, Any]:
    """The event as an export may carry it: phrases from the text cut below one run."""
    sources = [
        {**s, "position": clip(s["position"])}
        if isinstance(s.get("position"), str) and is_text(s["position"])
        else s
        for s in event.get("sources", [])
    ]
    return {**event, "label": clip_phrase(str(event.get("label") or "")), "sources": sources}


def export_jsonl(store: Any, out: Path) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    counts = {"entities": 0, "events": 0, "stories": 0}
    with (out / "entities.jsonl").open("w", encoding="utf-8") as fh:
        for ent in iter_entities(store):
            fh.write(json.dumps(ent, ensure_ascii=False) + "\n")
            counts["entities"] += 1
    with (out / "events.jsonl").open("w", encoding="utf-8") as fh:
        for ev in iter_events(store):
            fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
            counts["events"] += 1
    with (out / "stories.jsonl").open("w", encoding="utf-8") as fh:
        with store._read() as conn:
            rows = conn.execute(
                sa.select(kb_stories).order_by(kb_stories.c.story_id, kb_stories.c.article_id)
            ).all()
        current: dict[str, Any] | None = None
        for r in rows:
            if current is None or current["story_id"] != r.story_id:
                if current is not None and len(current["articles"]) > 1:
                    fh.write(json.dumps(current, ensure_ascii=False) + "\n")
                    counts["stories"] += 1
                current = {"story_id": r.story_id, "articles": []}
            current["articles"].append(r.article_id)
        if current is not None and len(current["articles"]) > 1:
            fh.write(json.dumps(current, ensure_ascii=False) + "\n")
            counts["stories"] += 1
    return counts


def export_graph(store: Any, out: Path) -> dict[str, int]:
    """Nodes: canonical entities and events. Edges: entity -[role]-> event, and
    person -[HOLDS position]-> place/organisation from occupation events."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {"nodes": 0, "edges": 0}
    with (out / "nodes.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "id",
                "label",
                "name",
                "subtype",
                "code",
                "country",
                "period",
                "n_articles",
                "n_independent",
            ]
        )
        for ent in iter_entities(store):
            w.writerow(
                [
                    ent["id"],
                    ent["type"],
                    ent["name"],
                    ent["subtype"] or "",
                    ent["code"] or "",
                    ent["country"] or "",
                    "",
                    len({x["article_id"] for x in ent["links"]}),
                    "",
                ]
            )
            counts["nodes"] += 1
        for ev in iter_events(store):
            w.writerow(
                [
                    ev["id"],
                    "event:" + ev["type"],
                    ev["label"],
                    "",
                    "",
                    "",
                    ev["period"] or "",
                    ev["n_articles"],
                    ev["n_independent"],
                ]
            )
            counts["nodes"] += 1
    with (out / "edges.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", "type", "role", "event"])
        query = sa.select(kb_event_entities, kb_events.c.type, kb_events.c.label).join(
            kb_events, kb_events.c.id == kb_event_entities.c.event_id
        )
        with store._read() as conn:
            rows = conn.execute(
                query.order_by(
                    kb_event_entities.c.event_id,
                    kb_event_entities.c.role,
                    kb_event_entities.c.kb_id,
                )
            ).all()
        by_event: dict[str, dict[str, list[str]]] = {}
        for r in rows:
            w.writerow([r.kb_id, r.event_id, "IN_EVENT", r.role, r.event_id])
            counts["edges"] += 1
            if r.type == "occupation":
                by_event.setdefault(r.event_id, {"label": [r.label]}).setdefault(r.role, []).append(
                    r.kb_id
                )
        for eid, roles in by_event.items():
            # labels read "occupation: who, where — post"
            post = clip_phrase(roles["label"][0]).partition(" — ")[2]
            for person in roles.get("person", []):
                for where in roles.get("where", []):
                    w.writerow([person, where, "HOLDS", post, eid])
                    counts["edges"] += 1
    return counts
