"""Store fixtures: every test that takes `store` runs on SQLite and, when
NEWSFACTS_TEST_PG holds a URL (see start_postgres.sh), on PostgreSQL as well.

Records are built by hand from short articles of our own: the extractor is not
needed to test storage, and hand-built records say exactly what is expected (tests/store/store_samples.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_samples import PG_URL, record_a, record_b, record_c, wipe_pg

from backend_db import BACKENDS
from newsfacts.store import Store


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL (a temp SQLite file, or the emptied test PG)."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
    else:
        assert PG_URL
        wipe_pg(PG_URL)
        yield PG_URL


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url) as opened:
        yield opened


@pytest.fixture
def filled(store: Store) -> Store:
    for rec in (record_a(), record_b(), record_c()):
        assert store.save(rec)
    return store
