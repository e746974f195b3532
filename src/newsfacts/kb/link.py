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
bounded by how common its names are, not by the size of the store.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.batchdata import ArticleData, read_batch
from newsfacts.kb.kbview import KBView
from newsfacts.kb.names import (
    is_generic_org,
    is_given_name,
    org_keys,
    parse_person,
    person_keys,
    place_keys,
)
from newsfacts.kb.tables import kb_articles, kb_links
from newsfacts.policy.names import is_long, short_name
from newsfacts.store.keys import fold
from newsfacts.store.schema import articles, entities, fact_entities

# Scores of the name evidence alone; context adds up to CONTEXT_CAP on top.
FULL_NAME = 0.9
INITIAL = 0.6
SURNAME_ONLY = 0.5
ORG_CORE = 0.9
PLACE_GAZETTEER = 1.0
PLACE_NAME = 0.85
POST_WEIGHT = 0.25
WITH_WEIGHT = 0.1
IN_WEIGHT = 0.03  # sharing a country says little: Россия co-occurs with a third of the news
CONTEXT_CAP = 0.4
MARGIN = 0.1  # the best candidate must lead the next by this much (one shared entity)
TYPE_ORDER = {"location": 0, "organization": 1, "person": 2}


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_id(type_: str, article_id: str, local_id: str) -> str:
    """Deterministic id of the entity an article's mention founds (P/O/L + hash)."""
    digest = hashlib.sha1(f"{article_id}:{local_id}".encode()).hexdigest()[:10]
    return {"person": "P", "organization": "O", "location": "L"}.get(type_, "X") + digest


@dataclass
class Mention:
    """One article entity as the linker sees it."""

    local_id: str
    type: str
    name: str
    subtype: str | None = None
    code: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    posts: set[str] = field(default_factory=set)  # "post:аким", "post:аким@<kb id>"
    n_mentions: int = 0
    # The folded full name a short `name` stands for (`entities.search_norm`, issue
    # 12): bodies and places are keyed by it, as before names were shortened, so two
    # bodies stored «НГ» are not one; `name` stays what the KB shows.
    full: str | None = None

    @property
    def match_name(self) -> str:
        """The name blocking keys and the generic-body test read."""
        return self.full if self.full and self.type != "person" else self.name


@dataclass
class Decision:
    kb_id: str | None  # None: found a new entity
    score: float
    method: str
    status: str  # linked | new | ambiguous
    evidence: dict[str, Any]
    candidates: list[tuple[str, float]]


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


def keys_for(mention: Mention) -> tuple[list[str], str | None]:
    """Blocking keys of a mention, and a better display name when the data knows one."""
    if mention.type == "location":
        keys, canonical = place_keys(mention.match_name, mention.code, mention.country)
        if canonical and is_long(canonical):  # the KB shows it (issue 12)
            canonical = short_name(canonical, mention.type)
        return keys, canonical
    if mention.type == "organization":
        keys = org_keys(mention.match_name)
        if mention.code:  # supranational bodies the gazetteer types as organisations
            keys.append(f"org:{mention.code.upper()}")
        return keys, None
    return person_keys(mention.name) or [f"per:{fold(mention.name)}"], None


# ---------------------------------------------------------------------------- linking


def link_article(
    conn: Connection,
    article_id: str,
    view: KBView | None = None,
    batch: dict[str, ArticleData] | None = None,
) -> dict[str, str]:
    """(Re)link one stored article; returns local id → canonical id.

    Call inside a write transaction; `view` carries the knowledge base rows read so
    far in this transaction (a batch of articles shares one), `batch` the articles'
    own rows read for the batch at once (batchdata.py; read here when not given).
    An article that is no longer stored only has its old links taken back.
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
    mentions = _article_mentions(meta)
    keyed = [(m, *keys_for(m)) for m in mentions]
    # every read the decisions below need, in three set-based queries
    view.load_keys(k for _, keys, _ in keyed for k in keys)
    view.load_names(fold(m.name) for m in mentions)
    view.load_entities(new_id(m.type, article_id, m.local_id) for m in mentions)
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
    view.flush()
    view.raw.run(
        "INSERT INTO kb_articles (article_id, extractor_version, linked_at) VALUES (?, ?, ?)",
        (article_id, meta.extractor_version, now()),
    )
    return resolved


def unlink_article(conn: Connection, article_id: str, view: KBView | None = None) -> None:
    """Take back an article's links and the context they contributed."""
    own_view = view is None
    view = view or KBView(conn)
    old = conn.execute(sa.select(kb_links).where(kb_links.c.article_id == article_id)).all()
    for row in old:
        features = json.loads(row.evidence).get("features", [])
        view.bump_features(row.kb_id, features, -1)
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


def decide(
    view: KBView,
    mention: Mention,
    keys: list[str],
    context: set[str],
    home: str | None = None,
) -> Decision:
    """Choose the canonical entity for one mention (None = found a new one)."""
    name_norm = fold(mention.name)
    curated = _curated_target(view, name_norm, mention.type)
    if curated is not None:
        return Decision(curated, 1.0, "curated-alias", "linked", {"alias": name_norm}, [])
    if mention.type == "person" and " " not in name_norm and is_given_name(name_norm):
        return Decision(None, 1.0, "new", "new", {"keys": keys, "why": "given name only"}, [])
    blocked = {kb_id for kb_id, _ in view.aliases(name_norm, "blocked")}
    cands = [c for c in view.candidates(keys, mention.type) if c["id"] not in blocked]
    if not cands:
        return Decision(None, 1.0, "new", "new", {"keys": keys}, [])
    if mention.type == "location":
        best = cands[0]
        score = PLACE_NAME if keys[0].startswith("loc~") else PLACE_GAZETTEER
        if len(cands) == 1:
            return Decision(best["id"], score, "place-key", "linked", {"keys": keys}, [])
    scored = []
    named = [(c, _name_score(mention, c)) for c in cands]
    named = [(c, n) for c, n in named if n > 0]
    # a unique exact name needs no context read (the common, cheap case)
    needs_context = len(named) > 1 or any(n < FULL_NAME for _, n in named)
    generic = mention.type == "organization" and bool(named) and named[0][1] < ORG_CORE
    known = view.has_features([c["id"] for c, _ in named], context) if needs_context else {}
    for cand, name_score in named:
        shared = sorted(context & known.get(cand["id"], set()))
        if generic:
            # "МВД" links only to the МВД whose country is this article's main country
            at_home = home is not None and view.home(cand["id"]) == f"in:{home}"
            shared = [*shared, f"home:{home}"] if at_home else []
        ctx = min(
            CONTEXT_CAP,
            sum(_WEIGHTS[f.partition(":")[0]] for f in shared),
        )
        scored.append((min(1.0, name_score + ctx), name_score, shared, cand["id"]))
    if not scored:
        return Decision(None, 1.0, "new", "new", {"keys": keys}, [])
    scored.sort(key=lambda s: (-s[0], s[3]))
    listing = [(s[3], round(s[0], 3)) for s in scored[:5]]
    top, name_score, shared, kb_id = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    evidence = {"keys": keys, "name_score": name_score, "shared": shared}
    exact = name_score >= min(FULL_NAME, ORG_CORE)
    clear = round(top - runner_up, 3) >= MARGIN
    if mention.type == "person" or (mention.type == "organization" and exact is False):
        # a partial name (or a generic body) needs context; an exact name only uniqueness
        # context must hold more than a shared country: a person, place, body or post
        enough = round(top - name_score, 3) >= WITH_WEIGHT
        if (exact and clear) or (clear and enough):
            if mention.type == "organization":
                method = "generic-org+context"
            else:
                method = "full-name" if exact else "partial-name+context"
            return Decision(kb_id, top, method, "linked", evidence, listing)
        return Decision(None, 1.0 - top, "new", "ambiguous", evidence, listing)
    if clear:
        method = "org-key" if mention.type == "organization" else "place-key"
        return Decision(kb_id, top, method, "linked", evidence, listing)
    return Decision(None, 1.0 - top, "new", "ambiguous", evidence, listing)


_WEIGHTS = {"post": POST_WEIGHT, "with": WITH_WEIGHT, "in": IN_WEIGHT, "home": WITH_WEIGHT}


def _name_score(mention: Mention, cand: dict[str, Any]) -> float:
    if mention.type == "location":
        return PLACE_NAME if (cand.get("key") or "").startswith("loc~") else PLACE_GAZETTEER
    if mention.type == "organization":
        return SURNAME_ONLY if is_generic_org(mention.match_name) else ORG_CORE
    a, b = parse_person(mention.name), parse_person(cand["name"])
    if a is None or b is None:
        return FULL_NAME if fold(mention.name) == fold(cand["name"]) else 0.0
    if not a.compatible(b):
        return 0.0
    if a.is_full and b.is_full:
        return FULL_NAME
    if a.first and b.first:
        return INITIAL
    return SURNAME_ONLY


def _candidates(conn: Connection, keys: list[str], type_: str) -> list[dict[str, Any]]:
    """Live entities of this type sharing a blocking key (for lookups by name)."""
    return KBView(conn).candidates(keys, type_) if keys else []


def _curated_target(view: KBView, name_norm: str, type_: str) -> str | None:
    """The one entity a curator gave this name, if exactly one."""
    targets = {view.resolve(kb_id) for kb_id, t in view.aliases(name_norm, "curated") if t == type_}
    return targets.pop() if len(targets) == 1 else None


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


# ---------------------------------------------------------------------------- sync


def pending_articles(conn: Connection) -> list[str]:
    """Stored articles never linked, linked from an older extraction, or whose entity
    names changed since (names long enough to be text stored short, issue 12)."""
    renamed = (
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
                articles.c.id.in_(renamed),
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
