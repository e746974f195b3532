"""Fixtures for the KB tests (helpers in `kb_corpus_helpers.py`)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kb_corpus_helpers import gold_record, load_corpus, save_corpus

from newsfacts.store import Store
from newsfacts.store.schema import metadata


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    return load_corpus()


BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not os.environ.get("NEWSFACTS_TEST_PG"),
                reason="NEWSFACTS_TEST_PG is not set (tests/store/start_postgres.sh)",
            ),
        ],
    ),
]


def _open_empty(backend: str, tmp_path: Path) -> Store:
    if backend == "sqlite":
        return Store.open(str(tmp_path / "kb.db"))
    store = Store.open(os.environ["NEWSFACTS_TEST_PG"])
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with store.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {names} CASCADE"))
    return store


@pytest.fixture(params=BACKENDS)
def kb_store(
    request: pytest.FixtureRequest, tmp_path: Path, corpus: list[dict[str, Any]]
) -> Iterator[Store]:
    """A store holding the gold records of the whole corpus, KB synced (SQLite, and
    PostgreSQL when NEWSFACTS_TEST_PG names a server)."""
    from newsfacts import kb

    store = _open_empty(request.param, tmp_path)
    save_corpus(store, [gold_record(item) for item in corpus])
    kb.sync(store)
    try:
        yield store
    finally:
        store.close()
