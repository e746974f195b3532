"""Read-only queries the API and the pages need beyond the store's own methods.

Written over the store's engine and `store.schema` tables in SQLAlchemy Core, so
they run unchanged on SQLite and PostgreSQL. They return ids and small rows; the
callers load whole `Record`s through `Store.get_record` and apply the reuse policy
there, never here.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from newsfacts.api import fact_order
from newsfacts.api.entity_queries import EntityQueries, EntitySummary
from newsfacts.api.entity_search import like
from newsfacts.policy.quotable import QuotableSet
from newsfacts.policy.verbatim import is_text
from newsfacts.store import schema as t
from newsfacts.store import trigram
from newsfacts.store.idlist import among
from newsfacts.store.keys import fold
from newsfacts.store.verdicts import wrong_conds, wrong_holding
from newsfacts.urls import http_url

FactRef = tuple[str, int]  # (article_id, seq)
__all__ = ["EntitySummary", "Page", "Queries", "in_period", "shown_titles"]


@dataclass
class Page:
    """One page of a longer result, with the total so clients can paginate."""

    items: list[Any]
    total: int
    limit: int
    offset: int


def in_period(date_from: str | None, date_to: str | None) -> list[sa.ColumnElement[bool]]:
    """A fact lies in [from, to] when its period (or else its article's date) overlaps it."""
    start = sa.func.coalesce(t.facts.c.period_start, t.articles.c.published)
    end = sa.func.coalesce(t.facts.c.period_end, t.articles.c.published)
    conds: list[sa.ColumnElement[bool]] = []
    if date_from:
        conds.append(end >= date_from)
    if date_to:
        # "2022-06" must include every day of June: compare with the period's last key.
        conds.append(start <= date_to + "-99")
    return conds


def _holding(conn: sa.Connection, folded: str) -> int:
    """How many facts not marked wrong hold `folded`: the text filter's total
    without reading the facts (`trigram.count_holding`; «россия» at 200,000
    articles 0.37 s -> 8 ms), less the facts analysts marked wrong."""
    total = trigram.count_holding(conn, folded)
    if total is None:  # the caller checked the phrase: not reached
        raise ValueError(f"no trigram phrase for {folded!r}")
    if wrong_conds(conn):
        total -= wrong_holding(conn, like(folded))
    return total


def _card(row: Any) -> dict[str, Any]:
    """An article list row: its title only as far as the quotable set holds it."""
    n = int(row.n_chars or 0)
    if row.pieces is None:  # no set stored: a title long enough to be text is left out
        title = row.title if row.title and not is_text(row.title) else None
    else:
        title = QuotableSet.from_row(n, row.allowance, row.pieces, row.version).title(row.title)
    return {
        "id": row.id,
        "title": title,
        "source": row.source,
        "url": http_url(row.url),
        "published": row.published,
    }


def shown_titles(conn: Any, ids: list[str]) -> dict[str, str | None]:
    """Article id → its title as far as its quotable set holds it (issue 12): for
    any page that lists articles by title outside `Queries.articles`."""
    a, qs = t.articles, t.quotable
    cols = [a.c.id, a.c.title, a.c.source, a.c.url, a.c.published, qs.c.allowance]
    cols += [qs.c.pieces, qs.c.version, sa.func.length(a.c.text).label("n_chars")]
    out: dict[str, str | None] = {}
    for i in range(0, len(ids), 500):
        stmt = (
            sa.select(*cols)
            .select_from(a.outerjoin(qs, qs.c.article_id == a.c.id))
            .where(a.c.id.in_(ids[i : i + 500]))
        )
        out.update({r.id: _card(r)["title"] for r in conn.execute(stmt)})
    return out


class Queries(EntityQueries):
    """The read queries of the API and pages; the entity part is `EntityQueries`."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._has_trigram: bool | None = None

    def _trigram(self, folded: str) -> sa.ColumnElement[bool] | None:
        """The SQLite trigram index's narrowing of a fact text filter (store.trigram);
        None where the store has none (PostgreSQL's index needs no extra condition)."""
        if self._has_trigram is None:
            with self.engine.connect() as conn:
                self._has_trigram = trigram.has_index(conn)
        return trigram.narrowing(folded) if self._has_trigram else None

    # --- articles ---------------------------------------------------------------
    def articles(
        self,
        *,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        entity: str | None = None,
        fact_type: str | None = None,
        ids: list[str] | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> Page:
        a, qs = t.articles, t.quotable
        cols = [a.c.id, a.c.title, a.c.source, a.c.url, a.c.published, qs.c.allowance]
        cols += [qs.c.pieces, qs.c.version, sa.func.length(a.c.text).label("n_chars")]
        conds: list[sa.ColumnElement[bool]] = [a.c.duplicate_of.is_(None)]
        if source:
            conds.append(sa.func.lower(a.c.source) == source.lower())
        if date_from:
            conds.append(a.c.published >= date_from)
        if date_to:
            conds.append(a.c.published <= date_to + "-99")
        if entity:
            sub = sa.select(t.entities.c.article_id).where(t.entities.c.entity_key == entity)
            conds.append(a.c.id.in_(sub))
        if fact_type:
            sub = sa.select(t.facts.c.article_id).where(t.facts.c.type == fact_type)
            conds.append(a.c.id.in_(sub))
        params: dict[str, Any] = {}
        if ids is not None:
            # one parameter, not an expanding IN rendered with 500 binds per request
            # (the hits of a text search): ~0.5 ms of /api/articles?q= (issue 13)
            conds.append(among(a.c.id, "article_ids"))
            params["article_ids"] = ids
        # The page's ids and the total in one pass over the matching rows (a window
        # count), then the listed columns for the page's rows only: sorting every
        # match with its quotable set and text length, then counting them again,
        # was 10-12 ms of the 500 hits of /api/articles?q= at 200,000 articles, 6-7
        # now (issue 13, eighth session of 2026-12-07).
        order = [a.c.published.desc().nulls_last(), a.c.id]
        page = (
            sa.select(a.c.id, sa.func.count().over().label("total"))
            .where(*conds)
            .order_by(*order)
            .limit(limit)
            .offset(offset)
            .subquery()
        )
        stmt = (
            sa.select(*cols, page.c.total)
            .select_from(page.join(a, a.c.id == page.c.id).outerjoin(qs, qs.c.article_id == a.c.id))
            .order_by(*order)
        )
        with self.engine.connect() as conn:
            rows = list(conn.execute(stmt, params))
            if rows:
                total = rows[0].total
            else:  # no row on this page: the total comes from a count of its own
                count = sa.select(sa.func.count()).select_from(a).where(*conds)
                total = conn.execute(count, params).scalar_one()
        return Page([_card(r) for r in rows], int(total), limit, offset)

    def search_articles(self, query: str, limit: int = 50) -> list[str]:
        """Article ids whose title or text contains `query` (case-folded in Python).

        A portable fallback for when the store's full-text search is unavailable
        or finds nothing for a partial word.
        """
        a = t.articles
        needle = fold(query)
        out: list[str] = []
        stmt = sa.select(a.c.id, a.c.title, a.c.text).where(a.c.duplicate_of.is_(None))
        with self.engine.connect() as conn:
            for row in conn.execute(stmt):
                if needle in fold(f"{row.title or ''}\n{row.text}"):
                    out.append(row.id)
                    if len(out) >= limit:
                        break
        return out

    # --- facts ------------------------------------------------------------------
    def facts(
        self,
        *,
        type: str | None = None,
        entity: str | None = None,
        country: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        text: str | None = None,
        article_id: str | None = None,
        source: str | None = None,
        min_confidence: float | None = None,
        limit: int = 50,
        offset: int = 0,
        count: bool = True,
    ) -> Page:
        """One page of fact refs. `count=False` leaves `total` at -1 and skips the
        second pass over the matches, half of a text filter's cost (a LIKE over
        every fact: ~75 ms per pass at 80,000 facts) for callers that show no total.

        The facts list, its export and the pages all filter through here, so an
        export holds exactly the facts the same filters list."""
        f, fe = t.facts, t.fact_entities
        conds = in_period(date_from, date_to)
        with self.engine.connect() as conn:
            conds += wrong_conds(conn)  # facts an analyst marked wrong are never listed
        if type:
            conds.append(f.c.type == type)
        if source:
            conds.append(sa.func.lower(t.articles.c.source) == source.lower())
        if min_confidence is not None:
            conds.append(f.c.confidence >= min_confidence)
        if article_id:
            conds.append(f.c.article_id == article_id)
        narrow = None
        if text:
            conds.append(f.c.args_text.like(like(fold(text)), escape="\\"))
            narrow = self._trigram(fold(text))
        for column, value in ((fe.c.entity_key, entity), (fe.c.country, country)):
            if value:
                sub = sa.select(fe.c.article_id, fe.c.seq).where(column == value)
                conds.append(sa.tuple_(f.c.article_id, f.c.seq).in_(sub))
        base = sa.select(f.c.article_id, f.c.seq).select_from(
            f.join(t.articles, t.articles.c.id == f.c.article_id)
        )
        order = [
            sa.func.coalesce(f.c.period_start, t.articles.c.published).desc().nulls_last(),
            f.c.article_id,
            f.c.seq,
        ]
        others = (type, entity, country, date_from, date_to, article_id, source, min_confidence)
        if narrow is not None and all(v is None for v in others):
            # A text-only list (the search page, /api/search, /api/facts?q=): the
            # trigram index's matches are read newest day first, as far as the page
            # needs (fact_order), and the total is counted in the index alone.
            folded = fold(str(text))
            with self.engine.connect() as conn:
                refs = fact_order.newest(conn, base, conds, order, limit, offset, folded)
                if refs is not None:
                    total = _holding(conn, folded) if count else -1
                    return Page(refs, total, limit, offset)
        if narrow is not None:
            conds.append(narrow)
        where = sa.and_(sa.true(), *conds)
        total = (
            self._rows(sa.select(sa.func.count()).select_from(base.where(where).subquery()))
            if count
            else [(-1,)]
        )
        stmt = base.where(where).order_by(*order).limit(limit).offset(offset)
        refs = [(r.article_id, int(r.seq)) for r in self._rows(stmt)]
        return Page(refs, int(total[0][0]), limit, offset)

    def quantity_points(
        self, indicator: str | None = None, subject: str | None = None, limit: int = 2000
    ) -> list[dict[str, Any]]:
        """Reported figures as points; an indicator matches case- and ё-insensitively."""
        f, fe = t.facts, t.fact_entities
        conds: list[sa.ColumnElement[bool]] = [f.c.type == "quantity"]
        if subject:
            sub = sa.select(fe.c.article_id, fe.c.seq).where(fe.c.entity_key == subject)
            conds.append(sa.tuple_(f.c.article_id, f.c.seq).in_(sub))
        stmt = (
            sa.select(f.c.article_id, f.c.seq, f.c.args, f.c.period_start, t.articles.c.published)
            .select_from(f.join(t.articles, t.articles.c.id == f.c.article_id))
            .where(*conds)
            .limit(limit)
        )
        out = []
        wanted = fold(indicator) if indicator else None
        for r in self._rows(stmt):
            args = json.loads(r.args)
            name = str(args.get("indicator") or "")
            if wanted and fold(name) != wanted:
                continue
            value = args.get("value")
            if not isinstance(value, int | float):
                continue
            period = args.get("period")
            if isinstance(period, dict):
                period = period.get("value")
            out.append(
                {
                    "article_id": r.article_id,
                    "seq": int(r.seq),
                    "indicator": name,
                    "value": value,
                    "unit": args.get("unit"),
                    "qualifier": args.get("qualifier", "eq"),
                    "period": period if isinstance(period, str) else None,
                    "published": r.published,
                    "sort_key": r.period_start or r.published or "",
                }
            )
        subjects = self._subjects([(p["article_id"], p["seq"]) for p in out])
        for p in out:
            p["subjects"] = subjects.get((p["article_id"], p["seq"]), [])
        out.sort(key=lambda p: (fold(p["indicator"]), p["sort_key"], p["article_id"], p["seq"]))
        return out

    def _subjects(self, refs: list[FactRef]) -> dict[FactRef, list[dict[str, str]]]:
        """Each figure's subjects as {key, name}: whose trade, whose budget it is."""
        fe = t.fact_entities
        wanted = set(refs)
        found: dict[FactRef, list[str]] = defaultdict(list)
        article_ids = sorted({a for a, _ in wanted})
        for i in range(0, len(article_ids), 500):  # bounded IN lists
            stmt = (
                sa.select(fe.c.article_id, fe.c.seq, fe.c.entity_key)
                .where(fe.c.role == "subjects", fe.c.article_id.in_(article_ids[i : i + 500]))
                .order_by(fe.c.article_id, fe.c.seq, fe.c.entity_key)
            )
            for r in self._rows(stmt):
                ref = (r.article_id, int(r.seq))
                if ref in wanted and r.entity_key not in found[ref]:
                    found[ref].append(r.entity_key)
        names = self.names(sorted({k for keys in found.values() for k in keys}))
        return {
            ref: [{"key": k, "name": names.get(k, (k, ""))[0]} for k in keys]
            for ref, keys in found.items()
        }

    def meeting_pairs(
        self, date_from: str | None = None, date_to: str | None = None, limit: int = 5000
    ) -> list[tuple[str, str, str, int]]:
        """(key_a, key_b, article_id, seq) for each pair of participants of each meeting."""
        f, fe = t.facts, t.fact_entities
        with self.engine.connect() as conn:
            judged = wrong_conds(conn)  # a meeting an analyst marked wrong is not drawn
        stmt = (
            sa.select(fe.c.article_id, fe.c.seq, fe.c.entity_key)
            .select_from(
                fe.join(f, sa.and_(f.c.article_id == fe.c.article_id, f.c.seq == fe.c.seq)).join(
                    t.articles, t.articles.c.id == f.c.article_id
                )
            )
            .where(
                f.c.type == "meeting",
                fe.c.role == "participants",
                *in_period(date_from, date_to),
                *judged,
            )
            .order_by(fe.c.article_id, fe.c.seq)
            .limit(limit)
        )
        groups: dict[tuple[str, int], list[str]] = defaultdict(list)
        for r in self._rows(stmt):
            keys = groups[(r.article_id, int(r.seq))]
            if r.entity_key not in keys:
                keys.append(r.entity_key)
        pairs = []
        for (article_id, seq), keys in groups.items():
            for i, a in enumerate(keys):
                for b in keys[i + 1 :]:
                    pairs.append((*sorted((a, b)), article_id, seq))
        return pairs
