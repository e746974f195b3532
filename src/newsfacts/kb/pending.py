"""Which articles `sync` has to (re)link, and which it has to forget."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.tables import kb_articles, kb_links
from newsfacts.store.schema import articles, entities, fact_entities


def pending_articles(conn: Connection, *, renamed: bool = True) -> list[str]:
    """Stored articles never linked, linked from an older extraction, or whose entity
    names changed since (names long enough to be text stored short, issue 12).

    `renamed=False` leaves the last out: it joins every link to its entity row, a
    scan of the whole store (SQLite at 200,000 articles: 2.3 s of CPU, the rest of
    the query 0.6 s; issue 13), which `warm`, a prefetch outside the `kb` lock, need not pay:
    `sync` asks again under the lock, with it."""
    changed = (
        sa.select(kb_links.c.article_id)
        .join(
            entities,
            sa.and_(
                entities.c.article_id == kb_links.c.article_id,
                entities.c.local_id == kb_links.c.local_id,
            ),
        )
        .where(entities.c.name != kb_links.c.name)
    )
    query = (
        sa.select(articles.c.id)
        .select_from(articles.outerjoin(kb_articles, kb_articles.c.article_id == articles.c.id))
        .where(
            sa.or_(
                kb_articles.c.article_id.is_(None),
                kb_articles.c.extractor_version != articles.c.extractor_version,
                *([articles.c.id.in_(changed)] if renamed else []),
            )
        )
        .order_by(articles.c.published.nulls_first(), articles.c.id)
    )
    return [r.id for r in conn.execute(query)]


def orphaned_articles(conn: Connection) -> list[str]:
    """Linked articles that are gone from the store."""
    query = (
        sa.select(kb_articles.c.article_id)
        .select_from(kb_articles.outerjoin(articles, kb_articles.c.article_id == articles.c.id))
        .where(articles.c.id.is_(None))
    )
    return [r.article_id for r in conn.execute(query)]


def fact_entity_ids(conn: Connection, article_id: str) -> dict[tuple[int, str], list[str]]:
    """(seq, role) → local ids, for the event indexer."""
    out: dict[tuple[int, str], list[str]] = {}
    rows = conn.execute(
        sa.select(fact_entities.c.seq, fact_entities.c.role, fact_entities.c.local_id).where(
            fact_entities.c.article_id == article_id
        )
    )
    for r in rows:
        out.setdefault((r.seq, r.role), []).append(r.local_id)
    return out
