"""The whole application: the JSON API with the analysts' pages mounted on it.

This module sits above both layers (issue 13): `api.app.build_app` builds the API,
`web.views.mount_pages` adds the pages, and only this module imports both, so the
web layer depends on the API and never the other way round.

    from newsfacts.server import create_app
    app = create_app(Store.open("facts.db"), token="secret")   # or `newsfacts serve`
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from newsfacts.api.app import build_app
from newsfacts.policy.registry import PolicyRegistry
from newsfacts.web.templating import warm
from newsfacts.web.views import mount_pages

if TYPE_CHECKING:
    from newsfacts.pipeline import Pipeline
    from newsfacts.store import Store


def create_app(
    store: Store,
    *,
    token: str | None = None,
    policy_registry: PolicyRegistry | None = None,
    pipeline: Pipeline | None = None,
    pages: bool = True,
    hosts: Sequence[str] | None = None,
    response_cache: int | None = None,
) -> FastAPI:
    """The API (`api.app.build_app`, whose docstring explains each argument) and,
    unless `pages` is False, the analysts' pages over the same store."""
    app = build_app(
        store,
        token=token,
        policy_registry=policy_registry,
        pipeline=pipeline,
        pages=pages,
        hosts=hosts,
        response_cache=response_cache,
    )
    if pages:
        mount_pages(app)
    return app


GC_YOUNG = 20_000  # allocations between collections of the youngest generation


def for_serving(app: FastAPI) -> FastAPI:
    """`app` as a long-running server process runs it: at start-up it compiles the
    templates and loads the morphology, then freezes everything alive out of the
    garbage collector (`gc.freeze`).

    Python's full collections walk every tracked object: with the ~170,000 a server
    holds for its lifetime (modules, routes, templates, pymorphy2's tags), each took
    80-120 ms of CPU and fell on one request in four or five of a 200,000-article
    dossier, ~20 ms a request on average (issue 13). Frozen objects are never
    walked; what a request allocates is collected as before. The youngest generation
    is collected after `GC_YOUNG` new objects instead of Python's 700: a dossier
    allocates a few hundred thousand, most freed by reference counting, and ~30
    collections a request each moved the survivors on towards the full collections
    (GC 14 -> 7 ms a request at 200k). Tests build apps without this, so their
    processes keep Python's settings."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if getattr(_app.state, "pages", False):
            warm()
        gc.collect()  # what start-up left as garbage is freed, not frozen
        gc.freeze()
        gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])
        yield

    app.router.lifespan_context = lifespan
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
    return for_serving(create_app(store, policy_registry=PolicyRegistry.load()))
