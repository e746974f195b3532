"""A store filled with our own hand-made records, and the app over it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN, all_records

from newsfacts.policy.registry import PolicyRegistry
from newsfacts.server import create_app
from newsfacts.store import Store

# Starlette's test client sends `Host: testserver`; the app answers only to the
# names it is served as (newsfacts.api.hosts), so these tests add that name.
os.environ.setdefault("NEWSFACTS_ALLOWED_HOSTS", "testserver")

# `NEWSFACTS_API_ON_PG=1` (with NEWSFACTS_TEST_PG) runs this whole suite on PostgreSQL,
# each store in a database of its own; scripts/test.sh does so after the SQLite run.
PG_URL = os.environ.get("NEWSFACTS_TEST_PG") if os.environ.get("NEWSFACTS_API_ON_PG") else None


def _new_pg_database(server: str) -> str:
    import sqlalchemy as sa

    from newsfacts.store import database_url

    url = sa.make_url(database_url(server))
    name = f"newsfacts_api_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def store_location(path: Path) -> str:
    """Where a test store lives: `path` (SQLite), or a new database on the PG server."""
    return _new_pg_database(PG_URL) if PG_URL else str(path)


def filled_store(path: Path) -> Store:
    store = Store.open(store_location(path))
    for record in all_records():
        store.save(record)
    return store


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
