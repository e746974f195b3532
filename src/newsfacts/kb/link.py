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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.names import (
    is_generic_org,
    is_given_name,
    org_keys,
    parse_person,
    person_keys,
    place_keys,
)
from newsfacts.kb.tables import (
    kb_aliases,
    kb_articles,
    kb_entities,
    kb_features,
    kb_keys,
    kb_links,
)
from newsfacts.store.keys import fold
from newsfacts.store.schema import articles, entities, fact_entities, facts, mentions

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


@dataclass
class Decision:
    kb_id: str | None  # None: found a new entity
    score: float
    method: str
    status: str  # linked | new | ambiguous
    evidence: dict[str, Any]
    candidates: list[tuple[str, float]]


# ---------------------------------------------------------------------------- reading


def _article_mentions(conn: Connection, article_id: str) -> list[Mention]:
    rows = conn.execute(sa.select(entities).where(entities.c.article_id == article_id)).all()
    out = {
        r.local_id: Mention(
            local_id=r.local_id,
            type=r.type,
            name=r.name,
            subtype=r.subtype,
            code=r.code,
            country=r.country,
            aliases=json.loads(r.aliases or "[]"),
        )
        for r in rows
    }
    counts = conn.execute(
        sa.select(mentions.c.local_id, sa.func.count().label("n"))
        .where(mentions.c.article_id == article_id)
        .group_by(mentions.c.local_id)
    )
    for row in counts:
        if row.local_id in out:
            out[row.local_id].n_mentions = row.n
    # by article only: a (type = occupation) condition would let SQLite pick the type
    # index and read every occupation fact in the store
    rows = conn.execute(
        sa.select(facts.c.type, facts.c.args).where(facts.c.article_id == article_id)
    ).all()
    for row in rows:
        if row.type != "occupation":
            continue
        args = json.loads(row.args)
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
        return place_keys(mention.name, mention.code, mention.country)
    if mention.type == "organization":
        keys = org_keys(mention.name)
        if mention.code:  # supranational bodies the gazetteer types as organisations
            keys.append(f"org:{mention.code.upper()}")
        return keys, None
    return person_keys(mention.name) or [f"per:{fold(mention.name)}"], None


# ---------------------------------------------------------------------------- linking


def link_article(conn: Connection, article_id: str) -> dict[str, str]:
    """(Re)link one stored article; returns local id → canonical id.

    Call inside a write transaction. An article that is no longer stored only has
    its old links taken back.
    """
    unlink_article(conn, article_id)
    meta = conn.execute(
        sa.select(articles.c.extractor_version, articles.c.published).where(
            articles.c.id == article_id
        )
    ).first()
    if meta is None:
        return {}
    mentions = _article_mentions(conn, article_id)
    resolved: dict[str, str] = {}
    countries: set[str] = set()
    main_country = _main_country(mentions)
    rows = []
    for mention in mentions:
        keys, canonical_name = keys_for(mention)
        context = _context(mention, resolved, countries)
        home = resolved.get(main_country) if main_country else None
        decision = decide(conn, mention, keys, context, home)
        kb_id = decision.kb_id
        if kb_id is None:
            kb_id = new_id(mention.type, article_id, mention.local_id)
            if not _exists(conn, kb_id):
                _create_entity(conn, kb_id, mention, canonical_name)
                # An ambiguous body ("МВД") keeps its keys so the bodies of one country
                # gather by context; an ambiguous person waits for review without
                # them, or every bare surname would add a candidate for the next one.
                if decision.status != "ambiguous" or mention.type != "person":
                    _add_keys(conn, kb_id, keys)
            elif (target := resolve(conn, kb_id)) != kb_id:
                # this very mention was merged by a curator before re-extraction
                decision = Decision(target, 1.0, "curated-merge", "linked", decision.evidence, [])
                kb_id = target
        else:
            _add_keys(conn, kb_id, keys)
            _maybe_rename(conn, kb_id, mention)
        _add_alias(conn, kb_id, mention.name, "auto")
        resolved[mention.local_id] = kb_id
        if mention.type == "location" and mention.subtype == "country":
            countries.add(kb_id)
        decision.evidence["features"] = sorted(context)
        _bump_features(conn, kb_id, context, +1)
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
    if rows:
        conn.execute(kb_links.insert(), rows)
    conn.execute(
        kb_articles.insert().values(
            article_id=article_id, extractor_version=meta.extractor_version, linked_at=now()
        )
    )
    return resolved


def unlink_article(conn: Connection, article_id: str) -> None:
    """Take back an article's links and the context they contributed."""
    old = conn.execute(sa.select(kb_links).where(kb_links.c.article_id == article_id)).all()
    for row in old:
        features = json.loads(row.evidence).get("features", [])
        _bump_features(conn, row.kb_id, features, -1)
    conn.execute(kb_links.delete().where(kb_links.c.article_id == article_id))
    conn.execute(kb_articles.delete().where(kb_articles.c.article_id == article_id))


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
    conn: Connection,
    mention: Mention,
    keys: list[str],
    context: set[str],
    home: str | None = None,
) -> Decision:
    """Choose the canonical entity for one mention (None = found a new one)."""
    name_norm = fold(mention.name)
    curated = _curated_target(conn, name_norm, mention.type)
    if curated is not None:
        return Decision(curated, 1.0, "curated-alias", "linked", {"alias": name_norm}, [])
    if mention.type == "person" and " " not in name_norm and is_given_name(name_norm):
        return Decision(None, 1.0, "new", "new", {"keys": keys, "why": "given name only"}, [])
    blocked = _blocked(conn, name_norm)
    cands = [c for c in _candidates(conn, keys, mention.type) if c["id"] not in blocked]
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
    known = _features(conn, [c["id"] for c, _ in named], context) if needs_context else {}
    for cand, name_score in named:
        shared = sorted(context & known.get(cand["id"], set()))
        if generic:
            # "МВД" links only to the МВД whose country is this article's main country
            at_home = home is not None and _home(conn, cand["id"]) == f"in:{home}"
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
        return SURNAME_ONLY if is_generic_org(mention.name) else ORG_CORE
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
    if not keys:
        return []
    rows = conn.execute(
        sa.select(kb_entities.c.id, kb_entities.c.name, kb_entities.c.merged_into, kb_keys.c.key)
        .join(kb_keys, kb_keys.c.kb_id == kb_entities.c.id)
        .where(kb_keys.c.key.in_(keys), kb_entities.c.type == type_)
        .order_by(kb_entities.c.id)
        .limit(200)
    ).all()
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.merged_into is None and r.id not in out:
            out[r.id] = {"id": r.id, "name": r.name, "key": r.key}
    return list(out.values())


def _features(conn: Connection, kb_ids: list[str], wanted: set[str]) -> dict[str, set[str]]:
    """Which of the `wanted` context features each candidate has: one indexed read."""
    out: dict[str, set[str]] = {}
    if not wanted or not kb_ids:
        return out
    rows = conn.execute(
        sa.select(kb_features.c.kb_id, kb_features.c.feature).where(
            kb_features.c.kb_id.in_(sorted(set(kb_ids))),
            kb_features.c.feature.in_(sorted(wanted)),
            kb_features.c.n > 0,
        )
    )
    for r in rows:
        out.setdefault(r.kb_id, set()).add(r.feature)
    return out


def _home(conn: Connection, kb_id: str) -> str | None:
    """The country an entity co-occurs with most ("in:L…"): a generic body's country."""
    row = conn.execute(
        sa.select(kb_features.c.feature)
        .where(kb_features.c.kb_id == kb_id, kb_features.c.feature.like("in:%"))
        .order_by(kb_features.c.n.desc(), kb_features.c.feature)
        .limit(1)
    ).first()
    return None if row is None else row.feature


def _curated_target(conn: Connection, name_norm: str, type_: str) -> str | None:
    rows = conn.execute(
        sa.select(kb_aliases.c.kb_id)
        .join(kb_entities, kb_entities.c.id == kb_aliases.c.kb_id)
        .where(
            kb_aliases.c.alias_norm == name_norm,
            kb_aliases.c.origin == "curated",
            kb_entities.c.type == type_,
        )
    ).all()
    targets = {resolve(conn, r.kb_id) for r in rows}
    return targets.pop() if len(targets) == 1 else None


def _blocked(conn: Connection, name_norm: str) -> set[str]:
    rows = conn.execute(
        sa.select(kb_aliases.c.kb_id).where(
            kb_aliases.c.alias_norm == name_norm, kb_aliases.c.origin == "blocked"
        )
    )
    return {r.kb_id for r in rows}


def _exists(conn: Connection, kb_id: str) -> bool:
    return (
        conn.execute(sa.select(kb_entities.c.id).where(kb_entities.c.id == kb_id)).first()
        is not None
    )


def resolve(conn: Connection, kb_id: str) -> str:
    """Follow merges to the surviving entity."""
    seen = set()
    while kb_id not in seen:
        seen.add(kb_id)
        row = conn.execute(
            sa.select(kb_entities.c.merged_into).where(kb_entities.c.id == kb_id)
        ).first()
        if row is None or row.merged_into is None:
            return kb_id
        kb_id = row.merged_into
    return kb_id


# ---------------------------------------------------------------------------- writing


def _create_entity(conn: Connection, kb_id: str, mention: Mention, name: str | None) -> None:
    conn.execute(
        kb_entities.insert().values(
            id=kb_id,
            type=mention.type,
            subtype=mention.subtype,
            name=name or mention.name,
            code=mention.code,
            country=mention.country,
            created_at=now(),
        )
    )


def _add_keys(conn: Connection, kb_id: str, keys: Iterable[str]) -> None:
    keys = sorted(set(keys))
    if not keys:
        return
    have = {
        r.key
        for r in conn.execute(
            sa.select(kb_keys.c.key).where(kb_keys.c.kb_id == kb_id, kb_keys.c.key.in_(keys))
        )
    }
    missing = [{"key": k, "kb_id": kb_id} for k in keys if k not in have]
    if missing:
        conn.execute(kb_keys.insert(), missing)


def _add_alias(conn: Connection, kb_id: str, name: str, origin: str) -> None:
    norm = fold(name)
    if not norm:
        return
    exists = conn.execute(
        sa.select(kb_aliases.c.origin).where(
            kb_aliases.c.kb_id == kb_id, kb_aliases.c.alias_norm == norm
        )
    ).first()
    if exists is None:
        conn.execute(
            kb_aliases.insert().values(kb_id=kb_id, alias_norm=norm, alias=name, origin=origin)
        )


def _maybe_rename(conn: Connection, kb_id: str, mention: Mention) -> None:
    """A person first seen as "Досаев" takes the fuller name once one is linked."""
    if mention.type != "person":
        return
    row = conn.execute(
        sa.select(kb_entities.c.name, kb_entities.c.curated).where(kb_entities.c.id == kb_id)
    ).first()
    if row is None or row.curated:
        return
    old, new = parse_person(row.name), parse_person(mention.name)
    if old is not None and new is not None and new.richer(old):
        conn.execute(
            kb_entities.update().where(kb_entities.c.id == kb_id).values(name=mention.name)
        )


def _bump_features(conn: Connection, kb_id: str, features: Iterable[str], delta: int) -> None:
    """Add `delta` to each feature count: one read, then one batched update and insert."""
    features = sorted(set(features))
    if not features:
        return
    have = {
        r.feature
        for r in conn.execute(
            sa.select(kb_features.c.feature).where(
                kb_features.c.kb_id == kb_id, kb_features.c.feature.in_(features)
            )
        )
    }
    if have:
        conn.execute(
            kb_features.update()
            .where(kb_features.c.kb_id == kb_id, kb_features.c.feature.in_(sorted(have)))
            .values(n=kb_features.c.n + delta)
        )
    if delta > 0:
        new = [{"kb_id": kb_id, "feature": f, "n": delta} for f in features if f not in have]
        if new:
            conn.execute(kb_features.insert(), new)


# ---------------------------------------------------------------------------- sync


def pending_articles(conn: Connection) -> list[str]:
    """Stored articles never linked, or linked from an older extraction."""
    query = (
        sa.select(articles.c.id)
        .select_from(articles.outerjoin(kb_articles, kb_articles.c.article_id == articles.c.id))
        .where(
            sa.or_(
                kb_articles.c.article_id.is_(None),
                kb_articles.c.extractor_version != articles.c.extractor_version,
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
