"""A store filled with our own hand-made records, and the app over it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_stores import drop_created, filled_store
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN

from newsfacts.policy.registry import PolicyRegistry
from newsfacts.server import create_app
from newsfacts.store import Store

# Starlette's test client sends `Host: testserver`; the app answers only to the
# names it is served as (newsfacts.api.hosts), so these tests add that name.
os.environ.setdefault("NEWSFACTS_ALLOWED_HOSTS", "testserver")


@pytest.fixture(scope="session", autouse=True)
def _drop_pg_databases() -> Iterator[None]:
    """On PostgreSQL, the run's databases go away with it (api_stores.drop_created)."""
    yield
    drop_created()


@pytest.fixture(scope="session")
def registry() -> PolicyRegistry:
    return PolicyRegistry.load()


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    s = filled_store(tmp_path_factory.mktemp("api") / "facts.db")
    yield s
    s.close()


@pytest.fixture(scope="session")
def client(store: Store, registry: PolicyRegistry) -> TestClient:
    return TestClient(create_app(store, token=TOKEN, policy_registry=registry))


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    """A store a test may change (ingest, grants) without touching the shared one."""
    s = filled_store(tmp_path / "fresh.db")
    yield s
    s.close()
