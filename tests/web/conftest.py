"""Pages and browser tests run over the same hand-made records as the API tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "api"))

from webapi_fixtures import TOKEN, all_records  # noqa: E402
from webpage_fixtures import hostile_record  # noqa: E402

from newsfacts.server import create_app  # noqa: E402
from newsfacts.store import Store  # noqa: E402

# Starlette's test client sends `Host: testserver`; the app answers only to the
# names it is served as (newsfacts.api.hosts), so these tests add that name.
os.environ.setdefault("NEWSFACTS_ALLOWED_HOSTS", "testserver")


@pytest.fixture(scope="session")
def web_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(str(tmp_path_factory.mktemp("web") / "web.db"))
    for record in [*all_records(), hostile_record()]:
        store.save(record)
    yield store
    store.close()


@pytest.fixture(scope="session")
def web_client(web_store: Store) -> TestClient:
    return TestClient(create_app(web_store, token=TOKEN))
