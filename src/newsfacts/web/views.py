"""Server-rendered pages for analysts: search, article, entity, dossier, meeting graph.

Pages render the same dictionaries as the JSON API (`api.aggregate`,
`api.present`) through autoescaped Jinja2 templates; the only script is a small
vendored one that highlights a node's meetings in the graph.
"""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from newsfacts.api import aggregate
from newsfacts.api.params import MAX_QUERY_LEN, DateParam
from newsfacts.api.present import article_meta, fact_json, record_json
from newsfacts.api.state import State
from newsfacts.fact_args import prefetch_args, ref_facts
from newsfacts.kb.verdicts import links_of as kb_links_of
from newsfacts.store import schema as t
from newsfacts.web.cardgroups import sections
from newsfacts.web.charts import figure_series
from newsfacts.web.curation import Verdicts, build_curation_router, curated
from newsfacts.web.exports import build_export_router
from newsfacts.web.kbpages import build_kb_router
from newsfacts.web.lists import build_list_router
from newsfacts.web.positions import posts
from newsfacts.web.render import entity_href, segments
from newsfacts.web.statements import Statements
from newsfacts.web.templating import HERE, page, quote_runs
from newsfacts.web.timeline import Cards, cut


def build_page_router() -> APIRouter:
    pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @pages.get("/")
    def search(
        request: Request,
        state: State,
        q: Annotated[str | None, Query(max_length=MAX_QUERY_LEN)] = None,
    ) -> HTMLResponse:
        budget = state.budget()
        articles: list[dict[str, Any]] = []
        entities: list[dict[str, Any]] = []
        facts: list[dict[str, Any]] = []
        if q and q.strip():
            ids = state.search_article_ids(q, 30)
            if ids:
                articles = state.queries.articles(ids=ids, limit=30).items
            entities = state.queries.search_entities(q, limit=30)
            refs = state.queries.facts(text=q, limit=30, count=False).items
            records = state.fact_records(refs)
            prefetch_args(budget, ref_facts(records, refs))
            for article_id, seq in refs:
                record = records.get(article_id)
                if record is not None and seq < len(record.facts):
                    item = fact_json(record, seq, budget)
                    item["quotes"] = quote_runs(record, item)
                    item["article"] = article_meta(record.article, budget)
                    facts.append(item)
        else:
            articles = state.queries.articles(limit=10).items
        return page(
            request,
            "search.html",
            q=q or "",
            articles=articles,
            entities=entities,
            facts=facts,
            statement=Statements(facts),
        )

    @pages.get("/articles/{article_id}")
    def article(request: Request, state: State, article_id: str) -> HTMLResponse:
        record = state.record(article_id)
        if record is None:
            raise HTTPException(404, f"article {article_id!r} not found")
        budget = state.budget()
        view = record_json(record, budget)
        body = None
        if view["text"] is not None:
            marks = [(s, e) for f in record.facts for s, e in f.evidence]
            body = segments(record.article.text, 0, len(record.article.text), record, marks)
        for fact in view["facts"]:
            fact["quotes"] = quote_runs(record, fact)
        with state.store.engine.connect() as conn:
            links = kb_links_of(conn, article_id)  # the link forms show each mention's entity
        return page(request, "article.html", view=view, body=body, links=links)

    @pages.get("/entities/{key:path}")
    def entity(request: Request, state: State, key: str, cards: Cards = 0) -> HTMLResponse:
        view = state.entity_page(key, lazy=True)  # only the cards shown are presented
        if view is None:
            raise HTTPException(404, f"entity {key!r} not found")
        titles = {a["id"]: a["title"] for a in view["sources"]}
        timeline, part = cut(view["timeline"], cards, request)
        shown = sections(view)
        facts = [*(f for c in shown.values() for f in c.shown), *timeline]
        for fact in facts:
            fact.setdefault("title", titles.get(fact["article_id"]))
        said = Statements(facts)
        verdicts = Verdicts(state)
        held, n_posts = posts(view["post_reports"], view["entity"]["key"], verdicts.of, curated)
        return page(
            request,
            "entity.html",
            view=view,
            timeline=timeline,
            part=part,
            verdicts=verdicts,
            posts=held,
            n_posts=n_posts,
            cards=shown,
            statement=said,
        )

    @pages.get("/dossiers/{key:path}")
    def dossier(request: Request, state: State, key: str, cards: Cards = 0) -> HTMLResponse:
        view = state.dossier_page(key, lazy=True)  # only the cards shown are presented
        if view is None:
            raise HTTPException(404, f"place {key!r} not found")
        published = published_dates(state, {f["article_id"] for f in view["figures"]})
        for f in view["figures"]:
            f["published"] = published.get(f["article_id"])
        stored = stored_indicators(state, {f["article_id"] for f in view["figures"]})
        series = figure_series(view["figures"], view["entity"]["key"], stored)
        timeline, part = cut(view["timeline"], cards, request)
        said = Statements([*timeline, *series.get("nearby", [])])
        return page(
            request,
            "dossier.html",
            view=view,
            series=series,
            timeline=timeline,
            part=part,
            statement=said,
        )

    @pages.get("/graph")
    def graph(
        request: Request, state: State, date_from: DateParam = None, date_to: DateParam = None
    ) -> HTMLResponse:
        data = aggregate.meeting_graph(
            state.queries, date_from, date_to, event_of=state.event_of, same_as=state.same_as
        )
        nodes = {n["key"]: {**n, "href": entity_href(n)} for n in data["nodes"]}
        edges = [
            {**e, "a": nodes[e["source"]], "b": nodes[e["target"]]}
            for e in sorted(data["edges"], key=lambda e: -e["count"])
            if e["source"] in nodes and e["target"] in nodes
        ]
        graph_json = {
            "nodes": list(nodes.values()),
            "edges": [{k: e[k] for k in ("source", "target", "count")} for e in edges],
        }
        return page(
            request,
            "graph.html",
            graph=data,
            graph_json=graph_json,
            edges=edges,
            filters={"date_from": date_from, "date_to": date_to},
        )

    return pages


def published_dates(state: Any, ids: set[str]) -> dict[str, str | None]:
    """article id → publication date, duplicates included (a figure may come from one)."""
    if not ids:
        return {}
    a = t.articles
    stmt = sa.select(a.c.id, a.c.published).where(a.c.id.in_(sorted(ids)))
    with state.store.engine.connect() as conn:
        return {r.id: r.published for r in conn.execute(stmt)}


def stored_indicators(state: Any, ids: set[str]) -> dict[tuple[str, int], str]:
    """(article_id, seq) → a figure's indicator as stored, only to group series by."""
    if not ids:
        return {}
    f = t.facts
    stmt = sa.select(f.c.article_id, f.c.seq, f.c.args).where(
        f.c.article_id.in_(sorted(ids)), f.c.type == "quantity"
    )
    with state.store.engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return {
        (r.article_id, int(r.seq)): str(json.loads(r.args).get("indicator") or "") for r in rows
    }


def error_page(request: Request, status_code: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status_code=status_code, status=status_code, message=message)


class DropEmptyParams:
    """HTML forms submit every field, filled or not ("?date_from=&date_to=2022").

    For pages an empty field means "no filter", so it is removed before
    validation; the JSON API keeps rejecting empty values with a 422.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/api"):
            raw = scope.get("query_string", b"")
            if raw:
                pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
                kept = urlencode([(k, v) for k, v in pairs if v.strip()])
                scope = {**scope, "query_string": kept.encode("ascii")}
        await self.app(scope, receive, send)


def mount_pages(app: FastAPI) -> None:
    app.state.html_error = error_page  # errors outside /api render as pages
    app.add_middleware(DropEmptyParams)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(build_export_router())  # before /articles/{article_id}
    app.include_router(build_page_router())
    app.include_router(build_list_router())
    app.include_router(build_kb_router())
    app.include_router(build_curation_router())
