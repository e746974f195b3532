"""The HTTP API: JSON under `/api/`, analysts' pages under `/`, OpenAPI at `/openapi.json`.

`create_app` takes an open store rather than a path so tests, the CLI and a
deployment decide how the store is opened; everything else (policy registry,
extraction pipeline, ingest token) is injectable for the same reason. Each
request gets its own `QuoteBudget`, so the reuse policy holds per response.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfacts import __version__
from newsfacts.api import aggregate
from newsfacts.api.present import article_meta, fact_json, record_json
from newsfacts.api.queries import Queries
from newsfacts.export import FORMATS, MEDIA_TYPES, ExportError, export_bytes, select_records
from newsfacts.model import FACT_TYPES, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.registry import PolicyRegistry, default_registry

if TYPE_CHECKING:
    from newsfacts.pipeline import Pipeline
    from newsfacts.store import Store

ENV_TOKEN = "NEWSFACTS_API_TOKEN"
MAX_INGEST_BYTES = 5_000_000
ISO_DATE = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
INGEST_SUFFIX = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json-lines": ".jsonl",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
}

FactType = Literal[FACT_TYPES]  # type: ignore[valid-type]
DateParam = Annotated[
    str | None, Query(pattern=ISO_DATE, description="ISO date or period: 2022, 2022-06, 2022-06-01")
]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


class AppState:
    """What every request needs: the store, its queries, the policy, the pipeline."""

    def __init__(
        self,
        store: Store,
        token: str | None,
        registry: PolicyRegistry,
        pipeline: Pipeline | None,
    ) -> None:
        self.store = store
        self.queries = Queries(store.engine)
        self.token = token
        self.registry = registry
        self._pipeline = pipeline
        # One ingest at a time: the NLP models are not known to be thread-safe, and
        # SQLite takes one writer anyway.
        self.ingest_lock = threading.Lock()

    def budget(self) -> QuoteBudget:
        return QuoteBudget(self.registry, permitted=self.store.has_permission)

    def record(self, article_id: str) -> Record | None:
        return self.store.get_record(article_id)

    def records(self, article_ids: list[str]) -> dict[str, Record]:
        """Many records in one store read (entity pages and dossiers load up to 200)."""
        return self.store.get_records(article_ids)

    def fact_records(self, refs: list[tuple[str, int]]) -> dict[str, Record]:
        """Each article behind a page of facts, loaded once however many facts it has."""
        return self.records(list(dict.fromkeys(a for a, _ in refs)))

    def entity_page(self, key: str) -> dict[str, Any] | None:
        """The entity view plus the KB's canonical entity and merged events.

        `key` may be a store key of one article ("person:ерболат досаев") or a KB
        id; for a KB id the view is built on the store key most of its links carry.
        """
        budget = self.budget()
        canonical = aggregate.canonical_block(self.store, key)
        view = aggregate.entity_view(key, self.queries, self.record, budget, load_many=self.records)
        if view is None and canonical is not None:
            local = aggregate.local_key_for(self.store, canonical["id"])
            if local is not None:
                view = aggregate.entity_view(
                    local, self.queries, self.record, budget, load_many=self.records
                )
        if view is None:
            return None
        view["canonical"] = canonical
        view["events"] = aggregate.merged_events(self.store, canonical["id"]) if canonical else []
        return view

    def dossier_page(self, key: str) -> dict[str, Any] | None:
        """The place dossier plus the merged events its canonical place takes part in."""
        view = aggregate.dossier_view(
            key, self.queries, self.record, self.budget(), load_many=self.records
        )
        if view is None:
            return None
        canonical = aggregate.canonical_block(self.store, key)
        view["canonical"] = canonical
        view["events"] = aggregate.merged_events(self.store, canonical["id"]) if canonical else []
        return view

    def event_of(self, refs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """Fact → KB merged event, so the meeting graph counts a retold meeting once."""
        return aggregate.event_ids_of(self.store, refs)

    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            from newsfacts.pipeline import default_pipeline

            self._pipeline = default_pipeline()
        return self._pipeline

    def search_article_ids(self, query: str, limit: int = 50) -> list[str]:
        """The store's full-text search; a substring scan only if that search fails."""
        # Articles only, ids only: the full search's entity and fact sections and its
        # snippets were most of a search request's cost (docs/latency.md).
        try:
            hits = self.store.search_articles(query, limit=limit, snippets=False)
        except Exception:  # e.g. a backend without a full-text index
            return self.queries.search_articles(query, limit)
        return list(dict.fromkeys(hit["id"] for hit in hits))[:limit]


def state_of(request: Request) -> AppState:
    return request.app.state.newsfacts


State = Annotated[AppState, Depends(state_of)]


def _not_found(what: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"{what} not found")


def require_token(request: Request, state: State) -> None:
    """Ingest writes to the store, so it needs the configured token, compared in constant time."""
    if not state.token:
        raise HTTPException(403, "ingest is disabled: the server has no NEWSFACTS_API_TOKEN")
    given = request.headers.get("x-api-token")
    auth = request.headers.get("authorization", "")
    if given is None and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    if not given or not hmac.compare_digest(given.encode(), state.token.encode()):
        raise HTTPException(
            401,
            "missing or wrong API token: send 'Authorization: Bearer <token>' or 'X-API-Token'",
            headers={"WWW-Authenticate": "Bearer"},
        )


def build_api_router() -> APIRouter:
    api = APIRouter(prefix="/api")

    @api.get("/articles", tags=["articles"], summary="List articles")
    def list_articles(
        state: State,
        source: Annotated[str | None, Query(max_length=255)] = None,
        date_from: DateParam = None,
        date_to: DateParam = None,
        entity: Annotated[str | None, Query(max_length=500, description="entity key")] = None,
        fact_type: FactType | None = None,
        q: Annotated[str | None, Query(max_length=500, description="full-text query")] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        ids = state.search_article_ids(q, 500) if q else None
        page = state.queries.articles(
            source=source,
            date_from=date_from,
            date_to=date_to,
            entity=entity,
            fact_type=fact_type,
            ids=ids,
            limit=limit,
            offset=offset,
        )
        return {"items": page.items, "total": page.total, "limit": limit, "offset": offset}

    @api.get("/articles/{article_id}", tags=["articles"], summary="One article with its facts")
    def get_article(state: State, article_id: str) -> dict[str, Any]:
        record = state.record(article_id)
        if record is None:
            raise _not_found(f"article {article_id!r}")
        return record_json(record, state.budget())

    @api.get("/entities", tags=["entities"], summary="Search entities by name")
    def search_entities(
        state: State,
        q: Annotated[str, Query(min_length=1, max_length=200)],
        type: Literal["person", "organization", "location"] | None = None,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        return {"items": state.queries.search_entities(q, type=type, limit=limit)}

    @api.get("/entities/{key:path}", tags=["entities"], summary="An entity across articles")
    def get_entity(state: State, key: str) -> dict[str, Any]:
        view = state.entity_page(key)
        if view is None:
            raise _not_found(f"entity {key!r}")
        return view

    @api.get("/dossiers/{key:path}", tags=["entities"], summary="A country or city dossier")
    def get_dossier(state: State, key: str) -> dict[str, Any]:
        view = state.dossier_page(key)
        if view is None:
            raise _not_found(f"place {key!r}")
        return view

    @api.get("/events", tags=["entities"], summary="Merged events across articles")
    def list_events(
        state: State,
        entity: Annotated[str | None, Query(max_length=500, description="key or KB id")] = None,
        type: FactType | None = None,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        if entity is not None and aggregate.canonical_block(state.store, entity) is None:
            raise _not_found(f"entity {entity!r}")
        return {"items": aggregate.merged_events(state.store, entity, type, limit)}

    @api.get("/facts", tags=["facts"], summary="Facts by type, entity, country, period")
    def list_facts(
        state: State,
        type: FactType | None = None,
        entity: Annotated[str | None, Query(max_length=500)] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
        date_from: DateParam = None,
        date_to: DateParam = None,
        q: Annotated[str | None, Query(max_length=200)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        page = state.queries.facts(
            type=type,
            entity=entity,
            country=country.upper() if country else None,
            date_from=date_from,
            date_to=date_to,
            text=q,
            limit=limit,
            offset=offset,
        )
        budget = state.budget()
        records = state.fact_records(page.items)
        items = []
        for article_id, seq in page.items:
            record = records.get(article_id)
            if record is None or seq >= len(record.facts):
                continue
            items.append(
                {**fact_json(record, seq, budget), "article": article_meta(record.article, budget)}
            )
        return {"items": items, "total": page.total, "limit": limit, "offset": offset}

    @api.get("/quantities", tags=["facts"], summary="Reported figures as time series")
    def quantities(
        state: State,
        indicator: Annotated[str | None, Query(max_length=200)] = None,
        subject: Annotated[str | None, Query(max_length=500, description="entity key")] = None,
    ) -> dict[str, Any]:
        return {"series": aggregate.quantity_series(state.queries, indicator, subject)}

    @api.get("/meetings", tags=["facts"], summary="Who met whom, as a graph")
    def meetings(
        state: State, date_from: DateParam = None, date_to: DateParam = None
    ) -> dict[str, Any]:
        return aggregate.meeting_graph(state.queries, date_from, date_to, event_of=state.event_of)

    @api.get(
        "/export",
        tags=["export"],
        summary="Facts as JSONL, CSV or Parquet",
        response_class=Response,
        responses={200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in FORMATS}}},
    )
    def export(
        state: State,
        format: Literal["jsonl", "csv", "parquet"] = "jsonl",
        type: FactType | None = None,
        entity: Annotated[str | None, Query(max_length=500)] = None,
        country: Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$")] = None,
        date_from: DateParam = None,
        date_to: DateParam = None,
        limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
    ) -> Response:
        page = state.queries.facts(
            type=type,
            entity=entity,
            country=country.upper() if country else None,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
        )
        records = select_records(state.record, page.items)
        try:
            body = export_bytes(records, format, state.budget())
        except ExportError as exc:
            raise HTTPException(422, str(exc)) from exc
        return Response(
            body,
            media_type=MEDIA_TYPES[format],
            headers={"Content-Disposition": f'attachment; filename="newsfacts-facts.{format}"'},
        )

    @api.post(
        "/ingest",
        tags=["ingest"],
        summary="Ingest text, HTML or JSONL (needs the API token)",
        dependencies=[Depends(require_token)],
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "text/plain": {"schema": {"type": "string"}},
                    "text/html": {"schema": {"type": "string"}},
                    "application/x-ndjson": {"schema": {"type": "string"}},
                },
            }
        },
    )
    async def ingest(
        request: Request,
        state: State,
        title: Annotated[str | None, Query(max_length=1000)] = None,
        url: Annotated[str | None, Query(max_length=2000)] = None,
        source: Annotated[str | None, Query(max_length=255)] = None,
        published: DateParam = None,
    ) -> dict[str, Any]:
        media = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
        suffix = INGEST_SUFFIX.get(media)
        if suffix is None:
            raise HTTPException(
                415, f"unsupported content type {media!r}: use one of {', '.join(INGEST_SUFFIX)}"
            )
        body = await request.body()
        if len(body) > MAX_INGEST_BYTES:
            raise HTTPException(413, f"body larger than {MAX_INGEST_BYTES} bytes")
        if not body.strip():
            raise HTTPException(422, "empty body: send the article text")
        meta = {"title": title, "url": url, "source": source, "published": published}
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_ingest_body, state, body, suffix, meta)

    return api


def _ingest_body(
    state: AppState, body: bytes, suffix: str, meta: dict[str, str | None]
) -> dict[str, Any]:
    """Read the body with the ingest readers, then ingest it like a file from disk.

    The body goes through `read_path` (one definition of how text, HTML and JSONL
    are read), the caller's metadata overrides what the reader found, and the
    documents are handed to `ingest_paths` as JSON Lines, so HTTP ingest cleans,
    deduplicates and stores exactly as `newsfacts ingest` does.
    """
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import IngestError, read_path
    from newsfacts.ingest.runner import ingest_paths

    errors: list[str] = []
    ids: list[str] = []
    with tempfile.TemporaryDirectory(prefix="newsfacts-ingest-") as tmp:
        path = Path(tmp) / f"request{suffix}"
        path.write_bytes(body)
        lines = []
        for item in read_path(path):
            if isinstance(item, IngestError):
                errors.append(item.message)
                continue
            for name, value in meta.items():
                if value:
                    setattr(item, name, value)
            with contextlib.suppress(Exception):  # a rejected one is reported below
                ids.append(clean(item).id)
            fields = ("text", "title", "url", "published", "source")
            lines.append(json.dumps({k: getattr(item, k) for k in fields}, ensure_ascii=False))
        if not lines:
            raise HTTPException(
                422, "nothing to ingest: " + ("; ".join(errors) or "no article")[:500]
            )
        normalized = Path(tmp) / "http-request.jsonl"
        normalized.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with state.ingest_lock:
            report = ingest_paths([normalized], state.store, pipeline=state.pipeline())
    problems = [m for _, m in report.errors + report.skipped]
    if not (report.added or report.unchanged or report.duplicates):
        raise HTTPException(422, "nothing ingested: " + "; ".join(errors + problems)[:500])
    return {
        "added": report.added,
        "unchanged": report.unchanged,
        "duplicates": report.duplicates,
        "skipped": [m for _, m in report.skipped],
        "errors": errors + [m for _, m in report.errors],
        "article_ids": list(dict.fromkeys(ids)),
    }


def _wants_html(request: Request) -> bool:
    """Pages get HTML errors; the API (and anything under /api) keeps JSON."""
    path = request.url.path
    return request.app.state.pages and not path.startswith(
        ("/api", "/openapi", "/docs", "/redoc", "/static")
    )


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422 with one readable line per bad parameter, plus FastAPI's usual detail."""
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
        lines.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    if _wants_html(request):
        from newsfacts.web.views import error_page

        return error_page(request, 422, "; ".join(lines))
    return JSONResponse(
        status_code=422,
        content={"message": "; ".join(lines), "detail": _jsonable_errors(exc.errors())},
    )


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if _wants_html(request):
        from newsfacts.web.views import error_page

        return error_page(request, exc.status_code, str(exc.detail))
    return JSONResponse(
        status_code=exc.status_code, content={"detail": exc.detail}, headers=exc.headers
    )


def _jsonable_errors(errors: Any) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        out.append({k: v for k, v in err.items() if k in ("loc", "msg", "type")})
    return out


def create_app(
    store: Store,
    *,
    token: str | None = None,
    policy_registry: PolicyRegistry | None = None,
    pipeline: Pipeline | None = None,
    pages: bool = True,
) -> FastAPI:
    """The whole application over one open store.

    `token` guards ingest; None reads $NEWSFACTS_API_TOKEN, and with neither set
    ingest is refused. `pipeline` defaults to the shared natasha pipeline, loaded
    on the first ingest only, so a read-only server never loads the models.
    """
    app = FastAPI(
        # Swagger UI and ReDoc load their scripts from a CDN; pages here use none.
        docs_url=None,
        redoc_url=None,
        title="newsfacts",
        version=__version__,
        description="Facts from Russian business and diplomatic news, each tied to its "
        "source sentence. Article text is only ever quoted within its source's reuse policy.",
    )
    app.state.newsfacts = AppState(
        store,
        token if token is not None else os.environ.get(ENV_TOKEN) or None,
        policy_registry or default_registry(),
        pipeline,
    )
    app.state.pages = pages
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.include_router(build_api_router())
    if pages:
        from newsfacts.web.views import mount_pages

        mount_pages(app)
    return app


def app_from_env() -> FastAPI:
    """The application as `newsfacts serve --workers N` starts it in each worker.

    uvicorn can only run several worker processes from an import string, so each
    worker opens its own store connection from the same settings the CLI passes
    through the environment: $NEWSFACTS_DB, $NEWSFACTS_POLICY_REGISTRY and
    $NEWSFACTS_API_TOKEN.
    """
    from newsfacts.store import Store as StoreClass

    store = StoreClass.open(os.environ.get("NEWSFACTS_DB") or None)
    return create_app(store, policy_registry=PolicyRegistry.load())
