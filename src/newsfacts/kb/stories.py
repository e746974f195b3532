"""Story clusters: articles telling the same story, whoever wrote them.

Two signals put an article into an existing story: the store's `duplicate_of` (a
syndicated copy) and topical similarity, meaning at least `MIN_SHARED` specific
canonical entities in common (people, organisations, cities — countries are too
common to tell stories apart) or a shared merged event, within `WINDOW_DAYS`.
Candidates come from the links of the article's own entities, capped per entity,
so assigning a story reads a bounded number of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.batchdata import ArticleData, read_batch
from newsfacts.kb.raw import Raw
from newsfacts.kb.tables import kb_stories

WINDOW_DAYS = 7
MIN_SHARED = 2
MIN_OVERLAP = 0.5  # shared / size of the smaller entity set
PER_ENTITY = 300  # most recent articles read per entity
UNION_TERMS = 100  # SQLite allows 500 terms in one compound SELECT


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None


def _specific_entity_sets(raw: Raw, article_ids: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    rows = raw.all_in(
        "SELECT l.article_id, l.kb_id FROM kb_links l JOIN kb_entities e ON e.id = l.kb_id"
        " WHERE l.article_id IN {in} AND (e.subtype IS NULL OR e.subtype != 'country')",
        sorted(set(article_ids)),
    )
    for article_id, kb_id in rows:
        out.setdefault(article_id, set()).add(kb_id)
    return out


def _union_rows(raw: Raw, parts: list[tuple[int, str, str]], params: list[Any]) -> list[Any]:
    """(kind, article_id) of every part, as one UNION ALL of at most UNION_TERMS
    parts per statement, each keeping its own LIMIT. A part is (kind, a limited
    SELECT of article_id, its first parameter); `params` follow that one in each."""
    out: list[Any] = []
    for i in range(0, len(parts), UNION_TERMS):
        chunk = parts[i : i + UNION_TERMS]
        sql = " UNION ALL ".join(
            f"SELECT {kind} AS kind, article_id FROM ({part}) AS p{j}"
            for j, (kind, part, _) in enumerate(chunk)
        )
        out.extend(raw.all(sql, [a for _, _, one in chunk for a in (one, *params)]))
    return out


def assign(
    conn: Connection,
    article_id: str,
    data: ArticleData | None = None,
    *,
    mine: set[str] | None = None,
    own_events: Iterable[str] | None = None,
) -> str | None:
    """Put an article into a story (merging stories it bridges); returns the story id.

    `data`: the article's rows as `sync` read them for its batch (read here if not
    given). The reads are prebuilt SQL (raw.py): this runs once per linked article.
    `sync` passes what it has just written for the article, which is not read back
    then: `mine`, its linked entities that are not countries, and `own_events`, the
    events of its sources."""
    if data is None:
        data = read_batch(conn, [article_id]).get(article_id)
    raw = Raw(conn)
    if data is None or data.has_story:
        raw.run("DELETE FROM kb_stories WHERE article_id = ?", (article_id,))
    if data is None:
        return None
    related: set[str] = set()
    if data.duplicate_of:
        related.add(data.duplicate_of)
    if mine is None:
        mine = {
            r[0]
            for r in raw.all(
                "SELECT l.kb_id FROM kb_links l JOIN kb_entities e ON e.id = l.kb_id"
                " WHERE l.article_id = ? AND (e.subtype IS NULL OR e.subtype != 'country')",
                (article_id,),
            )
        }
    day = _day(data.published)
    counts: dict[str, int] = {}
    window, bounds = "", []
    if day is not None:
        lo, hi = day - timedelta(days=WINDOW_DAYS), day + timedelta(days=WINDOW_DAYS + 1)
        window = " AND published >= ? AND published < ?"
        bounds = [lo.isoformat(), hi.isoformat()]
    if own_events is None:
        own_events = [
            r[0]
            for r in raw.all(
                "SELECT event_id FROM kb_event_sources WHERE article_id = ?", (article_id,)
            )
        ]
    # an index range scan on (kb_id, published) per entity: bounded however popular
    per_entity = (
        "SELECT article_id FROM kb_links WHERE kb_id = ? AND article_id != ?"
        f"{window} ORDER BY published DESC LIMIT {PER_ENTITY}"
    )
    # a range scan on (event_id, published) per event: a much-reported figure stays cheap
    per_event = (
        "SELECT article_id FROM kb_event_sources WHERE event_id = ? AND article_id != ?"
        f"{window} LIMIT {PER_ENTITY}"
    )
    # both in one statement: its entities' articles and its events' sources
    parts = [(0, per_entity, kb_id) for kb_id in sorted(mine)]
    parts += [(1, per_event, eid) for eid in sorted(set(own_events))]
    event_peers: set[str] = set()
    for kind, other in _union_rows(raw, parts, [article_id, *bounds]):
        if kind == 0:
            counts[other] = counts.get(other, 0) + 1
        else:
            event_peers.add(other)
    candidates = sorted({a for a, n in counts.items() if n >= MIN_SHARED} | event_peers)
    if candidates:
        meta = raw.all_in("SELECT id, published FROM articles WHERE id IN {in}", candidates)
        near = []
        for other_id, published in meta:
            other_day = _day(published)
            if day and other_day and abs(day - other_day) > timedelta(days=WINDOW_DAYS):
                continue
            if other_id in event_peers:
                related.add(other_id)
            else:
                near.append(other_id)
        entity_sets = _specific_entity_sets(raw, near)
        for other_id in near:
            theirs = entity_sets.get(other_id, set())
            shared = len(mine & theirs)
            if shared >= MIN_SHARED and shared / max(1, min(len(mine), len(theirs))) >= MIN_OVERLAP:
                related.add(other_id)
    stories: set[str] = set()
    sql = "SELECT story_id FROM kb_stories WHERE article_id IN {in}"
    stories.update(r[0] for r in raw.all_in(sql, sorted(related)))
    story = min(stories) if stories else article_id
    for other in sorted(stories - {story}):
        raw.run("UPDATE kb_stories SET story_id = ? WHERE story_id = ?", (story, other))
    raw.run("INSERT INTO kb_stories (article_id, story_id) VALUES (?, ?)", (article_id, story))
    return story


def story_members(conn: Connection, story_id: str) -> list[str]:
    rows = conn.execute(
        sa.select(kb_stories.c.article_id)
        .where(kb_stories.c.story_id == story_id)
        .order_by(kb_stories.c.article_id)
    )
    return [r.article_id for r in rows]
