"""Filters with counts for the fact and article lists.

Each facet is counted under every filter but its own, so «источник» lists how many
facts each outlet would give with the other choices kept, and a reader sees where a
click leads before making it. The fact conditions follow `Queries.facts` filter for
filter (period overlap, folded text in `args_text`, entity and country through
`fact_entities`, source, minimum confidence), so the export link, which goes through
`/api/export` with the same parameters, holds exactly the listed facts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

import sqlalchemy as sa

from newsfacts.api.entity_search import like
from newsfacts.api.queries import Page, in_period, shown_titles
from newsfacts.store import schema as t
from newsfacts.store.keys import fold
from newsfacts.store.verdicts import not_wrong
from newsfacts.urls import http_url
from newsfacts.web.labels import LOW_CONFIDENCE

TOP = 12
CONFIDENCE_LEVELS = (("0.8", "высокая (от 0,8)"), (str(LOW_CONFIDENCE), "от 0,5"), ("0", "любая"))
FACT_SORTS = {
    "date": ("Дата", lambda: _fact_date()),
    "confidence": ("Уверенность", lambda: t.facts.c.confidence),
    "type": ("Тип", lambda: t.facts.c.type),
    "source": ("Источник", lambda: t.articles.c.source),
}
ARTICLE_SORTS = {
    "date": ("Дата", lambda: t.articles.c.published),
    "title": ("Заголовок", lambda: t.articles.c.title),
    "source": ("Источник", lambda: t.articles.c.source),
}


def _fact_date() -> sa.ColumnElement[Any]:
    return sa.func.coalesce(t.facts.c.period_start, t.articles.c.published)


@dataclass(frozen=True)
class Filters:
    """The query string of /facts and /articles; the names are /api/export's."""

    type: str | None = None
    entity: str | None = None
    country: str | None = None
    source: str | None = None
    min_confidence: float | None = None
    date_from: str | None = None
    date_to: str | None = None
    q: str | None = None

    def params(self) -> dict[str, Any]:
        """Non-empty filters as query parameters (also the export's parameters)."""
        out = {k: v for k, v in asdict(self).items() if v not in (None, "")}
        if self.min_confidence is not None:
            out["min_confidence"] = f"{self.min_confidence:g}"
        return out


def _fact_conds(f: Filters, skip: str = "", verdicts: bool = True) -> list[sa.ColumnElement[bool]]:
    facts, fe = t.facts, t.fact_entities
    conds = [] if skip == "date" else in_period(f.date_from, f.date_to)
    if verdicts:
        conds.append(not_wrong())  # facts an analyst marked wrong are never listed or counted
    if f.type and skip != "type":
        conds.append(facts.c.type == f.type)
    if f.source and skip != "source":
        conds.append(sa.func.lower(t.articles.c.source) == f.source.lower())
    if f.min_confidence is not None and skip != "confidence":
        conds.append(facts.c.confidence >= f.min_confidence)
    if f.q:
        conds.append(facts.c.args_text.like(like(fold(f.q)), escape="\\"))
    for dim, column, value in (
        ("entity", fe.c.entity_key, f.entity),
        ("country", fe.c.country, f.country),
    ):
        if value and skip != dim:
            sub = sa.select(fe.c.article_id, fe.c.seq).where(column == value)
            conds.append(sa.tuple_(facts.c.article_id, facts.c.seq).in_(sub))
    return conds


def _fact_from() -> Any:
    return t.facts.join(t.articles, t.articles.c.id == t.facts.c.article_id)


def fact_list(engine: sa.Engine, f: Filters, sort: str, limit: int, offset: int) -> Page:
    """One page of (article_id, seq), sorted by a column of the table ("-date": newest first)."""
    key = sort.lstrip("-")
    column = FACT_SORTS.get(key, FACT_SORTS["date"])[1]()
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    where = sa.and_(sa.true(), *_fact_conds(f))
    with engine.connect() as conn:
        total = conn.execute(sa.select(sa.func.count()).select_from(_fact_from()).where(where))
        n = int(total.scalar() or 0)
        stmt = (
            sa.select(t.facts.c.article_id, t.facts.c.seq)
            .select_from(_fact_from())
            .where(where)
            .order_by(order, t.facts.c.article_id, t.facts.c.seq)
            .limit(limit)
            .offset(offset)
        )
        refs = [(r.article_id, int(r.seq)) for r in conn.execute(stmt)]
    return Page(refs, n, limit, offset)


def _count(conn: Any, column: Any, from_: Any, conds: list[Any], limit: int = TOP) -> list[Any]:
    # one fact counts once however many of its entities match (no tuple DISTINCT in SQLite)
    ref = t.facts.c.article_id.concat(":").concat(sa.cast(t.facts.c.seq, sa.String))
    n = sa.func.count(sa.distinct(ref))
    stmt = (
        sa.select(column.label("value"), n.label("n"))
        .select_from(from_)
        .where(sa.and_(sa.true(), *conds), column.is_not(None))
        .group_by(column)
        .order_by(sa.desc("n"), column)
        .limit(limit)
    )
    return list(conn.execute(stmt))


def fact_facets(engine: sa.Engine, f: Filters) -> dict[str, list[dict[str, Any]]]:
    """value, count and whether chosen, per facet: type, source, year, entity, country,
    confidence."""
    fe = t.fact_entities
    with_entities = _fact_from().join(
        fe, sa.and_(fe.c.article_id == t.facts.c.article_id, fe.c.seq == t.facts.c.seq)
    )
    year = sa.func.substr(_fact_date(), 1, 4)
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for dim, column, from_ in (
            ("type", t.facts.c.type, _fact_from()),
            ("source", t.articles.c.source, _fact_from()),
            ("date", year, _fact_from()),
            ("entity", fe.c.entity_key, with_entities),
            ("country", fe.c.country, with_entities),
        ):
            limit = 50 if dim == "date" else TOP
            rows = _count(conn, column, from_, _fact_conds(f, skip=dim), limit)
            out[dim] = [{"value": r.value, "n": int(r.n)} for r in rows]
        out["date"].sort(key=lambda r: r["value"], reverse=True)
        base = _fact_conds(f, skip="confidence")
        levels = []
        for value, label in CONFIDENCE_LEVELS:
            conds = [*base, t.facts.c.confidence >= float(value)]
            stmt = sa.select(sa.func.count()).select_from(_fact_from()).where(sa.and_(*conds))
            levels.append({"value": value, "label": label, "n": int(conn.execute(stmt).scalar())})
        out["confidence"] = levels
    return out


def _article_conds(f: Filters, ids: list[str] | None, skip: str = "") -> list[Any]:
    """Articles that have at least one fact passing the fact filters (when any is set)."""
    a = t.articles
    conds: list[Any] = [a.c.duplicate_of.is_(None)]
    if f.source and skip != "source":
        conds.append(sa.func.lower(a.c.source) == f.source.lower())
    if f.date_from and skip != "date":
        conds.append(a.c.published >= f.date_from)
    if f.date_to and skip != "date":
        conds.append(a.c.published <= f.date_to + "-99")
    if f.entity and skip != "entity":
        sub = sa.select(t.entities.c.article_id).where(t.entities.c.entity_key == f.entity)
        conds.append(a.c.id.in_(sub))
    if f.country and skip != "country":
        sub = sa.select(t.fact_entities.c.article_id).where(t.fact_entities.c.country == f.country)
        conds.append(a.c.id.in_(sub))
    fact_level = replace(f, source=None, date_from=None, date_to=None, entity=None, country=None)
    fact_conds = _fact_conds(fact_level, skip=skip, verdicts=False)
    if fact_conds:
        sub = (
            sa.select(t.facts.c.article_id)
            .select_from(_fact_from())
            .where(*fact_conds, not_wrong())
        )
        conds.append(a.c.id.in_(sub))
    if ids is not None:
        conds.append(a.c.id.in_(ids))
    return conds


def article_list(
    engine: sa.Engine, f: Filters, ids: list[str] | None, sort: str, limit: int, offset: int
) -> Page:
    a = t.articles
    key = sort.lstrip("-")
    column = ARTICLE_SORTS.get(key, ARTICLE_SORTS["date"])[1]()
    order = column.desc().nulls_last() if sort.startswith("-") else column.asc().nulls_last()
    n_facts = (
        sa.select(sa.func.count())
        .where(t.facts.c.article_id == a.c.id)
        .scalar_subquery()
        .label("n_facts")
    )
    where = sa.and_(*_article_conds(f, ids))
    with engine.connect() as conn:
        total = int(conn.execute(sa.select(sa.func.count()).select_from(a).where(where)).scalar())
        stmt = (
            sa.select(a.c.id, a.c.title, a.c.source, a.c.url, a.c.published, n_facts)
            .where(where)
            .order_by(order, a.c.id)
            .limit(limit)
            .offset(offset)
        )
        items = [dict(r._mapping) for r in conn.execute(stmt)]
        titles = shown_titles(conn, [i["id"] for i in items])  # within the quotable set
        for item in items:
            item["title"], item["url"] = titles.get(item["id"]), http_url(item["url"])
    return Page(items, total, limit, offset)


def article_facets(
    engine: sa.Engine, f: Filters, ids: list[str] | None
) -> dict[str, list[dict[str, Any]]]:
    a, fe = t.articles, t.fact_entities
    n = sa.func.count(sa.distinct(a.c.id)).label("n")
    specs = {
        "source": (a.c.source, a),
        "date": (sa.func.substr(a.c.published, 1, 4), a),
        "type": (t.facts.c.type, a.join(t.facts, t.facts.c.article_id == a.c.id)),
        "entity": (fe.c.entity_key, a.join(fe, fe.c.article_id == a.c.id)),
        "country": (fe.c.country, a.join(fe, fe.c.article_id == a.c.id)),
    }
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for dim, (column, from_) in specs.items():
            stmt = (
                sa.select(column.label("value"), n)
                .select_from(from_)
                .where(*_article_conds(f, ids, skip=dim), column.is_not(None))
                .group_by(column)
                .order_by(sa.desc("n"), column)
                .limit(50 if dim == "date" else TOP)
            )
            out[dim] = [{"value": r.value, "n": int(r.n)} for r in conn.execute(stmt)]
        out["date"].sort(key=lambda r: r["value"], reverse=True)
        levels = []
        for value, label in CONFIDENCE_LEVELS:
            conds = _article_conds(replace(f, min_confidence=float(value)), ids)
            stmt = sa.select(sa.func.count()).select_from(a).where(*conds)
            levels.append({"value": value, "label": label, "n": int(conn.execute(stmt).scalar())})
        out["confidence"] = levels
    return out
