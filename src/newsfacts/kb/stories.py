"""Story clusters: articles telling the same story, whoever wrote them.

Two signals put an article into an existing story: the store's `duplicate_of` (a
syndicated copy) and topical similarity, meaning at least `MIN_SHARED` specific
canonical entities in common (people, organisations, cities — countries are too
common to tell stories apart) or a shared merged event, within `WINDOW_DAYS`.
Candidates come from the links of the article's own entities, capped per entity,
so assigning a story reads a bounded number of rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.tables import kb_entities, kb_event_sources, kb_links, kb_stories
from newsfacts.store.schema import articles

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


def _specific_entities(conn: Connection, article_id: str) -> set[str]:
    rows = conn.execute(
        sa.select(kb_links.c.kb_id)
        .join(kb_entities, kb_entities.c.id == kb_links.c.kb_id)
        .where(
            kb_links.c.article_id == article_id,
            sa.or_(kb_entities.c.subtype.is_(None), kb_entities.c.subtype != "country"),
        )
    )
    return {r.kb_id for r in rows}


def _specific_entity_sets(conn: Connection, article_ids: list[str]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    if not article_ids:
        return out
    rows = conn.execute(
        sa.select(kb_links.c.article_id, kb_links.c.kb_id)
        .join(kb_entities, kb_entities.c.id == kb_links.c.kb_id)
        .where(
            kb_links.c.article_id.in_(sorted(article_ids)),
            sa.or_(kb_entities.c.subtype.is_(None), kb_entities.c.subtype != "country"),
        )
    )
    for r in rows:
        out.setdefault(r.article_id, set()).add(r.kb_id)
    return out


def _union_all(conn: Connection, selects: list[sa.Select]) -> list[Any]:
    """Rows of every (limited) select, in one statement of at most UNION_TERMS parts."""
    out: list[Any] = []
    for i in range(0, len(selects), UNION_TERMS):
        parts = [sel.subquery().select() for sel in selects[i : i + UNION_TERMS]]
        out.extend(conn.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0]).all())
    return out


def assign(conn: Connection, article_id: str) -> str | None:
    """Put an article into a story (merging stories it bridges); returns the story id."""
    conn.execute(kb_stories.delete().where(kb_stories.c.article_id == article_id))
    art = conn.execute(
        sa.select(articles.c.published, articles.c.duplicate_of).where(articles.c.id == article_id)
    ).first()
    if art is None:
        return None
    related: set[str] = set()
    if art.duplicate_of:
        related.add(art.duplicate_of)
    mine = _specific_entities(conn, article_id)
    day = _day(art.published)
    counts: dict[str, int] = {}
    window = sa.true()
    if day is not None:
        lo, hi = day - timedelta(days=WINDOW_DAYS), day + timedelta(days=WINDOW_DAYS + 1)
        window = sa.and_(
            kb_links.c.published >= lo.isoformat(), kb_links.c.published < hi.isoformat()
        )
    # an index range scan on (kb_id, published) per entity: bounded however popular
    per_entity = [
        sa.select(kb_links.c.article_id)
        .where(kb_links.c.kb_id == kb_id, kb_links.c.article_id != article_id, window)
        .order_by(kb_links.c.published.desc())
        .limit(PER_ENTITY)
        for kb_id in sorted(mine)
    ]
    for r in _union_all(conn, per_entity):
        counts[r.article_id] = counts.get(r.article_id, 0) + 1
    own_events = [
        r.event_id
        for r in conn.execute(
            sa.select(kb_event_sources.c.event_id).where(
                kb_event_sources.c.article_id == article_id
            )
        )
    ]
    event_window = sa.true()
    if day is not None:
        event_window = sa.and_(
            kb_event_sources.c.published >= lo.isoformat(),
            kb_event_sources.c.published < hi.isoformat(),
        )
    # a range scan on (event_id, published) per event: a much-reported figure stays cheap
    per_event = [
        sa.select(kb_event_sources.c.article_id)
        .where(
            kb_event_sources.c.event_id == eid,
            kb_event_sources.c.article_id != article_id,
            event_window,
        )
        .limit(PER_ENTITY)
        for eid in sorted(set(own_events))
    ]
    event_peers = {r.article_id for r in _union_all(conn, per_event)}
    candidates = {a for a, n in counts.items() if n >= MIN_SHARED} | event_peers
    if candidates:
        meta = conn.execute(
            sa.select(articles.c.id, articles.c.published).where(
                articles.c.id.in_(sorted(candidates))
            )
        ).all()
        near = []
        for other in meta:
            other_day = _day(other.published)
            if day and other_day and abs(day - other_day) > timedelta(days=WINDOW_DAYS):
                continue
            if other.id in event_peers:
                related.add(other.id)
            else:
                near.append(other.id)
        entity_sets = _specific_entity_sets(conn, near)
        for other_id in near:
            theirs = entity_sets.get(other_id, set())
            shared = len(mine & theirs)
            if shared >= MIN_SHARED and shared / max(1, min(len(mine), len(theirs))) >= MIN_OVERLAP:
                related.add(other_id)
    stories = set()
    if related:
        rows = conn.execute(
            sa.select(kb_stories.c.story_id).where(kb_stories.c.article_id.in_(sorted(related)))
        )
        stories = {r.story_id for r in rows}
    story = min(stories) if stories else article_id
    for other in sorted(stories - {story}):
        conn.execute(
            kb_stories.update().where(kb_stories.c.story_id == other).values(story_id=story)
        )
    conn.execute(kb_stories.insert().values(article_id=article_id, story_id=story))
    return story


def story_members(conn: Connection, story_id: str) -> list[str]:
    rows = conn.execute(
        sa.select(kb_stories.c.article_id)
        .where(kb_stories.c.story_id == story_id)
        .order_by(kb_stories.c.article_id)
    )
    return [r.article_id for r in rows]
