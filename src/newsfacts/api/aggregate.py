"""Quantity series, the meeting graph and the KB blocks of entity pages and dossiers.

The entity and dossier views themselves are in `api.entity_views`.

The JSON API and the HTML pages render the same dictionaries, so what an analyst
sees on a page is exactly what a client gets from `/api/...`. Every quote inside
comes from the caller's `QuoteBudget`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from newsfacts import kb
from newsfacts.api.queries import Queries
from newsfacts.kb.event_reads import MAX_SOURCES, count_sources, describe_bounded, source_page
from newsfacts.kb.link import resolve
from newsfacts.kb.tables import kb_event_sources, kb_links
from newsfacts.policy.verbatim import clip
from newsfacts.store.keys import fold
from newsfacts.store.schema import entities
from newsfacts.urls import http_url

STATEMENT_TYPES = ("intent", "proposal", "plan", "launch", "discussion")
RELATION_TYPES = ("meeting", "deal", *STATEMENT_TYPES)
MAX_ARTICLES = 200


def series_from_facts(facts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group quantity facts into one series per (indicator, unit), ordered by period."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        args = f["args"]
        value = args.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        period = args.get("period")
        period = period.get("value") if isinstance(period, dict) else period
        groups[(fold(str(args.get("indicator") or "?")), str(args.get("unit") or ""))].append(
            {
                "period": period if isinstance(period, str) else f.get("time"),
                "value": value,
                "qualifier": args.get("qualifier", "eq"),
                "article_id": f["article_id"],
                "seq": f["seq"],
            }
        )
    out = []
    for (indicator, unit), points in sorted(groups.items()):
        points.sort(key=lambda p: p["period"] or "")
        out.append({"indicator": indicator, "unit": unit, "points": points})
    return out


def quantity_series(
    queries: Queries, indicator: str | None, subject: str | None
) -> list[dict[str, Any]]:
    """Figures straight from the store (no quotes), one series per (indicator, unit,
    subjects): Kazakhstan–Indonesia trade and Kazakhstan–Italy trade are two lines."""
    groups: dict[tuple[str, str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    subjects: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for p in queries.quantity_points(indicator, subject):
        who = tuple(sorted(s["key"] for s in p["subjects"]))
        subjects.setdefault(who, sorted(p["subjects"], key=lambda s: s["key"]))
        # No article text is at hand here: an indicator is cut below one verbatim run.
        groups[(clip(fold(p["indicator"])), str(p["unit"] or ""), who)].append(
            {k: p[k] for k in ("period", "value", "qualifier", "article_id", "seq", "published")}
        )
    return [
        {"indicator": ind, "unit": unit, "subjects": subjects[who], "points": pts}
        for (ind, unit, who), pts in sorted(groups.items())
    ]


EventOf = Callable[[list[tuple[str, int]]], dict[tuple[str, int], str]]


def meeting_graph(
    queries: Queries,
    date_from: str | None,
    date_to: str | None,
    max_nodes: int = 60,
    event_of: EventOf | None = None,
    same_as: Callable[[list[str]], dict[str, str]] | None = None,
) -> dict[str, Any]:
    """Who met whom: nodes with degree, edges with how many meetings and where reported.

    With `event_of` (fact → KB merged event) a meeting several outlets report
    counts once; `reports` keeps how many facts told it. With `same_as` (store key
    → the key standing for its KB entity) «Е. Досаев» and «Ерболат Досаев» are one
    node, as the knowledge base says they are one person.
    """
    pairs = queries.meeting_pairs(date_from, date_to)
    canon = same_as(sorted({k for a, b, _, _ in pairs for k in (a, b)})) if same_as else {}
    edges: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for a, b, article_id, seq in pairs:
        a, b = sorted((canon.get(a, a), canon.get(b, b)))
        if a != b and (article_id, seq) not in edges[(a, b)]:
            edges[(a, b)].append((article_id, seq))
    merged = event_of([r for refs in edges.values() for r in refs]) if event_of else {}
    count = {e: len({merged.get(r, r) for r in refs}) for e, refs in edges.items()}
    degree: Counter[str] = Counter()
    for (a, b), n in count.items():
        degree[a] += n
        degree[b] += n
    keep = {k for k, _ in degree.most_common(max_nodes)}
    names = queries.names(sorted(keep))
    nodes = [
        {
            "key": k,
            "name": names.get(k, (k, ""))[0],
            "type": names.get(k, ("", "?"))[1],
            "degree": degree[k],
        }
        for k in sorted(keep, key=lambda k: (-degree[k], k))
    ]
    links = [
        {
            "source": a,
            "target": b,
            "count": count[(a, b)],
            "reports": len(refs),
            "facts": [{"article_id": i, "seq": s} for i, s in refs],
        }
        for (a, b), refs in sorted(edges.items())
        if a in keep and b in keep
    ]
    return {"nodes": nodes, "edges": links, "truncated": len(degree) > len(keep)}


def canonical_block(store: Any, key: str) -> dict[str, Any] | None:
    """The KB's canonical entity behind `key` (a store key, a KB id or a name).

    Pages show what the KB merged across articles (every name form, how many
    articles and local entities it links) and which links it was unsure of, so
    an analyst can judge the merge; None when the KB does not know the entity.
    """
    ent = kb.canonical_entity(store, key, evidence=False, articles=False)
    if ent is None:
        return None
    links = ent["links"]
    names = {a["alias"] for a in ent["aliases"]} | {lk["name"] for lk in links if lk["name"]}
    return {
        "id": ent["id"],
        "type": ent["type"],
        "name": ent["name"],
        # Surface forms come from article text: only short ones and the name are shown.
        "aliases": sorted({clip(n) for n in names if len(n) < 20} | {ent["name"]}, key=fold),
        # Counted over the links read (kb.canonical_entity stops at 500): exact when
        # `counts_complete`, otherwise lower bounds, which the page says.
        "n_articles": len({lk["article_id"] for lk in links}),
        "n_local": len(links),
        "counts_complete": ent["links_complete"],
        "merged": ent["merged"],
        "review": [
            {
                **{k: lk[k] for k in ("article_id", "local_id", "name", "score", "method")},
                "title": clip(lk["title"]) if lk.get("title") else lk.get("title"),
            }
            for lk in links
            if lk["status"] == "ambiguous"
        ],
    }


def merged_events(
    store: Any,
    entity: str | None = None,
    type: str | None = None,
    limit: int = 50,
    offset: int = 0,
    canonical: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Facts several articles report, merged by the KB, with their first sources.

    `canonical`: the entity's `canonical_block`, read just before (a page): its id
    and the ids merged into it are the entity's family, not looked up again.

    Each event lists its earliest `MAX_SOURCES` reports and `n_sources`, the count
    of all; `/api/events/{id}/sources` pages through the rest (issue 13: a list of
    every source grew with the store). The KB events carry no article text (only
    ids, outlets, dates and arguments), so nothing here is quoted and no
    `QuoteBudget` is spent.
    """
    family = None if canonical is None else [canonical["id"], *canonical["merged"]]
    found = kb.events(
        store,
        entity=entity,
        type=type,
        limit=limit,
        offset=offset,
        max_sources=MAX_SOURCES,
        family=family,
    )
    return [_event_json(event) for event in found]


def merged_event(store: Any, event_id: str) -> dict[str, Any] | None:
    """One merged event as `merged_events` shows it; None when the KB has no such id."""
    with store._read() as conn:
        found = describe_bounded(conn, [event_id], MAX_SOURCES)
    return _event_json(found[0]) if found else None


def event_sources(
    store: Any, event_id: str, offset: int, limit: int, total: int | None = None
) -> tuple[int, list[dict[str, Any]]] | None:
    """All reports of an event (their count) and one page of them, earliest report
    first (the order of an event's `sources`); None when the KB has no such event.
    `total`: the count when the caller has it (an event's `n_sources`), not counted
    again: counting reads every source of the event."""
    with store._read() as conn:
        if total is None:
            total = count_sources(conn, event_id)
            if total is None:
                return None
        return total, [_source_json(s) for s in source_page(conn, event_id, offset, limit)]


def _source_json(s: dict[str, Any]) -> dict[str, Any]:
    return {
        **{k: s.get(k) for k in ("article_id", "seq", "source", "published")},
        "url": http_url(s.get("url")),
    }


def _event_json(event: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": event["id"],
        "type": event["type"],
        "label": _label(event["label"]),
        "period": event["period"],
        "participants": event["entities"],
        "n_articles": event["n_articles"],
        "n_independent": event["n_independent"],
        "n_sources": event["n_sources"],
        "sources": [_source_json(s) for s in event["sources"]],
        **{k: event[k] for k in ("values", "conflict") if k in event},
    }


def _label(label: str) -> str:
    """A KB label ("intent: A, B — <phrase from the text> (2022)") with its phrase cut:
    the KB keeps no quotable set, so the phrase stays below one verbatim run."""
    head, sep, tail = label.partition(" — ")
    return f"{head}{sep}{clip(tail)}" if sep else clip(label) if ":" not in label else label


def local_key_for(store: Any, kb_id: str) -> str | None:
    """The store entity key most of a canonical entity's links carry (for KB-id URLs)."""
    ent = kb.canonical_entity(store, kb_id, evidence=False, articles=False)
    if ent is None or not ent["links"]:
        return None
    pairs = {(lk["article_id"], lk["local_id"]) for lk in ent["links"]}
    articles = sorted({a for a, _ in pairs})
    with store._read() as conn:
        rows = conn.execute(
            sa.select(entities.c.article_id, entities.c.local_id, entities.c.entity_key).where(
                entities.c.article_id.in_(articles)
            )
        ).all()
    counts = Counter(r.entity_key for r in rows if (r.article_id, r.local_id) in pairs)
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None


def event_ids_of(store: Any, refs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """The KB merged event of each (article, fact seq); facts the KB has not merged are absent."""
    src = kb_event_sources
    wanted = set(refs)
    article_ids = sorted({a for a, _ in wanted})
    out: dict[tuple[str, int], str] = {}
    with store._read() as conn:
        for i in range(0, len(article_ids), 500):  # bounded IN lists
            chunk = article_ids[i : i + 500]
            query = sa.select(src.c.article_id, src.c.seq, src.c.event_id)
            for r in conn.execute(query.where(src.c.article_id.in_(chunk))):
                if (r.article_id, r.seq) in wanted:
                    out[(r.article_id, r.seq)] = r.event_id
    return out


def same_entity_keys(store: Any, keys: list[str]) -> dict[str, str]:
    """Store key → the key that stands for its KB entity among `keys`.

    Keys whose mentions the KB linked (not merely proposed) to one canonical entity
    map to one of them: a full name before an initial («Ерболат Досаев» before
    «Е. Досаев»), then the key with more links. Keys the KB does not know map to
    themselves (they are left out).
    """
    if not keys:
        return {}
    joined = kb_links.join(
        entities,
        sa.and_(
            entities.c.article_id == kb_links.c.article_id,
            entities.c.local_id == kb_links.c.local_id,
        ),
    )
    stmt = (
        sa.select(entities.c.entity_key, kb_links.c.kb_id, sa.func.count().label("n"))
        .select_from(joined)
        .where(entities.c.entity_key.in_(keys), kb_links.c.status != "ambiguous")
        .group_by(entities.c.entity_key, kb_links.c.kb_id)
    )
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    with store._read() as conn:
        for r in conn.execute(stmt).all():
            votes[r.entity_key][resolve(conn, r.kb_id)] += int(r.n)
    members: dict[str, list[tuple[bool, int, int, str]]] = defaultdict(list)
    for key, counter in votes.items():
        kb_id, n = max(sorted(counter.items()), key=lambda kv: kv[1])
        members[kb_id].append(("." not in key, n, len(key), key))
    out = {}
    for group in members.values():
        best = max(group)[3]
        out.update({key: best for *_, key in group})
    return out
