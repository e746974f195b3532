"""The HTTP API alone: JSON under `/api/`, OpenAPI at `/openapi.json`.

The analysts' pages (`newsfacts.web`) sit on top of it: `newsfacts.server.create_app`
builds this application and mounts them, so the API never imports the web layer and
the dependency runs one way, web -> api (issue 13).

`build_app` takes an open store rather than a path so tests, the CLI and a
deployment decide how the store is opened; everything else (policy registry,
extraction pipeline, ingest token) is injectable for the same reason. Each
request gets its own `QuoteBudget`, so the reuse policy holds per response.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI

from newsfacts import __version__
from newsfacts.api import errors
from newsfacts.api.cache import VersionedCache, entries_from_env
from newsfacts.api.docs import mount_docs
from newsfacts.api.hosts import HostCheck, allowed_hosts
from newsfacts.api.ingest import ENV_TOKEN, MAX_INGEST_BYTES, require_token
from newsfacts.api.ingest import router as ingest_router
from newsfacts.api.params import ISO_DATE, DateParam, FactType, Limit, Offset
from newsfacts.api.routes_articles import router as articles_router
from newsfacts.api.routes_entities import router as entities_router
from newsfacts.api.routes_facts import router as facts_router
from newsfacts.api.state import AppState, State, state_of
from newsfacts.policy.registry import PolicyRegistry, default_registry

if TYPE_CHECKING:
    from newsfacts.pipeline import Pipeline
    from newsfacts.store import Store

# Re-exported: callers and tests import these from here.
__all__ = [
    "ENV_TOKEN",
    "ISO_DATE",
    "MAX_INGEST_BYTES",
    "AppState",
    "DateParam",
    "FactType",
    "Limit",
    "Offset",
    "State",
    "build_api_router",
    "build_app",
    "require_token",
    "state_of",
]


def build_api_router() -> APIRouter:
    """Every JSON route under /api, each group from its own module."""
    api = APIRouter(prefix="/api")
    for router in (articles_router, entities_router, facts_router, ingest_router):
        api.include_router(router)
    return api


def build_app(
    store: Store,
    *,
    token: str | None = None,
    policy_registry: PolicyRegistry | None = None,
    pipeline: Pipeline | None = None,
    pages: bool = False,
    hosts: Sequence[str] | None = None,
    response_cache: int | None = None,
) -> FastAPI:
    """The API application over one open store, without the pages.

    `pages` only records whether the caller (`newsfacts.server`) will mount pages,
    so errors outside /api know whether to render them.

    `token` guards ingest; None reads $NEWSFACTS_API_TOKEN, and with neither set
    ingest is refused. `pipeline` defaults to the shared natasha pipeline, loaded
    on the first ingest only, so a read-only server never loads the models.
    `hosts`: the Host names served (api.hosts); None is loopback plus
    $NEWSFACTS_ALLOWED_HOSTS.
    `response_cache` is how many answers each process keeps per store version
    (None: $NEWSFACTS_RESPONSE_CACHE, default 256; 0 keeps none but still sends
    ETags and answers 304s; api.cache).
    """
    app = FastAPI(
        # FastAPI's Swagger UI and ReDoc load their scripts from a CDN; /docs is
        # served from the installed swagger-ui-bundle instead (api.docs).
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
    entries = entries_from_env() if response_cache is None else response_cache
    app.add_middleware(VersionedCache, entries=entries)  # a hit skips the routes...
    # ...but never the Host check, added after it and so run before it
    app.add_middleware(HostCheck, allowed=hosts if hosts is not None else allowed_hosts())
    errors.install(app)
    app.include_router(build_api_router())
    mount_docs(app)
    return app
