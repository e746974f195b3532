"""The whole application: the JSON API with the analysts' pages mounted on it.

This module sits above both layers (issue 13): `api.app.build_app` builds the API,
`web.views.mount_pages` adds the pages, and only this module imports both, so the
web layer depends on the API and never the other way round.

    from newsfacts.server import create_app
    app = create_app(Store.open("facts.db"), token="secret")   # or `newsfacts serve`
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastapi import FastAPI

from newsfacts.api.app import build_app
from newsfacts.policy.registry import PolicyRegistry
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
