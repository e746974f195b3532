"""/facts and /articles: filter forms, facets with counts, sortable tables, exports.

The query string is the state: every facet, sort header and pager link is the
current query with one parameter changed, and the export link is the same query
sent to `/api/export`, so what a reader downloads is what the page lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from newsfacts.api.params import MAX_QUERY_LEN, DateParam, FactType, Offset
from newsfacts.api.present import article_meta, fact_json
from newsfacts.api.state import State
from newsfacts.fact_args import prefetch_args, ref_facts
from newsfacts.web import facets as F
from newsfacts.web import labels as L
from newsfacts.web.templating import page, quote_runs

PAGE_SIZE = 25
Text = Annotated[str | None, Query(max_length=MAX_QUERY_LEN)]
Key = Annotated[str | None, Query(max_length=500)]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")]
Confidence = Annotated[float | None, Query(ge=0, le=1)]
Sort = Annotated[str, Query(pattern=r"^-?(date|confidence|type|source|title)$")]
FACET_TITLES = {
    "date": "Год",
    "source": "Источник",
    "type": "Тип факта",
    "entity": "Участник",
    "country": "Страна",
    "confidence": "Уверенность",
}


def href(path: str, params: dict[str, Any], **change: Any) -> str:
    """`path` with the current query, `change` applied (None removes a parameter)."""
    merged = {**params, **change}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def facet_groups(
    path: str, state: Any, facets: dict[str, list[dict[str, Any]]], params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Facets as link lists: label, count, the link that applies (or clears) the choice."""
    names = state.queries.names([r["value"] for r in facets.get("entity", [])])
    groups = []
    for dim in ("date", "source", "type", "entity", "country", "confidence"):
        items = []
        for row in facets.get(dim, []):
            value = str(row["value"])
            if dim == "date":
                param = {"date_from": value, "date_to": value}
                chosen = params.get("date_from") == value and params.get("date_to") == value
                clear = {"date_from": None, "date_to": None}
                label = f"{value}\u00a0г."
            elif dim == "confidence":
                param = {"min_confidence": value}
                chosen = str(params.get("min_confidence", L.LOW_CONFIDENCE)) == value
                clear = param
                label = row["label"]
            else:
                param = {dim: value}
                chosen = params.get(dim) == value
                clear = {dim: None}
                label = {
                    "type": lambda v: L.FACT_TYPE.get(v, v),
                    "entity": lambda v: names.get(v, (v, ""))[0],
                    "country": L.country_name,
                    "source": lambda v: v,
                }[dim](value)
            link = href(path, params, offset=None, **(clear if chosen else param))
            items.append({"label": label, "n": row["n"], "href": link, "chosen": chosen})
        if items:
            groups.append({"dim": dim, "title": FACET_TITLES[dim], "items": items})
    return groups


def sort_links(path: str, params: dict[str, Any], current: str, sorts: dict[str, Any]) -> dict:
    """Header links: a click sorts by the column, a second click reverses it."""
    out = {}
    for key, (label, _) in sorts.items():
        if current.lstrip("-") == key:
            arrow = " ↓" if current.startswith("-") else " ↑"
            flip = key if current.startswith("-") else f"-{key}"
        else:
            arrow, flip = "", f"-{key}" if key in ("date", "confidence") else key
        out[key] = {"label": label + arrow, "href": href(path, params, sort=flip, offset=None)}
    return out


@dataclass(frozen=True)
class View:
    """One list page's query: its filters, text search, sort and offset.

    Both the page and its export (`web.exports`) take the query through these
    dependencies, so the file holds the rows the page lists, in the same order."""

    filters: F.Filters
    sort: str
    offset: int
    q: str | None = None

    def params(self, state: Any = None) -> dict[str, Any]:
        extra = {"q": self.q} if self.q else {}
        return {
            **self.filters.params(),
            **extra,
            "sort": self.sort if self.sort != "-date" else None,
        }

    def article_ids(self, state: Any) -> list[str] | None:
        """The articles a text search finds (None: no text filter)."""
        return state.search_article_ids(self.q, 500) if self.q and self.q.strip() else None


def fact_view(
    type: FactType | None = None,
    entity: Key = None,
    country: Country = None,
    source: Annotated[str | None, Query(max_length=255)] = None,
    min_confidence: Confidence = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
    q: Text = None,
    sort: Sort = "-date",
    offset: Offset = 0,
) -> View:
    # low-confidence facts stay out unless the reader asks (min_confidence=0)
    conf = L.LOW_CONFIDENCE if min_confidence is None else min_confidence
    f = F.Filters(
        type, entity, country.upper() if country else None, source, conf, date_from, date_to, q
    )
    return View(f, sort, offset)


def article_view(
    source: Annotated[str | None, Query(max_length=255)] = None,
    date_from: DateParam = None,
    date_to: DateParam = None,
    entity: Key = None,
    country: Country = None,
    fact_type: FactType | None = None,
    type: FactType | None = None,
    min_confidence: Confidence = None,
    q: Text = None,
    sort: Sort = "-date",
    offset: Offset = 0,
) -> View:
    kind = type or fact_type  # fact_type: the parameter's older name
    f = F.Filters(
        kind,
        entity,
        country.upper() if country else None,
        source,
        min_confidence,
        date_from,
        date_to,
    )
    return View(f, sort, offset, q)


FactView = Annotated[View, Depends(fact_view)]
ArticleView = Annotated[View, Depends(article_view)]


def build_list_router() -> APIRouter:
    pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @pages.get("/facts")
    def facts(request: Request, state: State, view: FactView) -> HTMLResponse:
        f, sort, offset = view.filters, view.sort, view.offset
        params = view.params()
        found = F.fact_list(state.store.engine, f, sort, PAGE_SIZE, offset)
        budget = state.budget()
        records = state.fact_records(found.items)
        prefetch_args(budget, ref_facts(records, found.items))
        items = []
        for article_id, seq in found.items:
            record = records.get(article_id)
            if record is not None and seq < len(record.facts):
                item = fact_json(record, seq, budget)
                item["article"] = article_meta(record.article, budget)
                items.append(item)
        for item in items:
            item["quotes"] = quote_runs(records[item["article_id"]], item)
        return page(
            request,
            "facts.html",
            page=found,
            items=items,
            filters=f,
            params=params,
            export={k: v for k, v in params.items() if k != "offset"},
            groups=facet_groups("/facts", state, F.fact_facets(state.store.engine, f), params),
            sorts=sort_links("/facts", params, sort, F.FACT_SORTS),
            entity_name=_entity_name(state, f.entity),
            size=PAGE_SIZE,
        )

    @pages.get("/articles")
    def articles(request: Request, state: State, view: ArticleView) -> HTMLResponse:
        f, sort, offset = view.filters, view.sort, view.offset
        ids = view.article_ids(state)
        params = view.params()
        found = F.article_list(state.store.engine, f, ids, sort, PAGE_SIZE, offset)
        return page(
            request,
            "articles.html",
            page=found,
            filters=f,
            q=view.q,
            params=params,
            export={k: v for k, v in params.items() if k != "offset"},
            groups=facet_groups(
                "/articles", state, F.article_facets(state.store.engine, f, ids), params
            ),
            sorts=sort_links("/articles", params, sort, F.ARTICLE_SORTS),
            entity_name=_entity_name(state, f.entity),
            size=PAGE_SIZE,
        )

    return pages


def _entity_name(state: Any, entity: str | None) -> str | None:
    return state.queries.names([entity]).get(entity, (entity, ""))[0] if entity else None
