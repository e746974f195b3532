"""The knowledge base: one world across articles.

The store keeps what each article says; the KB says which of those things are the
same across articles. It links every stored entity to a canonical entity, merges
facts reported by several articles into events, groups articles into stories and
answers questions about posts over time. Everything is derived from the store and
rebuilt incrementally by `sync`, except curators' decisions, which are kept and
replayed (see `curate.py`).

    from newsfacts import kb
    from newsfacts.store import Store

    with Store.open("news.db") as store:
        kb.sync(store)                                   # link new / re-extracted articles
        ent = kb.canonical_entity(store, "person:ерболат досаев")  # or a kb id, or a name
        ent["name"], ent["aliases"], ent["links"]        # links: article, local id, score, method
        kb.events(store, entity=ent["id"], type="meeting")   # merged events with sources
        t = kb.who_held(store, "аким", "Алматы", "2022-05-01")
        t.holder_name, t.since, t.evidence, t.conflicts
        kb.merge(store, "P1a2b…", "P3c4d…"); kb.undo(store)

Every function takes an open `Store`; reads use one connection, writes one
transaction, so the web layer can call them per request.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa

from newsfacts.kb import curate
from newsfacts.kb import link as _link
from newsfacts.kb import positions as _positions
from newsfacts.kb.batchdata import read_batch
from newsfacts.kb.batchsync import SYNC_BATCH, SyncReport, link_in, sync, warm
from newsfacts.kb.curate import CurationError
from newsfacts.kb.entity_links import first_links, titles_of
from newsfacts.kb.event_describe import count_events as _count_events
from newsfacts.kb.event_describe import describe as _describe_events
from newsfacts.kb.event_describe import event_ids_for as _event_ids_for
from newsfacts.kb.event_reads import describe_bounded
from newsfacts.kb.kbview import KBView
from newsfacts.kb.stories import story_members as _story_members
from newsfacts.kb.tables import kb_aliases, kb_entities, kb_keys, kb_links, kb_stories
from newsfacts.store.schema import entity_key_links

__all__ = [
    "SYNC_BATCH",
    "CurationError",
    "SyncReport",
    "alias_add",
    "canonical_entity",
    "events",
    "link_article",
    "merge",
    "review",
    "split",
    "stats",
    "stories",
    "sync",
    "undo",
    "warm",
    "who_held",
]


def link_article(store: Any, article_id: str) -> dict[str, str]:
    """(Re)link one article, index its events and place it in a story; local id → kb id."""
    with store._write() as conn:
        return link_in(conn, article_id, KBView(conn), read_batch(conn, [article_id]))


def _find(conn: Any, key_or_id: str) -> str | None:
    """A kb id from a kb id, a store entity_key ("person:ерболат досаев"), or a name."""
    try:
        return curate.find_entity(conn, key_or_id)
    except CurationError:
        pass
    if ":" in key_or_id:
        # Links per kb id kept at write time (`store.keysummary`), then each
        # distinct id resolved once: counting them joined every row of the key to
        # its link (0.8-2.5 s for «Россия» at 200k, issue 13).
        links = entity_key_links
        local = conn.execute(
            sa.select(links.c.kb_id, links.c.n).where(links.c.entity_key == key_or_id)
        ).all()
        survivors = _resolve_many(conn, [r.kb_id for r in local])
        counts: dict[str, int] = {}
        for r in local:
            kb_id = survivors[r.kb_id]
            counts[kb_id] = counts.get(kb_id, 0) + int(r.n)
        if counts:
            return max(sorted(counts), key=lambda k: counts[k])
    # a spelling the KB has not seen, but whose blocking key it knows ("Алма-Ата")
    for type_ in ("location", "organization"):
        keys, _ = _link.keys_for(_link.Mention(local_id="", type=type_, name=key_or_id))
        cands = _link._candidates(conn, keys, type_)
        if len(cands) == 1:
            return cands[0]["id"]
    return None


def _resolve_many(conn: Any, kb_ids: list[str]) -> dict[str, str]:
    """Each id → the entity it was merged into, as `link.resolve` does for one id,
    but one query per merge level for all ids at once."""
    target = {i: i for i in kb_ids}
    survivors: set[str] = set()
    for _ in range(64):  # a merge cycle (never written, but) stops here
        pending = {t for t in target.values() if t not in survivors}
        if not pending:
            break
        rows = conn.execute(
            sa.select(kb_entities.c.id, kb_entities.c.merged_into).where(
                kb_entities.c.id.in_(sorted(pending))
            )
        ).all()
        step = {r.id: r.merged_into for r in rows if r.merged_into is not None}
        survivors |= pending - step.keys()
        target = {k: step.get(v, v) for k, v in target.items()}
    return target


# ANALYZE counts every unmerged entity (merged_into NULL) under one index value, so
# SQLite's planner scanned all entities instead (9 ms at 7,000, three times per
# entity page, growing with the KB); the few merged rows are what the index finds.
_FAMILY = sa.text("SELECT id FROM kb_entities WHERE merged_into IN :ids").bindparams(
    sa.bindparam("ids", expanding=True)
)
_FAMILY_SQLITE = sa.text(
    "SELECT id FROM kb_entities INDEXED BY ix_kb_entities_merged_into WHERE merged_into IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))


def _family(conn: Any, kb_id: str) -> list[str]:
    """An entity and every entity merged into it (links may still name those)."""
    out, frontier = [kb_id], [kb_id]
    query = _FAMILY_SQLITE if conn.dialect.name == "sqlite" else _FAMILY
    while frontier:
        rows = conn.execute(query, {"ids": frontier}).all()
        frontier = [r.id for r in rows if r.id not in out]
        out.extend(frontier)
    return out


def canonical_entity(
    store: Any,
    key_or_id: str,
    *,
    max_links: int = 500,
    evidence: bool = True,
    articles: bool = True,
) -> dict[str, Any] | None:
    """A canonical entity with aliases, blocking keys and links (article, score, method).

    At most `max_links` links, the earliest first; `links_complete` says whether
    they are all of them (counts taken from the list are then exact, otherwise
    lower bounds: «Россия» has 63,000 links at 200,000 articles). Without
    `evidence` the links lack it: pages never show it, and parsing it for 500
    links was a third of the entity's cost (issue 13). Without `articles` a link's
    `source` is None and its `title` is read only for links on review (status
    "ambiguous"), the only ones whose title a page shows (`entity_links`)."""
    with store._read() as conn:
        kb_id = _find(conn, key_or_id)
        if kb_id is None:
            return None
        row = conn.execute(sa.select(kb_entities).where(kb_entities.c.id == kb_id)).first()
        ids = _family(conn, kb_id)
        aliases = conn.execute(
            sa.select(kb_aliases.c.alias, kb_aliases.c.origin)
            .where(kb_aliases.c.kb_id == kb_id)
            .order_by(kb_aliases.c.alias_norm)
        ).all()
        keys = conn.execute(sa.select(kb_keys.c.key).where(kb_keys.c.kb_id == kb_id)).all()
        # An index range per id, not every link; one more than shown tells whether
        # the list is complete.
        links = first_links(conn, ids, max_links + 1, articles=articles, evidence=evidence)
        complete = len(links) <= max_links
        links = links[:max_links]
        on_review = [r[0] for r in links if r[6] == "ambiguous"]  # article_id, status
        titles = None if articles else titles_of(conn, on_review)
    return {
        "id": row.id,
        "type": row.type,
        "subtype": row.subtype,
        "name": row.name,
        "code": row.code,
        "country": row.country,
        "curated": bool(row.curated),
        "merged": [i for i in ids if i != kb_id],
        "aliases": [{"alias": a.alias, "origin": a.origin} for a in aliases],
        "keys": sorted(k.key for k in keys),
        "links_complete": complete,
        # Rows unpacked as tuples: attribute access on 500 rows was half the block's
        # Python time (issue 13, seventh session).
        "links": [
            {
                "article_id": article_id,
                "local_id": local_id,
                "name": name,
                "score": score,
                "method": method,
                "status": status,
                **({"evidence": json.loads(ev)} if evidence else {}),
                "source": source,
                "published": published,
                "title": title if titles is None else titles.get(article_id),
            }
            for article_id, local_id, _, name, score, method, status, ev, _, source, published, title in links
        ],
    }


def events(
    store: Any,
    entity: str | None = None,
    type: str | None = None,
    limit: int = 200,
    offset: int = 0,
    max_sources: int | None = None,
    family: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Merged events (newest period first) with entities, sources and source counts.

    `entity` is anything `canonical_entity` accepts; `type` a fact type. Figures
    carry `values` (one per distinct value, with its sources) and `conflict`.
    `max_sources`: list only each event's first sources, plus `n_sources`
    (`event_reads.describe_bounded`); None lists every source. `family`: the
    entity's id and those merged into it, when the caller has just read them
    (`canonical_entity`'s id and `merged`): a page asks for its entity's events
    right after its canonical block, and finding the family again cost two more
    look-ups (issue 13).
    """
    with store._read() as conn:
        kb_ids = family
        if entity is not None and family is None:
            kb_id = _find(conn, entity)
            if kb_id is None:
                return []
            kb_ids = _family(conn, kb_id)
        ids = _event_ids_for(conn, kb_ids, type, limit, offset)
        if max_sources is not None:
            return describe_bounded(conn, ids, max_sources)
        return _describe_events(conn, ids)


def count_events(store: Any, entity: str | None = None, type: str | None = None) -> int:
    """How many merged events `events` would page through with the same filters."""
    with store._read() as conn:
        kb_ids = None
        if entity is not None:
            kb_id = _find(conn, entity)
            if kb_id is None:
                return 0
            kb_ids = _family(conn, kb_id)
        return _count_events(conn, kb_ids, type)


def who_held(store: Any, position: str, where: str, at_date: str) -> _positions.Tenure:
    """Who held `position` at `where` (a place/organisation name or kb id) on `at_date`."""
    with store._read() as conn:
        where_ids: list[str] = []
        kb_id = _find(conn, where)
        if kb_id is not None:
            where_ids = _family(conn, kb_id)
        obs = _positions.observations(conn, position, where_ids)
    holder, since, support = _positions.holder_at(obs, at_date)
    month_conflicts = [c for c in _positions.conflicts(obs) if c["month"] <= at_date[:7]]
    return _positions.Tenure(
        position=position,
        where=where_ids,
        at=at_date,
        holder=holder,
        holder_name=next((o.name for o in support if o.person == holder), None),
        since=since,
        evidence=support,
        conflicts=month_conflicts,
        timeline=obs,
    )


def stories(store: Any, min_size: int = 2, limit: int = 100) -> list[dict[str, Any]]:
    """Story clusters with at least `min_size` articles, largest first."""
    size = sa.func.count().label("size")
    with store._read() as conn:
        rows = conn.execute(
            sa.select(kb_stories.c.story_id, size)
            .group_by(kb_stories.c.story_id)
            .having(size >= min_size)
            .order_by(size.desc(), kb_stories.c.story_id)
            .limit(limit)
        ).all()
        return [
            {"story_id": r.story_id, "articles": _story_members(conn, r.story_id)} for r in rows
        ]


def stats(store: Any) -> dict[str, int]:
    """Counts for reports: mentions linked, canonical entities, events, multi-source events."""
    from newsfacts.kb.tables import kb_event_sources, kb_events

    with store._read() as conn:

        def scalar(query: Any) -> int:
            return int(conn.execute(query).scalar() or 0)

        multi = (
            sa.select(kb_event_sources.c.event_id)
            .group_by(kb_event_sources.c.event_id)
            .having(sa.func.count(sa.distinct(kb_event_sources.c.article_id)) > 1)
            .subquery()
        )
        stories_multi = (
            sa.select(kb_stories.c.story_id)
            .group_by(kb_stories.c.story_id)
            .having(sa.func.count() > 1)
            .subquery()
        )
        return {
            "links": scalar(sa.select(sa.func.count()).select_from(kb_links)),
            "ambiguous": scalar(
                sa.select(sa.func.count())
                .select_from(kb_links)
                .where(kb_links.c.status == "ambiguous")
            ),
            "canonical_entities": scalar(
                sa.select(sa.func.count())
                .select_from(kb_entities)
                .where(kb_entities.c.merged_into.is_(None))
            ),
            "multi_article_entities": scalar(
                sa.select(sa.func.count(sa.distinct(kb_links.c.kb_id))).where(
                    kb_links.c.kb_id.in_(
                        sa.select(kb_links.c.kb_id)
                        .group_by(kb_links.c.kb_id)
                        .having(sa.func.count(sa.distinct(kb_links.c.article_id)) > 1)
                    )
                )
            ),
            "events": scalar(sa.select(sa.func.count()).select_from(kb_events)),
            "merged_events": scalar(sa.select(sa.func.count()).select_from(multi)),
            "stories_multi": scalar(sa.select(sa.func.count()).select_from(stories_multi)),
        }


def _write(store: Any, fn: Any, *args: Any) -> dict[str, Any]:
    with store._write() as conn:
        return fn(conn, *args)


def merge(store: Any, into: str, other: str) -> dict[str, Any]:
    """Merge canonical entity `other` into `into` (ids or unambiguous names)."""
    return _write(store, curate.merge, into, other)


def split(store: Any, entity: str, alias: str) -> dict[str, Any]:
    """Move the mentions named `alias` off `entity` into a new entity."""
    return _write(store, curate.split, entity, alias)


def alias_add(store: Any, entity: str, name: str) -> dict[str, Any]:
    """Make `name` a curated alias of `entity`: the linker then always links it there."""
    return _write(store, curate.alias_add, entity, name)


def undo(store: Any) -> dict[str, Any]:
    """Undo the latest curation decision not undone yet."""
    return _write(store, curate.undo)


def review(store: Any, limit: int = 100) -> list[dict[str, Any]]:
    """Ambiguous links waiting for a curator."""
    with store._read() as conn:
        return curate.review(conn, limit)
