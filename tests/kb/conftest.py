"""Fixtures for the KB tests (helpers in `kb_corpus_helpers.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kb_corpus_helpers import BACKENDS, gold_record, load_corpus, open_empty, save_corpus

from newsfacts.store import Store


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    return load_corpus()


@pytest.fixture(params=BACKENDS)
def kb_store(
    request: pytest.FixtureRequest, tmp_path: Path, corpus: list[dict[str, Any]]
) -> Iterator[Store]:
    """A store holding the gold records of the whole corpus, KB synced (SQLite, and
    PostgreSQL when NEWSFACTS_TEST_PG names a server)."""
    from newsfacts import kb

    store = open_empty(request.param, tmp_path)
    save_corpus(store, [gold_record(item) for item in corpus])
    kb.sync(store)
    try:
        yield store
    finally:
        store.close()
