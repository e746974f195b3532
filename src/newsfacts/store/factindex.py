"""The narrow fact index and the slices of articles the entity pages read from it.

Entity pages and dossiers used to load up to 200 whole records (every entity with
its mentions, every fact, every evidence span) to show the few facts that name
the entity: 40–55% of an uncached dossier (issue 13). `fact_index` maps an entity
key to the facts that name it in an argument or mention it inside their
evidence, and `read_slices` loads only those facts, the articles (for quoting
through their quotable sets) and their entity rows without mentions.

The index is derived from rows already written (`fact_entities`, `mentions`,
`evidence`) by two INSERT … SELECT statements, so one call after an article's or
a batch's rows are in, inside the same transaction, keeps it exact; a migration
runs the same statements over a whole store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Article, Entity, Fact, Record
from newsfacts.policy.quotable import QuotableSet
from newsfacts.store.base import _natural, dialect_insert
from newsfacts.store.fromrows import ARTICLE_COLUMNS, article_of, entity_of
from newsfacts.store.idlist import among
from newsfacts.store.schema import (
    articles,
    entities,
    entity_names,
    evidence,
    fact_entities,
    fact_index,
    facts,
    mentions,
    quotable,
)

_CHUNK = 500  # ids per IN (...) of the index writes, per statement of the reads
_LOCAL_ID = 32  # entities.local_id is at most this long
_SEP = "\x1f"  # between an article id and a local id in one string (`_attach_entities`)
# The slices' statements are built once; their ids are ONE parameter (`idlist.among`:
# a JSON array read by json_each on SQLite, a text[] on PostgreSQL). Built per
# request with the ids as literals, their ~2,500 values were each coerced into a
# bind, about a tenth of a 200k dossier's Python time; an expanding IN still
# rendered ~200 binds per statement per call, ~2 ms of a 20 ms page of slices
# (issue 13).
_KEY = sa.bindparam("key")
# Whole records of some ids (`ReadMixin._read_records`): only for articles stored
# before quotable sets existed, whose set is chosen from the whole record.
Whole = Callable[[Connection, list[str]], dict[str, Record]]


def _index_selects(ids: Sequence[str] | None) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The index rows of articles `ids` (None: every article), as two SELECTs."""
    fe, f, m, ev, e = fact_entities, facts, mentions, evidence, entities
    named = sa.select(
        fe.c.entity_key, fe.c.article_id, fe.c.seq, fe.c.local_id, fe.c.role, f.c.type
    ).select_from(fe.join(f, sa.and_(f.c.article_id == fe.c.article_id, f.c.seq == fe.c.seq)))
    # An entity is "seen" by a fact when one of its mentions lies inside one of the
    # fact's evidence spans (api.aggregate's dossier rule).
    seen = (
        sa.select(e.c.entity_key, m.c.article_id, ev.c.seq, m.c.local_id, sa.null(), f.c.type)
        .select_from(
            m.join(
                ev,
                sa.and_(
                    ev.c.article_id == m.c.article_id,
                    ev.c.start <= m.c.start,
                    m.c.end <= ev.c.end,
                ),
            )
            .join(e, sa.and_(e.c.article_id == m.c.article_id, e.c.local_id == m.c.local_id))
            .join(f, sa.and_(f.c.article_id == ev.c.article_id, f.c.seq == ev.c.seq))
        )
        .distinct()
    )
    if ids is not None:
        named = named.where(fe.c.article_id.in_(list(ids)))
        seen = seen.where(m.c.article_id.in_(list(ids)))
    return named, seen


def index_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    """The write hook: (re)write the fact index rows of `article_ids` and add their
    entity names to `entity_names`.

    Call it inside the transaction that wrote the articles' facts, after their
    entities, mentions, evidence and fact_entities rows are in."""
    index_facts(conn, article_ids)
    add_names(conn, article_ids)


def index_facts(conn: Connection, article_ids: Sequence[str] | None) -> None:
    """(Re)write the fact index rows of `article_ids`, None for every article."""
    cols = ["entity_key", "article_id", "seq", "local_id", "role", "fact_type"]
    chunks: list[Sequence[str] | None]
    if article_ids is None:
        conn.execute(fact_index.delete())
        chunks = [None]
    else:
        wanted = list(dict.fromkeys(article_ids))
        chunks = [wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK)]
    for chunk in chunks:
        if chunk is not None:
            conn.execute(fact_index.delete().where(fact_index.c.article_id.in_(list(chunk))))
        for select in _index_selects(chunk):
            conn.execute(fact_index.insert().from_select(cols, select))


def add_names(conn: Connection, article_ids: Sequence[str] | None, *, hidden: bool = True) -> None:
    """Add the entity names of `article_ids` (None: all) that `entity_names` lacks,
    with `hidden` also the full names short names stand for (`search_norm`, issue 12:
    searched, never shown; False for stores older than that column)."""
    insert = dialect_insert(conn.dialect.name)
    # A WHERE keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
    where = sa.true() if article_ids is None else entities.c.article_id.in_(list(article_ids))
    columns = [entities.c.name_norm, entities.c.search_norm] if hidden else [entities.c.name_norm]
    for column in columns:
        names = sa.select(column).distinct().where(where, column.is_not(None))
        stmt = insert(entity_names).from_select(["name_norm"], names)
        conn.execute(stmt.on_conflict_do_nothing(index_elements=["name_norm"]))


@dataclass
class Slice:
    """What an entity page needs of one article, and nothing more.

    `record` holds the article (text and quotable set, for quotes) and its entities
    without mentions (aliases only for the entities of the page's key); its `facts`
    list is empty: the facts naming or mentioning the key are in `facts` by seq,
    and `seen[seq]` holds the local ids mentioned inside that fact's evidence."""

    record: Record
    facts: dict[int, Fact] = field(default_factory=dict)
    seen: dict[int, set[str]] = field(default_factory=dict)


def read_slices(
    conn: Connection, key: str, article_ids: Sequence[str], *, mentioned: bool, whole: Whole
) -> dict[str, Slice]:
    """Slices of `article_ids` for entity `key`: facts naming it in an argument, and
    with `mentioned` also facts mentioning it in their evidence (dossiers)."""
    out: dict[str, Slice] = {}
    wanted = list(dict.fromkeys(article_ids))
    for i in range(0, len(wanted), _CHUNK):
        out.update(_read_chunk(conn, key, wanted[i : i + _CHUNK], mentioned, whole))
    return out


def _read_chunk(
    conn: Connection, key: str, ids: list[str], mentioned: bool, whole: Whole
) -> dict[str, Slice]:
    records = _with_sets(conn, ids, whole)
    if not records:
        return {}
    slices = {aid: Slice(record) for aid, record in records.items()}
    _attach_facts(conn, slices, key, ids, mentioned)
    if mentioned:
        _attach_seen(conn, slices, key, ids)
    _attach_entities(conn, key, slices)
    return slices


_Q = quotable
# Each article with its stored quotable set in one statement (the sets were a second
# read of the same 200 ids per page).
_ARTICLES = (
    sa.select(*ARTICLE_COLUMNS, articles.c.extractor_version)
    .add_columns(_Q.c.article_id, _Q.c.allowance, _Q.c.pieces, _Q.c.version)
    .select_from(articles.outerjoin(_Q, _Q.c.article_id == articles.c.id))
    .where(among(articles.c.id, "ids"))
)


def _with_sets(conn: Connection, ids: list[str], whole: Whole) -> dict[str, Record]:
    """Records of `ids` holding only their article, with its stored quotable set. An
    article stored before the sets has none; its set is then chosen from its whole
    record, as `get_records` does, so a slice or a bare article quotes exactly as it
    would."""
    records: dict[str, Record] = {}
    missing: list[str] = []
    for *values, version, set_of, allowance, pieces, set_version in conn.execute(
        _ARTICLES, {"ids": ids}
    ):
        art = article_of(*values)
        records[art.id] = Record(article=art, extractor_version=version)
        if set_of is None:
            missing.append(art.id)
        else:
            art.quotable = QuotableSet.from_row(len(art.text), allowance, pieces, set_version)
    if missing:
        for aid, record in whole(conn, missing).items():
            records[aid].article.quotable = record.article.quotable
    return records


def _shown(mentioned: bool) -> sa.CTE:
    """The (article, seq) of the facts a page shows, from the fact index's covering
    range of the key `_KEY` in articles `ids`. MATERIALIZED keeps SQLite reading this
    range first and each fact by its key: joined directly, it read every fact of the
    200 articles and probed the index with each (1.5 against 2.1 ms, issue 13)."""
    fi = fact_index
    wanted = [fi.c.entity_key == _KEY, among(fi.c.article_id, "ids")]
    if not mentioned:
        wanted.append(fi.c.role.is_not(None))
    shown = sa.select(fi.c.article_id, fi.c.seq).where(*wanted).distinct()
    return shown.cte(f"shown_{int(mentioned)}").prefix_with("MATERIALIZED")


def _facts_statement(mentioned: bool) -> sa.Select[Any]:
    """The shown facts with their evidence spans, a row per span (one with NULLs for
    a fact without any), in article, seq and span order: one statement where facts
    and evidence were two, each joined from the index."""
    w, f, ev = _shown(mentioned), facts, evidence
    fact_of = sa.and_(f.c.article_id == w.c.article_id, f.c.seq == w.c.seq)
    span_of = sa.and_(ev.c.article_id == w.c.article_id, ev.c.seq == w.c.seq)
    return (
        sa.select(*_F, ev.c.start, ev.c.end)
        .select_from(w.join(f, fact_of).outerjoin(ev, span_of))
        .order_by(f.c.article_id, f.c.seq, ev.c.n)
    )


_F = (facts.c.article_id, facts.c.seq, facts.c.type, facts.c.args, facts.c.confidence)
_F += (facts.c.modality, facts.c.extractor)
_FACTS = {m: _facts_statement(m) for m in (False, True)}  # by `mentioned`
_SEEN_FI = fact_index.alias("seen")
_SHOWN = _shown(True)
# The entities mentioned inside the shown facts' evidence, from the same range of the
# index as the facts (no DISTINCT: each lands in a set).
_SEEN = (
    sa.select(_SEEN_FI.c.article_id, _SEEN_FI.c.seq, _SEEN_FI.c.local_id)
    .select_from(
        _SHOWN.join(
            _SEEN_FI,
            sa.and_(_SEEN_FI.c.article_id == _SHOWN.c.article_id, _SEEN_FI.c.seq == _SHOWN.c.seq),
        )
    )
    .where(_SEEN_FI.c.role.is_(None))
)


def _attach_facts(
    conn: Connection, slices: dict[str, Slice], key: str, ids: list[str], mentioned: bool
) -> None:
    """The facts the page shows and their evidence; the articles' other facts and
    spans are not read (they were, and dropped in Python)."""
    rows = conn.execute(_FACTS[mentioned], {"key": key, "ids": ids})
    for aid, seq, type_, args, confidence, modality, extractor, start, end in rows:
        shown = slices[aid].facts
        n = int(seq)
        fact = shown.get(n)
        if fact is None:
            fact = shown[n] = Fact(
                type=type_,
                args=json.loads(args),
                evidence=[],
                confidence=confidence,
                modality=modality,
                extractor=extractor,
            )
        if start is not None:
            fact.evidence.append((start, end))


def _attach_seen(conn: Connection, slices: dict[str, Slice], key: str, ids: list[str]) -> None:
    """Each shown fact's entities mentioned inside its evidence (role None rows)."""
    for aid, seq, local_id in conn.execute(_SEEN, {"key": key, "ids": ids}):
        slices[aid].seen.setdefault(int(seq), set()).add(local_id)


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a fact's args: a superset of the entity ids it names."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


_E = entities
_PAIR = _E.c.article_id.concat(_SEP).concat(_E.c.local_id)
# One primary-key range per article: its rows of `key` and those its shown facts name
# (`pairs`, one string per article and local id). `entity_key || ''` keeps SQLite off
# ix_entities_entity_key, which it chose for a long id list: every row of «Россия»,
# 250 ms at 200,000 articles, against 2 ms. The key's rows and the named ones were two
# reads of the same ranges (3.7 against 4.6 ms of SQLite for «Путин» at 200k).
_ENTITY_ROWS = sa.select(
    *(_E.c[n] for n in ("article_id", "local_id", "entity_key", "type", "subtype", "code")),
    *(_E.c[n] for n in ("country", "name", "aliases")),
).where(
    among(_E.c.article_id, "ids"),
    sa.or_(_E.c.entity_key.concat("") == _KEY, among(_PAIR, "pairs")),
)


def _attach_entities(conn: Connection, key: str, slices: dict[str, Slice]) -> None:
    """The entity rows a page reads of each slice: those of `key` (its names and
    aliases) and those its facts name in an argument or mention in their evidence;
    an article holds ~14 entities, and building every one was a fifth of a dossier's
    slices (issue 13). Any other entity is looked up by no view."""
    named: set[tuple[str, str]] = set()
    for aid, part in slices.items():
        for seq, fact in part.facts.items():
            named.update((aid, s) for s in _strings(fact.args) if len(s) <= _LOCAL_ID)
            named.update((aid, s) for s in part.seen.get(seq, ()))
    # One string per pair: a row-value IN of ~1,200 pairs (RU at 200k) was built and
    # expanded bind by bind, 8% of an uncached dossier (issue 13). The test below keeps
    # only the pairs named (a joined string may match a wider set).
    pairs = [f"{a}{_SEP}{i}" for a, i in named]
    ents: dict[str, list[Entity]] = defaultdict(list)
    rows = conn.execute(_ENTITY_ROWS, {"key": key, "ids": list(slices), "pairs": pairs})
    for aid, local, ekey, type_, subtype, code, country, name, aliases in rows:
        if ekey != key and (aid, local) not in named:
            continue
        # Aliases are parsed only where the page shows them (its own key's entities).
        shown = json.loads(aliases) if ekey == key else []
        ent = entity_of(local, ekey, type_, subtype, code, country, name, aliases=shown)
        ents[aid].append(ent)
    for aid, part in slices.items():
        part.record.entities = sorted(ents.get(aid, []), key=lambda x: _natural(x.id))


def read_articles(conn: Connection, article_ids: Sequence[str], whole: Whole) -> dict[str, Article]:
    """Articles with their quotable sets and nothing else: what `QuoteBudget` needs
    of the neighbours it checks composed wording against (`wording_reveals`)."""
    wanted = list(dict.fromkeys(article_ids))
    out: dict[str, Article] = {}
    for i in range(0, len(wanted), _CHUNK):
        records = _with_sets(conn, wanted[i : i + _CHUNK], whole)
        out.update({a: r.article for a, r in records.items()})
    return out
