"""Link each stored article's entities to canonical entities, one article at a time.

An article is linked inside one transaction: its old links (if it was linked
before, e.g. by an older extractor) are taken back, then places, organisations,
full-named people and finally surname-only people are linked in that order, so the
harder cases can use the easier ones as context ("Досаев" next to Алматы and the
post "аким" is the akim of Almaty, not his namesake the banker).

Every link keeps a score, the method that chose it and its evidence. A mention the
linker cannot place with confidence gets its own provisional entity, marked
`ambiguous` with its candidates, and waits for a curator (`newsfacts entity review`).
Candidates come only from blocking keys (`kb_keys`), so the work per article is
bounded by how common its names are, not by the size of the store. How one mention
is scored is decide.py; which articles need linking, pending.py.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.batchdata import ArticleData, read_batch
from newsfacts.kb.decide import TYPE_ORDER, Decision, Mention, decide, keys_for
from newsfacts.kb.kbview import KBView
from newsfacts.kb.names import parse_person
from newsfacts.kb.tables import kb_articles, kb_links
from newsfacts.store import keysummary
from newsfacts.store.keys import fold

__all__ = ["Decision", "Mention", "keys_for", "link_article", "prefetch", "resolve"]

# A mention with its blocking keys and the display name the data knows (keys_for).
Keyed = tuple[Mention, list[str], str | None]


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_id(type_: str, article_id: str, local_id: str) -> str:
    """Deterministic id of the entity an article's mention founds (P/O/L + hash)."""
    digest = hashlib.sha1(f"{article_id}:{local_id}".encode()).hexdigest()[:10]
    return {"person": "P", "organization": "O", "location": "L"}.get(type_, "X") + digest


# ---------------------------------------------------------------------------- reading


def _article_mentions(data: ArticleData) -> list[Mention]:
    out = {
        r.local_id: Mention(
            local_id=r.local_id,
            type=r.type,
            name=r.name,
            subtype=r.subtype,
            code=r.code,
            country=r.country,
            aliases=json.loads(r.aliases or "[]"),
            full=getattr(r, "search_norm", None),
        )
        for r in data.entities
    }
    for local_id, n in data.mention_counts.items():
        if local_id in out:
            out[local_id].n_mentions = n
    for _, type_, raw_args, _ in data.facts:
        if type_ != "occupation":
            continue
        args = json.loads(raw_args)
        person, post = args.get("person"), args.get("position")
        if isinstance(person, str) and person in out and isinstance(post, str) and post:
            out[person].posts.add(fold(post))
            where = args.get("where")
            if isinstance(where, str) and where in out:
                out[person].posts.add(f"{fold(post)}@{where}")
    return sorted(out.values(), key=lambda m: (TYPE_ORDER.get(m.type, 3), _partial(m), m.local_id))


def _partial(mention: Mention) -> int:
    if mention.type != "person":
        return 0
    parsed = parse_person(mention.name)
    return 0 if parsed is not None and parsed.is_full else 1


# ---------------------------------------------------------------------------- linking


def link_article(
    conn: Connection,
    article_id: str,
    view: KBView | None = None,
    batch: dict[str, ArticleData] | None = None,
    prepared: dict[str, list[Keyed]] | None = None,
    *,
    flush: bool = True,
) -> dict[str, str]:
    """(Re)link one stored article; returns local id → canonical id.

    Call inside a write transaction; `view` carries the knowledge base rows read so
    far in this transaction (a batch of articles shares one), `batch` the articles'
    own rows read for the batch at once (batchdata.py; read here when not given),
    `prepared` its mentions and keys with their rows read (`prefetch`). An article that is no longer stored only has its old links taken back.
    `flush=False` leaves its writes queued in `view` for the caller to send with the
    next articles' (`sync`'s batch of first links: nothing reads those tables through
    the connection until the batch's story reads, and the view answers from memory).
    """
    view = view or KBView(conn)
    if batch is None:
        batch = read_batch(conn, [article_id])
    meta = batch.get(article_id)
    if meta is None or meta.has_links:  # a first link has nothing to take back
        unlink_article(conn, article_id, view)
    if meta is None:
        view.flush()
        return {}
    keyed = (prepared or {}).get(article_id) or prefetch(view, {article_id: meta})[article_id]
    mentions = [m for m, _, _ in keyed]
    resolved: dict[str, str] = {}
    countries: set[str] = set()
    main_country = _main_country(mentions)
    rows = []
    for mention, keys, canonical_name in keyed:
        context = _context(mention, resolved, countries)
        home = resolved.get(main_country) if main_country else None
        decision = decide(view, mention, keys, context, home)
        kb_id = decision.kb_id
        if kb_id is None:
            kb_id = new_id(mention.type, article_id, mention.local_id)
            if view.entity(kb_id) is None:
                view.create_entity(_entity_row(kb_id, mention, canonical_name))
                # An ambiguous body ("МВД") keeps its keys so the bodies of one country
                # gather by context; an ambiguous person waits for review without
                # them, or every bare surname would add a candidate for the next one.
                if decision.status != "ambiguous" or mention.type != "person":
                    view.add_keys(kb_id, keys)
            elif (target := view.resolve(kb_id)) != kb_id:
                # this very mention was merged by a curator before re-extraction
                decision = Decision(target, 1.0, "curated-merge", "linked", decision.evidence, [])
                kb_id = target
        else:
            view.add_keys(kb_id, keys)
            _maybe_rename(view, kb_id, mention)
        if norm := fold(mention.name):
            view.add_alias(kb_id, norm, mention.name, "auto")
        resolved[mention.local_id] = kb_id
        if mention.type == "location" and mention.subtype == "country":
            countries.add(kb_id)
        decision.evidence["features"] = sorted(context)
        view.bump_features(kb_id, context, +1)
        rows.append(
            {
                "article_id": article_id,
                "local_id": mention.local_id,
                "kb_id": kb_id,
                "name": mention.name,
                "score": round(decision.score, 3),
                "method": decision.method,
                "status": decision.status,
                "evidence": json.dumps(decision.evidence, ensure_ascii=False),
                "candidates": json.dumps(decision.candidates, ensure_ascii=False),
                "published": meta.published,
            }
        )
    view.add_links(rows)
    view.mark_linked(article_id, meta.extractor_version, now())
    if flush:
        view.flush()
    return resolved


def mention_keys(data: ArticleData) -> list[Keyed]:
    """An article's mentions in linking order with their blocking keys (CPU only)."""
    return [(m, *keys_for(m)) for m in _article_mentions(data)]


def prefetch(view: KBView, batch: dict[str, ArticleData]) -> dict[str, list[Keyed]]:
    """Each article's mentions in linking order with their keys, and every knowledge
    base row their decisions can read, in three set-based queries for all of them.

    The view then answers from memory; what an earlier article of the batch writes
    goes through the same view (a key it adds, an entity it founds), so a later
    article decides on the rows as if they had been read after that write."""
    out = {aid: d.keyed or mention_keys(d) for aid, d in batch.items()}
    every = [(aid, item) for aid, keyed in out.items() for item in keyed]
    view.load_keys(k for _, (_, keys, _) in every for k in keys)
    view.load_names(fold(m.name) for _, (m, _, _) in every)
    view.load_entities(new_id(m.type, aid, m.local_id) for aid, (m, _, _) in every)
    return out


def unlink_article(conn: Connection, article_id: str, view: KBView | None = None) -> None:
    """Take back an article's links and the context they contributed."""
    own_view = view is None
    view = view or KBView(conn)
    old = conn.execute(sa.select(kb_links).where(kb_links.c.article_id == article_id)).all()
    for row in old:
        features = json.loads(row.evidence).get("features", [])
        view.bump_features(row.kb_id, features, -1)
    with keysummary.relinking(conn, [article_id]):  # the store's links per entity key
        conn.execute(kb_links.delete().where(kb_links.c.article_id == article_id))
    conn.execute(kb_articles.delete().where(kb_articles.c.article_id == article_id))
    if own_view:
        view.flush()


def _main_country(mentions: list[Mention]) -> str | None:
    """The local id of the country the article mentions most (None on a tie or none)."""
    ranked = sorted(
        (m for m in mentions if m.type == "location" and m.subtype == "country"),
        key=lambda m: -m.n_mentions,
    )
    if not ranked or (len(ranked) > 1 and ranked[0].n_mentions == ranked[1].n_mentions):
        return None
    return ranked[0].local_id


def _context(mention: Mention, resolved: dict[str, str], countries: set[str]) -> set[str]:
    """Context features: co-occurring canonical entities ("in:" for countries, "with:"
    for the rest) and posts (with their places resolved)."""
    out = {
        f"{'in' if kb in countries else 'with'}:{kb}"
        for local, kb in resolved.items()
        if local != mention.local_id
    }
    for post in mention.posts:
        head, _, where = post.partition("@")
        out.add(f"post:{head}")
        if where and where in resolved:
            out.add(f"post:{head}@{resolved[where]}")
    return out


def _candidates(conn: Connection, keys: list[str], type_: str) -> list[dict[str, Any]]:
    """Live entities of this type sharing a blocking key (for lookups by name)."""
    return KBView(conn).candidates(keys, type_) if keys else []


def resolve(conn: Connection, kb_id: str) -> str:
    """Follow merges to the surviving entity."""
    return KBView(conn).resolve(kb_id)


# ---------------------------------------------------------------------------- writing


def _entity_row(kb_id: str, mention: Mention, name: str | None) -> dict[str, Any]:
    return {
        "id": kb_id,
        "type": mention.type,
        "subtype": mention.subtype,
        "name": name or mention.name,
        "code": mention.code,
        "country": mention.country,
        "curated": 0,
        "created_at": now(),
    }


def _maybe_rename(view: KBView, kb_id: str, mention: Mention) -> None:
    """A person first seen as "Досаев" takes the fuller name once one is linked."""
    if mention.type != "person":
        return
    entity = view.entity(kb_id)
    if entity is None or entity.curated:
        return
    old, new = parse_person(entity.name), parse_person(mention.name)
    if old is not None and new is not None and new.richer(old):
        view.rename(kb_id, mention.name)
