"""Reads of whole articles and records, listings and counts (`Store`'s read part)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Article, Entity, Fact, Record
from newsfacts.store import quotable as qset
from newsfacts.store import runlookup
from newsfacts.store.base import StoreBase, _bounds, _limit, _natural
from newsfacts.store.factindex import Slice, read_articles, read_slices
from newsfacts.store.fromrows import article_of, entity_of
from newsfacts.store.idlist import among
from newsfacts.store.schema import (
    articles,
    entities,
    evidence,
    facts,
    lsh_keys,
    mentions,
    permissions,
)
from newsfacts.store.unseen import unseen

_RECORD_CHUNK = 500  # ids per IN (...) in get_records; far below any bind-parameter cap


def _of_ids(table: sa.Table, *order: Any) -> sa.Select[Any]:
    """A table's rows for the articles of the list parameter `ids` (`idlist.among`):
    built once, so no statement is compiled, nor an expanding IN rendered, per read."""
    return sa.select(table).where(among(table.c.article_id, "ids")).order_by(*order)


# `_read_records`' statements: the search page reads the records behind its 30 facts
# at every request (issue 13).
_ARTICLES = sa.select(articles).where(among(articles.c.id, "ids"))
_GROUPED = (
    _of_ids(entities),
    _of_ids(mentions, mentions.c.local_id, mentions.c.n),
    _of_ids(facts, facts.c.seq),
    _of_ids(evidence, evidence.c.seq, evidence.c.n),
)


class ReadMixin(StoreBase):
    """Articles, records, article cards, duplicate candidates and counts."""

    def near_duplicate_candidates(self, fingerprint: Iterable[str]) -> list[str]:
        """Ids of stored articles sharing at least one LSH band key, most shared first."""
        keys = sorted({str(k) for k in fingerprint if k})
        if not keys:
            return []
        shared = sa.func.count().label("shared")
        with self._read() as conn:
            rows = conn.execute(
                sa.select(lsh_keys.c.article_id, shared)
                .where(lsh_keys.c.key.in_(keys))
                .group_by(lsh_keys.c.article_id)
                .order_by(shared.desc(), lsh_keys.c.article_id)
            )
            return [r.article_id for r in rows]

    def extractor_version(self, article_id: str) -> str | None:
        """The extractor version an article was stored with ("" before extraction),
        or None when it is not stored: the cheap way to decide what to re-extract."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(articles.c.extractor_version).where(articles.c.id == article_id)
            ).first()
        return None if row is None else row.extractor_version

    def get_article(self, article_id: str) -> Article | None:
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return None if row is None else _article_from_row(row)

    def get_article_meta(self, article_id: str) -> dict[str, Any] | None:
        """Article columns without the text: extractor version, duplicate_of, origin…"""
        cols = [c for c in articles.c if c.name != "text"]
        with self._read() as conn:
            row = conn.execute(sa.select(*cols).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        out["policy"] = json.loads(out["policy"])
        out["repairs"] = json.loads(out["repairs"])
        return out

    def get_record(self, article_id: str) -> Record | None:
        return self.get_records([article_id]).get(article_id)

    def get_records(self, article_ids: Sequence[str]) -> dict[str, Record]:
        """Many records in one read: five queries per chunk of ids instead of a
        connection and five queries per article (an entity page loads up to 200,
        which took about a second on a 20,000-article store; docs/latency.md).
        Ids that are not stored are simply absent from the result."""
        wanted = list(dict.fromkeys(article_ids))
        out: dict[str, Record] = {}
        with self._read() as conn:
            for i in range(0, len(wanted), _RECORD_CHUNK):
                out.update(self._read_records(conn, wanted[i : i + _RECORD_CHUNK]))
        return out

    def get_articles(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """Articles with their quotable sets, without entities, mentions or facts
        (whole records for this were most of an entity page's rendering, issue 13)."""
        with self._read() as conn:
            return read_articles(conn, article_ids, self._read_records)

    def texts_holding(self, value: str) -> list[str]:
        """Stored articles whose text holds a verbatim run of `value` (`store.shown`)."""
        with self._read() as conn:
            return sorted(runlookup.holding(conn, value))

    def texts_holding_many(self, values: Sequence[str]) -> dict[str, list[str]]:
        """`texts_holding` of each value, in one read (a page's statements at once)."""
        with self._read() as conn:
            return {v: sorted(ids) for v, ids in runlookup.holding_many(conn, values).items()}

    def texts_unseen(self, article_ids: Sequence[str], strings: Sequence[str] = ()) -> set[str]:
        """Of `article_ids`, those `texts_holding` may not see: without indexed runs,
        or whose text contains one of `strings` (`store.unseen`)."""
        with self._read() as conn:
            return unseen(conn, article_ids, strings)

    def texts_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The stored texts of `article_ids` (no other column): what the wording check
        searches for a statement's hyphen-edge strings (`policy.neighbours`)."""
        wanted = list(dict.fromkeys(article_ids))
        out: dict[str, str] = {}
        with self._read() as conn:
            for i in range(0, len(wanted), _RECORD_CHUNK):
                chunk = wanted[i : i + _RECORD_CHUNK]
                stmt = sa.select(articles.c.id, articles.c.text).where(articles.c.id.in_(chunk))
                out.update({r.id: r.text for r in conn.execute(stmt)})
        return out

    def fact_slices(
        self, key: str, article_ids: Sequence[str], *, mentioned: bool = False
    ) -> dict[str, Slice]:
        """What an entity page (`mentioned`: a dossier) shows of each article for
        entity `key`: the facts naming it, the article and its entity rows, through
        the narrow fact index instead of whole records (issue 13)."""
        with self._read() as conn:
            return read_slices(
                conn, key, article_ids, mentioned=mentioned, whole=self._read_records
            )

    def _read_records(self, conn: Connection, ids: list[str]) -> dict[str, Record]:
        params = {"ids": ids}
        rows = conn.execute(_ARTICLES, params).all()
        if not rows:
            return {}
        ents, mens, fs, evs = (_grouped(conn, stmt, params) for stmt in _GROUPED)
        records = {
            row.id: _record_from_rows(row, ents[row.id], mens[row.id], fs[row.id], evs[row.id])
            for row in rows
        }
        qset.attach_sets(conn, records)
        return records

    def list_articles(
        self,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        entity_key: str | None = None,
        fact_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Article cards (no text), newest first; dates are ISO prefixes."""
        n_facts = (
            sa.select(sa.func.count())
            .where(facts.c.article_id == articles.c.id)
            .scalar_subquery()
            .label("facts")
        )
        query = sa.select(
            articles.c.id,
            articles.c.title,
            articles.c.source,
            articles.c.url,
            articles.c.published,
            articles.c.extractor_version,
            articles.c.duplicate_of,
            articles.c.ingested_at,
            articles.c.policy,
            n_facts,
        )
        if source:
            query = query.where(articles.c.source == source)
        if date_from:
            query = query.where(articles.c.published >= _bounds(date_from, "date_from")[0])
        if date_to:
            # "T99" also admits datetimes of the last day ("2022-04-28T10:00").
            query = query.where(articles.c.published <= _bounds(date_to, "date_to")[1] + "T99")
        # IN (subquery) rather than correlated EXISTS: both backends then start
        # from the small set of matching articles instead of probing every one.
        if entity_key:
            query = query.where(
                articles.c.id.in_(
                    sa.select(entities.c.article_id).where(entities.c.entity_key == entity_key)
                )
            )
        if fact_type:
            query = query.where(
                articles.c.id.in_(sa.select(facts.c.article_id).where(facts.c.type == fact_type))
            )
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        query = (
            query.order_by(articles.c.published.desc().nulls_last(), articles.c.id)
            .limit(_limit(limit))
            .offset(max(0, int(offset)))
        )
        with self._read() as conn:
            out = []
            for row in conn.execute(query):
                item = dict(row._mapping)
                item["policy"] = json.loads(item["policy"])
                out.append(item)
            return out

    def stats(self) -> dict[str, int]:
        """Flat counts (the CLI prints them as "name value")."""
        with self._read() as conn:

            def scalar(query: Any) -> int:
                return int(conn.execute(query).scalar() or 0)

            return {
                "articles": scalar(sa.select(sa.func.count()).select_from(articles)),
                "duplicates": scalar(
                    sa.select(sa.func.count()).where(articles.c.duplicate_of.is_not(None))
                ),
                "sources": scalar(sa.select(sa.func.count(sa.distinct(articles.c.source)))),
                "entities": scalar(sa.select(sa.func.count(sa.distinct(entities.c.entity_key)))),
                "facts": scalar(sa.select(sa.func.count()).select_from(facts)),
                "permissions": scalar(sa.select(sa.func.count()).select_from(permissions)),
            }

    def fact_type_counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute(
                sa.select(facts.c.type, sa.func.count())
                .group_by(facts.c.type)
                .order_by(facts.c.type)
            )
            return {t: int(n) for t, n in rows}


def entity_from_row(
    row: Any,
    *,
    aliases: list[str],
    mentions: list[tuple[int, int]] | None = None,
    search_name: str | None = None,
) -> Entity:
    """An `entities` row as the record's entity (`fromrows.entity_of`). Callers
    that read few columns (the fact index's slices) pass what they have."""
    return entity_of(
        row.local_id,
        row.entity_key,
        row.type,
        row.subtype,
        row.code,
        row.country,
        row.name,
        aliases=aliases,
        mentions=mentions,
        search_name=search_name,
    )


def _grouped(
    conn: Connection, stmt: sa.Select[Any], params: dict[str, Any]
) -> dict[str, list[Any]]:
    """A statement's rows by article id, in the statement's order."""
    out: dict[str, list[Any]] = defaultdict(list)
    for r in conn.execute(stmt, params).all():
        out[r.article_id].append(r)
    return out


def _record_from_rows(
    row: Any, ent_rows: list[Any], men_rows: list[Any], fact_rows: list[Any], ev_rows: list[Any]
) -> Record:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in men_rows:
        spans[m.local_id].append((m.start, m.end))
    ents = [
        entity_from_row(
            e,
            mentions=spans.get(e.local_id, []),
            aliases=[] if e.aliases == "[]" else json.loads(e.aliases),
            search_name=e.search_norm,  # kept on re-save; never shown
        )
        for e in sorted(ent_rows, key=lambda e: _natural(e.local_id))
    ]
    ev: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in ev_rows:
        ev[r.seq].append((r.start, r.end))
    fs = [
        Fact(
            type=f.type,
            args=json.loads(f.args),
            evidence=ev.get(f.seq, []),
            confidence=f.confidence,
            modality=f.modality,
            extractor=f.extractor,
        )
        for f in fact_rows
    ]
    return Record(
        article=_article_from_row(row),
        entities=ents,
        facts=fs,
        extractor_version=row.extractor_version,
    )


def _article_from_row(row: Any) -> Article:
    r = row
    return article_of(
        r.id, r.text, r.title, r.source, r.url, r.published, r.language, r.policy, r.repairs
    )
