"""Writing and reading each article's effective policy and quotable set.

The store keeps the policy that actually governs an article (its own footer, else
the registry entry for its domain, else the default; plus a grant) in the
`articles.policy` column, and the spans it may ever show in the `quotable` table
(`policy.quotable`). Both are derived here, in the article's own transaction, so
no reader ever sees an article without them.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import asdict, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Policy, Record
from newsfacts.policy import title as loose
from newsfacts.policy.choose import choose
from newsfacts.policy.overlap import Exposure, SharedText
from newsfacts.policy.quotable import MIN_QUOTE, VERSION, QuotableSet, allowance_of
from newsfacts.policy.registry import PolicyRegistry, default_registry, source_key
from newsfacts.policy.verbatim import windows
from newsfacts.store import runkeys, runlookup, shown, titleruns, withdraw
from newsfacts.store.passio import PassRecords, ReadRecords, set_spans, store_sets
from newsfacts.store.pending import clear as clear_pending
from newsfacts.store.pending import mark as mark_pending
from newsfacts.store.schema import articles, entities, permissions, quotable


def effective_policy(
    record: Record, registry: PolicyRegistry | None = None, granted: bool = False
) -> Policy:
    """Footer first, then the registry (domain, then default), with the grant flag."""
    art = record.article
    if art.policy.origin == "footer":
        base = replace(art.policy)
    else:
        base = (registry or default_registry()).lookup(art.source, art.url)
    base.granted = granted
    return base


def is_granted(conn: Connection, source: str | None, url: str | None) -> bool:
    key = source_key(source, url)
    if not key:
        return False
    row = conn.execute(sa.select(permissions.c.source).where(permissions.c.source == key))
    return row.first() is not None


def with_policy(conn: Connection, record: Record, registry: PolicyRegistry | None) -> Record:
    """`record`, its article's policy set to the effective one (the column the store
    writes): the caller's record then says what the store says."""
    art = record.article
    art.policy = effective_policy(record, registry, is_granted(conn, art.source, art.url))
    return record


def write_set(conn: Connection, record: Record) -> QuotableSet:
    """The article's set judged alone; `reconcile` then weighs it against the others."""
    art = record.article
    chosen = choose(record, art.policy, has_url=bool(art.url))
    _store_set(conn, art.id, chosen, art.text, title=art.title)
    mark_pending(conn, [art.id])
    return chosen


def _store_set(
    conn: Connection,
    aid: str,
    chosen: QuotableSet,
    text: str,
    was: QuotableSet | None = None,
    title: str | None = None,
) -> None:
    """Write the set, and what it shows unless its spans are those of `was`; the runs
    of a title its text does not hold (`store.titleruns`; a title no longer loose
    leaves its rows to the pass that follows, which rewrites all of `aid`'s)."""
    conn.execute(quotable.delete().where(quotable.c.article_id == aid))
    conn.execute(
        quotable.insert().values(
            article_id=aid,
            version=chosen.version,
            allowance=chosen.allowance,
            pieces=chosen.to_json(),
        )
    )
    if was is None or set_spans(was) != set_spans(chosen):
        shown.store_pieces(conn, aid, text, set_spans(chosen))
    if withdraw.loose_spans(chosen):
        titleruns.store_titles(conn, {aid: (title, chosen.to_json())})


# Stores with more articles than this hold in memory only the texts a changed article
# relates to (`store.runlookup.scope`): the full pass indexes every run of every text
# (~200 bytes a character, measured 15 s and 355 MB for 500 texts of 2,300 characters).
MAX_PASS_ARTICLES = 200
# ...unless the texts are short and a quarter of them changed: the full pass's memory
# grows with characters, and it is faster than the bounded one for a bulk load of a
# few hundred articles into a new store.
MAX_PASS_CHARS = 600_000
# Above it, changed articles are weighed this many at a time: the texts held are
# theirs and their neighbours', so memory stays bounded however many change at once.
BOUNDED_CHUNK = 50
# The most neighbours an article's set names (a phrase shared by hundreds of
# articles links them all; the check needs the close retellings).
MAX_NEAR = 50
# The longest search snippet, in characters.
SNIPPET_CHARS = 200


def reconcile(
    conn: Connection,
    changed: Sequence[str],
    read_records: ReadRecords,
    _fresh: bool = False,
    indexed: Collection[str] = (),
) -> int:
    """Re-choose the sets of `changed` articles against every other stored article.

    A run shown by one article reveals every article holding it (retellings share
    sentences), so each changed article that shares text with another is chosen
    again against the exposure all other sets leave (`policy.overlap`): its pieces
    must keep every article they touch within its allowance. When the others' sets
    alone already reveal more of it than it allows, their latest pieces revealing it
    are dropped first. Entity names count for every article holding them (pages show
    them anyway); text of full-text articles (policy or grant) counts for them alone
    (that outlet's own text, shown whole: `policy.measure`).

    Up to `MAX_PASS_ARTICLES` stored articles the pass holds every text in memory.
    Above, it holds the changed articles, the articles whose sets show runs of them
    and those holding a run a candidate piece would newly show (`store.runlookup.scope`,
    exact through the shown-runs table and the texts' substring index), and counts
    what names and sets outside that scope show of them (`store.runlookup.external`).
    `indexed`: changed articles whose text runs are already stored (new ones the
    bulk saver wrote). Returns the number of sets rewritten.
    """
    ids = list(dict.fromkeys(changed))
    if not _fresh:  # weighed in this transaction: no longer waiting
        clear_pending(conn, ids)
    bounded = _too_big(conn, len(ids))
    step = BOUNDED_CHUNK
    chunked = bounded and len(ids) > step
    runs = runkeys.Runs()  # each text's runs hashed once per pass (not kept across chunks)
    if not _fresh:  # sets written alone (any path), the new names, the new texts
        shown.refresh(conn, ids, None if chunked else runs, indexed)
    if chunked:  # a bulk load: in chunks
        return sum(
            reconcile(conn, ids[i : i + step], read_records, _fresh=True)
            for i in range(0, len(ids), step)
        )
    scope: set[str] | None = None
    records = PassRecords(conn, read_records)
    if bounded:
        scope = runlookup.scope(conn, ids, records.get(ids), runs)
    query = sa.select(
        articles.c.id,
        articles.c.text,
        articles.c.title,
        articles.c.url,
        articles.c.policy,
        articles.c.duplicate_of,
        quotable.c.allowance,
        quotable.c.pieces,
        quotable.c.version,
    ).select_from(articles.outerjoin(quotable, quotable.c.article_id == articles.c.id))
    if scope is not None:
        query = query.where(articles.c.id.in_(sorted(scope)))
    rows = conn.execute(query).all()
    texts = {r.id: r.text for r in rows}
    names = shown_names(conn, None if scope is None else sorted(scope))
    texts.update(names)
    allowances: dict[str, int | None] = dict.fromkeys(names)
    full: set[str] = set(names)
    for r in rows:
        policy = Policy.from_dict(json.loads(r.policy))
        allowances[r.id] = allowance_of(policy, len(r.text))
        if allowance_of(policy, len(r.text), policy.granted) is None:
            full.add(r.id)
    # Titles their texts do not hold, as texts of their own (`policy.title`); those of
    # full-text articles count for them alone, as their texts do.
    titles = {
        loose.key(r.id): r.title
        for r in rows
        if r.id not in full and r.title and loose.loose(r.title, r.text)
    }
    texts.update(titles)
    shared = SharedText(texts)
    outside = (
        {} if scope is None else runlookup.external(conn, {r.id: r.text for r in rows}, scope, runs)
    )
    todo = [
        aid
        for aid in ids
        if aid in shared.linked or loose.key(aid) in shared.linked or aid in outside
    ]
    if not todo:
        return 0
    rank = {r.id: (r.duplicate_of is not None, not r.url, r.id) for r in rows}
    todo.sort(key=rank.__getitem__)
    records.ahead(todo)
    sets: dict[str, QuotableSet] = {}
    for r in rows:
        if r.pieces is not None:
            sets[r.id] = QuotableSet.from_row(len(r.text), r.allowance, r.pieces, r.version)
    pending = set(todo)
    stored = dict(sets)  # as read: what `shown_runs` holds for them

    def exposure() -> Exposure:
        exp = Exposure(shared, dict(allowances))
        for aid, text in texts.items():
            if aid in names:
                exp.show(aid, [(0, len(text))])
            elif aid not in pending and aid not in full and aid in sets:
                exp.show(aid, [(p.start, p.end) for p in sets[aid].pieces if p.end > p.start])
                if loose.key(aid) in titles:
                    exp.show(loose.key(aid), withdraw.loose_spans(sets[aid]))
        for aid, spans in outside.items():
            exp.add({aid: spans})
        return exp

    exp = exposure()
    touched: set[str] = set()
    by_rank = sorted(sets, key=rank.__getitem__, reverse=True)
    for aid in todo:
        while exp.over(aid):
            victim = withdraw.last_revealing(aid, by_rank, sets, shared, pending | full)
            if victim is None:
                break
            other, at = victim
            sets[other] = withdraw.without(sets, other, at, aid, shared)
            touched.add(other)
            exp = exposure()
        record = records.pop(aid)
        pending.discard(aid)
        if record is None or aid in full:
            continue
        art = record.article
        sets[aid] = choose(record, art.policy, has_url=bool(art.url), exposure=exp)
        touched.add(aid)
    # Each article names the articles it shares text with (for wording checks at
    # serving time); the new ones' neighbours learn of them too.
    real = set(rank)
    for aid in {*todo, *(n for a in todo for n in shared.neighbours(a))} & real:
        if aid not in sets:
            continue
        near = sorted(shared.neighbours(aid) & real)[:MAX_NEAR]
        if sets[aid].near() != near:
            sets[aid] = sets[aid].with_near(near)
            touched.add(aid)
    store_sets(conn, {aid: sets[aid] for aid in touched}, texts, stored)
    titleruns.store_titles(
        conn,
        {
            aid: (texts.get(loose.key(aid)), sets[aid].to_json())
            for aid in sorted(touched)
            if aid not in stored
            or withdraw.loose_spans(sets[aid]) != withdraw.loose_spans(stored[aid])
        },
    )
    return len(touched)


def _too_big(conn: Connection, changed: int) -> bool:
    """Whether the bounded pass should run: the store is past `MAX_PASS_ARTICLES`, and
    either past `MAX_PASS_CHARS` or only a few of its articles changed (a single save
    weighs its neighbours in well under the time the whole store takes)."""
    total = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar() or 0
    if total <= MAX_PASS_ARTICLES:
        return False
    if total > 5 * MAX_PASS_ARTICLES or 4 * changed < total:  # lengths: every text read
        return True
    chars = conn.execute(sa.select(sa.func.sum(sa.func.length(articles.c.text)))).scalar()
    return (chars or 0) > MAX_PASS_CHARS


def within_sets(conn: Connection, hits: list[dict[str, Any]]) -> None:
    """Search hits as the quotable sets allow (in place): the title as the set holds
    it, the snippet cut to its longest part inside the set ("" when that is shorter
    than a quote). Full-text articles keep both."""
    ids = [h["id"] for h in hits]
    if not ids:
        return
    rows = conn.execute(
        sa.select(
            articles.c.id,
            articles.c.text,
            quotable.c.allowance,
            quotable.c.pieces,
            quotable.c.version,
        )
        .select_from(articles.outerjoin(quotable, quotable.c.article_id == articles.c.id))
        .where(articles.c.id.in_(ids))
    )
    found = {r.id: r for r in rows}
    for hit in hits:
        r = found.get(hit["id"])
        if r is None:
            hit["title"], hit["snippet"] = None, ""
            continue
        qs = QuotableSet.from_row(len(r.text), r.allowance, r.pieces or "[]", r.version or 0)
        if r.pieces is not None and qs.allowance is None:
            continue
        if r.pieces is None:  # no set stored yet: nothing may be shown
            qs = QuotableSet(len(r.text), 0)
        hit["title"] = qs.title(hit.get("title"))
        hit["snippet"] = _snippet_within(r.text, str(hit.get("snippet") or ""), qs)


def _snippet_within(text: str, snippet: str, qs: QuotableSet) -> str:
    """The longest part of the FTS snippet inside the set; else the set's longest
    piece (still text of the hit, shown anyway elsewhere); at most `SNIPPET_CHARS`."""
    plain = snippet.strip().strip("…").strip()
    at = text.find(plain) if plain else -1
    cov = qs.coverage()
    part = cov.longest_covered(at, at + len(plain)) if at >= 0 else None
    if part is None or part[1] - part[0] < MIN_QUOTE:
        part = cov.longest_covered(0, len(text))
    if part is None or part[1] - part[0] < MIN_QUOTE:
        return ""
    a, b = part[0], min(part[1], part[0] + SNIPPET_CHARS)
    return text[a:b] + ("…" if b < len(text) else "")


def shown_names(conn: Connection, ids: Sequence[str] | None = None) -> dict[str, str]:
    """Entity names as every page may show them, outside any article's set: the
    stored names and the names inside entity keys ("organization:нурекской …"),
    those long enough to be text, each as a pseudo-article shown in full. `ids`:
    only the names of these articles' entities."""
    query = sa.select(entities.c.name, entities.c.entity_key).distinct()
    if ids is not None:
        query = query.where(entities.c.article_id.in_(list(ids)))
    found: set[str] = set()
    for r in conn.execute(query):
        found.add(r.name)
        found.add(r.entity_key.split(":", 1)[-1])
    long = sorted(n for n in found if n and next(windows(n), None) is not None)
    return {f"\x00name:{i}": name for i, name in enumerate(long)}


def attach_sets(conn: Connection, records: dict[str, Record]) -> None:
    """Give each record's article its stored set (computed when a row is missing)."""
    if not records:
        return
    rows = conn.execute(sa.select(quotable).where(quotable.c.article_id.in_(list(records))))
    found = {r.article_id: r for r in rows}
    for aid, record in records.items():
        art = record.article
        row = found.get(aid)
        if row is not None:
            art.quotable = QuotableSet.from_row(
                len(art.text), row.allowance, row.pieces, row.version
            )
        else:  # written by an older version and not yet rebuilt
            art.quotable = choose(record, art.policy, has_url=bool(art.url))


def set_grant(conn: Connection, key: str, granted: bool) -> int:
    """Flip the stored policy's grant flag on every article of source `key`."""
    n = 0
    rows = conn.execute(
        sa.select(articles.c.id, articles.c.source, articles.c.url, articles.c.policy)
    )
    for r in list(rows):
        if source_key(r.source, r.url) != key:
            continue
        policy = Policy.from_dict(json.loads(r.policy))
        if policy.granted != granted:
            policy.granted = granted
            conn.execute(
                articles.update()
                .where(articles.c.id == r.id)
                .values(policy=json.dumps(asdict(policy), ensure_ascii=False))
            )
            n += 1
    return n


def missing_sets(conn: Connection) -> list[str]:
    """Articles without a set, or with one by an older `VERSION`. On every open: sets
    cascade with articles, so equal counts and a current oldest version (an index)
    answer it, ~20 ms at 200k against 0.6-1.9 s for the join below (issue 13)."""
    n_articles = conn.execute(sa.select(sa.func.count()).select_from(articles)).scalar_one()
    n_sets, oldest = conn.execute(sa.select(sa.func.count(), sa.func.min(quotable.c.version))).one()
    if n_sets == n_articles and (oldest is None or oldest >= VERSION):
        return []
    query = (
        sa.select(articles.c.id)
        .outerjoin(quotable, quotable.c.article_id == articles.c.id)
        .where(sa.or_(quotable.c.article_id.is_(None), quotable.c.version < VERSION))
    )
    return [r.id for r in conn.execute(query)]


def policy_json(policy: Policy) -> str:
    return json.dumps(asdict(policy), ensure_ascii=False)


def ids_or_all(conn: Connection, ids: Sequence[str] | None) -> list[str]:
    if ids is not None:
        return list(ids)
    return [r.id for r in conn.execute(sa.select(articles.c.id))]
