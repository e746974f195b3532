"""Events and stories of a batch of first links, with a few reads for the batch.

`sync` used to index an article's events and find its story right after linking
it: one "which of these events exist" read and one to four story reads per article
(its entities' and events' other articles, their dates, their entity sets, their
stories), each a round trip on PostgreSQL under the `kb` lock (issue 13). For a
batch of articles linked for the first time (`fresh`: nothing of theirs to take
back, no link verdicts) `sync` now links every article first, then hands the batch
here, which gives each article exactly what the interleaved order gave it:

- linking never reads events or stories, so linking first changes no link; what an
  article's events and story took from the view right after its linking (linked
  entities' names and subtypes) is taken then (`Linked`) and used here;
- the events' existence is read once for the whole batch, then each article is
  indexed in order sharing the "exists" map, as before;
- the story reads run for the whole batch at once, leaving out the rows of the
  batch's *later* articles (not written yet in the interleaved order): each part
  asks that many more rows than its limit, so the limit still counts the rows the
  article would have seen; stories are then assigned in order from memory (the
  stories stored before the batch, read once, and those assigned since), writing
  the same statements in the same order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Connection

from newsfacts.kb.batchdata import ArticleData
from newsfacts.kb.events import EventRows, event_id, event_key, index_in_batch
from newsfacts.kb.raw import Raw
from newsfacts.kb.stories import (
    MIN_OVERLAP,
    MIN_SHARED,
    PER_ENTITY,
    UNION_TERMS,
    WINDOW_DAYS,
    _day,
    _specific_entity_sets,
)


@dataclass
class Linked:
    """What an article's events and story need of its linking, taken right after it."""

    links: dict[str, str]  # local id → kb id
    names: dict[str, str]  # kb id → name, as the view had it then
    mine: set[str] = field(default_factory=set)  # its linked entities, countries left out


def events_and_stories(
    conn: Connection, order: list[str], batch: dict[str, ArticleData], linked: dict[str, Linked]
) -> None:
    """Index the events and assign the stories of `order` (fresh articles, all linked
    already, in linking order) as if each had been done right after its linking."""
    stored = _existing_events(conn, order, batch, linked)
    own: dict[str, list[str]] = {}
    rows = EventRows()  # the batch's events, written at once before the story reads
    for aid in order:
        got = linked[aid]
        names: Callable[[list[str]], dict[str, str]] = lambda ids, n=got.names: {  # noqa: E731
            i: n[i] for i in ids if i in n
        }
        own[aid] = index_in_batch(
            conn, aid, got.links, batch[aid], names=names, stored=stored, queue=rows
        )
    rows.write(Raw(conn))
    _assign_stories(conn, order, batch, linked, own)


def _existing_events(
    conn: Connection, order: list[str], batch: dict[str, ArticleData], linked: dict[str, Linked]
) -> dict[str, bool]:
    """Event id → stored before the batch, for every event the batch's facts key to."""
    eids: set[str] = set()
    for aid in order:
        data = batch[aid]
        for _, type_, raw_args, wrong in data.facts:
            if wrong:
                continue
            keyed = event_key(type_, json.loads(raw_args), linked[aid].links, data.published)
            if keyed is not None:
                eids.add(event_id(keyed[0]))
    ids = sorted(eids)
    found = {r[0] for r in Raw(conn).all_in("SELECT id FROM kb_events WHERE id IN {in}", ids)}
    return {eid: eid in found for eid in ids}


def _assign_stories(
    conn: Connection,
    order: list[str],
    batch: dict[str, ArticleData],
    linked: dict[str, Linked],
    own: dict[str, list[str]],
) -> None:
    raw = Raw(conn)
    pos = {aid: i for i, aid in enumerate(order)}
    seen = _peers(raw, order, batch, linked, own, pos)
    days = {aid: _day(batch[aid].published) for aid in order}
    published = _published(
        raw, sorted({o for counts, peers in seen.values() for o in (*counts, *peers)})
    )
    related: dict[str, set[str]] = {}
    near: dict[str, list[str]] = {}
    for aid in order:
        counts, peers = seen[aid]
        related[aid] = {batch[aid].duplicate_of} if batch[aid].duplicate_of else set()
        near[aid] = []
        day = days[aid]
        candidates = sorted({a for a, n in counts.items() if n >= MIN_SHARED} | peers)
        for other in candidates:
            if other not in published:
                continue  # no longer stored: the per-article read found no row either
            other_day = _day(published[other])
            if day and other_day and abs(day - other_day) > timedelta(days=WINDOW_DAYS):
                continue
            if other in peers:
                related[aid].add(other)
            else:
                near[aid].append(other)
    entity_sets = _specific_entity_sets(raw, sorted({o for ids in near.values() for o in ids}))
    for aid in order:
        mine = linked[aid].mine
        for other in near[aid]:
            theirs = entity_sets.get(other, set())
            shared = len(mine & theirs)
            if shared >= MIN_SHARED and shared / max(1, min(len(mine), len(theirs))) >= MIN_OVERLAP:
                related[aid].add(other)
    # stories stored before the batch (a fresh article has none), then kept in memory
    story_of = _stories(raw, sorted({o for ids in related.values() for o in ids} - pos.keys()))
    for aid in order:
        stories = {story_of[o] for o in related[aid] if o in story_of}
        story = min(stories) if stories else aid
        for other in sorted(stories - {story}):
            raw.run("UPDATE kb_stories SET story_id = ? WHERE story_id = ?", (story, other))
            for member, sid in story_of.items():
                if sid == other:
                    story_of[member] = story
        raw.run("INSERT INTO kb_stories (article_id, story_id) VALUES (?, ?)", (aid, story))
        story_of[aid] = story


def _peers(
    raw: Raw,
    order: list[str],
    batch: dict[str, ArticleData],
    linked: dict[str, Linked],
    own: dict[str, list[str]],
    pos: dict[str, int],
) -> dict[str, tuple[dict[str, int], set[str]]]:
    """Per article: link rows per other article sharing one of its entities (the most
    recent PER_ENTITY per entity) and its events' other sources, in its window, as
    `stories.assign` reads them right after linking it: the batch's later articles
    left out, each part asking as many more rows as there are of them."""
    parts: list[tuple[str, int, str, list[Any]]] = []  # (article, kind, SQL, params)
    for aid in order:
        day = _day(batch[aid].published)
        window, bounds = "", []
        if day is not None:
            lo, hi = day - timedelta(days=WINDOW_DAYS), day + timedelta(days=WINDOW_DAYS + 1)
            window = " AND published >= ? AND published < ?"
            bounds = [lo.isoformat(), hi.isoformat()]
        limit = PER_ENTITY + len(order) - 1 - pos[aid]
        per_entity = (
            "SELECT article_id FROM kb_links WHERE kb_id = ? AND article_id != ?"
            f"{window} ORDER BY published DESC LIMIT {limit}"
        )
        per_event = (
            "SELECT article_id FROM kb_event_sources WHERE event_id = ? AND article_id != ?"
            f"{window} LIMIT {limit}"
        )
        parts += [(aid, 0, per_entity, [k, aid, *bounds]) for k in sorted(linked[aid].mine)]
        parts += [(aid, 1, per_event, [e, aid, *bounds]) for e in sorted(set(own[aid]))]
    rows: dict[int, list[str]] = {}
    for i in range(0, len(parts), UNION_TERMS):
        chunk = parts[i : i + UNION_TERMS]
        sql = " UNION ALL ".join(
            f"SELECT {i + j} AS part, article_id FROM ({part}) AS p{j}"
            for j, (_, _, part, _) in enumerate(chunk)
        )
        for part, other in raw.all(sql, [a for *_, params in chunk for a in params]):
            rows.setdefault(part, []).append(other)
    out: dict[str, tuple[dict[str, int], set[str]]] = {aid: ({}, set()) for aid in order}
    for n, (aid, kind, _, _) in enumerate(parts):
        at = pos[aid]
        # in the order the part returned them: the first PER_ENTITY not of a later article
        kept = [o for o in rows.get(n, []) if pos.get(o, -1) < at][:PER_ENTITY]
        counts, peers = out[aid]
        for other in kept:
            if kind == 0:
                counts[other] = counts.get(other, 0) + 1
            else:
                peers.add(other)
    return out


def _published(raw: Raw, ids: list[str]) -> dict[str, str | None]:
    return dict(raw.all_in("SELECT id, published FROM articles WHERE id IN {in}", ids))


def _stories(raw: Raw, ids: list[str]) -> dict[str, str]:
    return dict(
        raw.all_in("SELECT article_id, story_id FROM kb_stories WHERE article_id IN {in}", ids)
    )
