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

from newsfacts.model import Article, Entity, Fact, Policy, Record, Repair
from newsfacts.policy.quotable import QuotableSet
from newsfacts.store.base import _natural, dialect_insert
from newsfacts.store.keys import ident_from_key
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

_CHUNK = 500  # ids per IN (...): far below any bind-parameter cap
_LOCAL_ID = 32  # entities.local_id is at most this long
_SEP = "\x1f"  # between an article id and a local id in one string (`_attach_entities`)
# The slices' statements are built once with these parameters (SQLAlchemy's expanding
# IN): built per request with the ids as literals, their ~2,500 values were each
# coerced into a bind, about a tenth of a 200k dossier's Python time (issue 13).
_IDS = sa.bindparam("ids", expanding=True)
_KEY = sa.bindparam("key")
# Whole records of some ids (`ReadMixin._read_records`): only for articles stored
# before quotable sets existed, whose set is chosen from the whole record.
Whole = Callable[[Connection, list[str]], dict[str, Record]]
# The article columns `article_of` takes, in its order. Rows here are unpacked as
# tuples: a SQLAlchemy Row's attribute costs ~1.3 us against ~0.04 us a field
# unpacked, and a page reads ~1,000 rows of ~8 fields (issue 13).
ARTICLE_COLUMNS = tuple(
    articles.c[name]
    for name in (
        "id",
        "text",
        "title",
        "source",
        "url",
        "published",
        "language",
        "policy",
        "repairs",
    )
)


def article_of(
    id_: str,
    text: str,
    title: str | None,
    source: str | None,
    url: str | None,
    published: str | None,
    language: str,
    policy: str,
    repairs: str,
) -> Article:
    """An article from the values of `ARTICLE_COLUMNS` (`read._article_from_row`)."""
    return Article(
        id=id_,
        text=text,
        title=title,
        source=source,
        url=url,
        published=published,
        language=language,
        policy=Policy.from_dict(json.loads(policy)),
        repairs=[Repair.from_dict(r) for r in json.loads(repairs)],
    )


def entity_of(
    local_id: str,
    key: str,
    type_: str,
    subtype: str | None,
    code: str | None,
    country: str | None,
    name: str,
    *,
    aliases: list[str],
    mentions: list[tuple[int, int]] | None = None,
    search_name: str | None = None,
) -> Entity:
    """An `entities` row's values as the record's entity; the identity a generated
    short name keeps comes back from its key (`read.entity_from_row`)."""
    return Entity(
        id=local_id,
        type=type_,
        name=name,
        mentions=mentions or [],
        subtype=subtype,
        code=code,
        country=country,
        aliases=aliases,
        ident=ident_from_key(key, type_, name),
        search_name=search_name,
    )


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
    slices: dict[str, Slice] = {}
    for *values, version in conn.execute(_ARTICLES, {"ids": ids}):
        record = Record(article=article_of(*values), extractor_version=version)
        slices[record.article.id] = Slice(record)
    if not slices:
        return {}
    _attach_facts(conn, slices, key, ids, mentioned)
    if mentioned:
        _attach_seen(conn, slices, key, ids)
    _attach_entities(conn, key, slices)
    attach_sets(conn, {a: s.record for a, s in slices.items()}, whole)
    return slices


def _of_wanted(
    table: sa.FromClause, mentioned: bool, *columns: sa.ColumnElement[Any]
) -> sa.Select[Any]:
    """`columns` of `table`'s rows of the facts the page shows (by article and seq),
    joined from the fact index's covering range of the key `_KEY` in articles `_IDS`,
    so no other fact's rows are read (issue 13)."""
    fi = fact_index
    on = sa.and_(table.c.article_id == fi.c.article_id, table.c.seq == fi.c.seq)
    wanted = [fi.c.entity_key == _KEY, fi.c.article_id.in_(_IDS)]
    if not mentioned:
        wanted.append(fi.c.role.is_not(None))
    return sa.select(*columns).select_from(fi.join(table, on)).where(*wanted).distinct()


_ARTICLES = sa.select(*ARTICLE_COLUMNS, articles.c.extractor_version).where(articles.c.id.in_(_IDS))
_EV = (evidence.c.article_id, evidence.c.seq, evidence.c.n, evidence.c.start, evidence.c.end)
_EVIDENCE = {  # by `mentioned`
    m: _of_wanted(evidence, m, *_EV).order_by(*_EV[:3]) for m in (False, True)
}
_F = (facts.c.article_id, facts.c.seq, facts.c.type, facts.c.args, facts.c.confidence)
_FACTS = {m: _of_wanted(facts, m, *_F, facts.c.modality, facts.c.extractor) for m in (False, True)}
_SEEN_FI = fact_index.alias("seen")
_SEEN = _of_wanted(_SEEN_FI, True, _SEEN_FI.c.article_id, _SEEN_FI.c.seq, _SEEN_FI.c.local_id)
_SEEN = _SEEN.where(_SEEN_FI.c.role.is_(None))


def _attach_facts(
    conn: Connection, slices: dict[str, Slice], key: str, ids: list[str], mentioned: bool
) -> None:
    """The facts the page shows and their evidence; the articles' other facts and
    spans are not read (they were, and dropped in Python)."""
    spans: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    params = {"key": key, "ids": ids}
    for aid, seq, _, start, end in conn.execute(_EVIDENCE[mentioned], params):
        spans[(aid, int(seq))].append((start, end))
    rows = conn.execute(_FACTS[mentioned], params)
    for aid, seq, type_, args, confidence, modality, extractor in rows:
        n = int(seq)
        slices[aid].facts[n] = Fact(
            type=type_,
            args=json.loads(args),
            evidence=spans.get((aid, n), []),
            confidence=confidence,
            modality=modality,
            extractor=extractor,
        )


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
_ENTITY_ROWS = sa.select(
    *(_E.c[n] for n in ("article_id", "local_id", "entity_key", "type", "subtype", "code")),
    *(_E.c[n] for n in ("country", "name", "aliases")),
)
# `entity_key || ''` keeps SQLite off ix_entities_entity_key, which it chose for a long
# IN list: every row of «Россия», 250 ms at 200,000 articles, against 2 ms.
_KEY_ROWS = _ENTITY_ROWS.where(_E.c.article_id.in_(_IDS), _E.c.entity_key.concat("") == _KEY)
_PAIR = _E.c.article_id.concat(_SEP).concat(_E.c.local_id)
_NAMED_ROWS = _ENTITY_ROWS.where(
    _E.c.article_id.in_(_IDS), _PAIR.in_(sa.bindparam("pairs", expanding=True))
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
    # Two primary-key ranges: the key's rows of every article (`_KEY_ROWS`), and of the
    # articles with shown facts the rows a fact names (`_NAMED_ROWS`: the pair test
    # filters inside the range).
    reads = [(_KEY_ROWS, {"key": key, "ids": list(slices)})]
    if named:
        # One string per pair: a row-value IN of ~1,200 pairs (RU at 200k) was built
        # and expanded bind by bind, 8% of an uncached dossier (issue 13). The test
        # below keeps only the pairs named (a joined string may match a wider set).
        aids = sorted({a for a, _ in named})
        joined = sorted({f"{a}{_SEP}{i}" for a, i in named})
        reads.append((_NAMED_ROWS, {"ids": aids, "pairs": joined}))
    found: dict[tuple[str, str], Entity] = {}
    for stmt, params in reads:
        rows = conn.execute(stmt, params)
        for aid, local, ekey, type_, subtype, code, country, name, aliases in rows:
            ref = (aid, local)
            if ref in found or (ekey != key and ref not in named):
                continue
            # Aliases are parsed only where the page shows them (its own key's entities).
            shown = json.loads(aliases) if ekey == key else []
            found[ref] = entity_of(local, ekey, type_, subtype, code, country, name, aliases=shown)
    ents: dict[str, list[Entity]] = defaultdict(list)
    for (aid, _), ent in found.items():
        ents[aid].append(ent)
    for aid, part in slices.items():
        part.record.entities = sorted(ents.get(aid, []), key=lambda x: _natural(x.id))


_Q = quotable
_SETS = sa.select(_Q.c.article_id, _Q.c.allowance, _Q.c.pieces, _Q.c.version).where(
    _Q.c.article_id.in_(_IDS)
)


def attach_sets(conn: Connection, records: dict[str, Record], whole: Whole) -> None:
    """Each record's article gets its stored quotable set. An article stored before
    the sets has none; its set is then chosen from its whole record, as
    `get_records` does, so a slice or a bare article quotes exactly as it would.

    One read of the sets (it asked first which exist, then read them: two queries
    per page of slices)."""
    found: set[str] = set()
    for aid, allowance, pieces, version in conn.execute(_SETS, {"ids": list(records)}):
        found.add(aid)
        art = records[aid].article
        art.quotable = QuotableSet.from_row(len(art.text), allowance, pieces, version)
    missing = [a for a in records if a not in found]
    if missing:
        for aid, record in whole(conn, missing).items():
            records[aid].article.quotable = record.article.quotable


def read_articles(conn: Connection, article_ids: Sequence[str], whole: Whole) -> dict[str, Article]:
    """Articles with their quotable sets and nothing else: what `QuoteBudget` needs
    of the neighbours it checks composed wording against (`wording_reveals`)."""
    wanted = list(dict.fromkeys(article_ids))
    out: dict[str, Article] = {}
    for i in range(0, len(wanted), _CHUNK):
        rows = conn.execute(_ARTICLES, {"ids": wanted[i : i + _CHUNK]})
        records = {r[0]: Record(article=article_of(*r[:-1])) for r in rows}
        if records:
            attach_sets(conn, records, whole)
        out.update({a: r.article for a, r in records.items()})
    return out
