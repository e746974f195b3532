"""Fixtures for the KB tests (helpers in `kb_corpus_helpers.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kb_corpus_helpers import gold_record, load_corpus, save_corpus

from newsfacts.store import Store


@pytest.fixture(scope="session")
def corpus() -> list[dict[str, Any]]:
    return load_corpus()


@pytest.fixture
def kb_store(tmp_path: Path, corpus: list[dict[str, Any]]) -> Iterator[Store]:
    """A store holding the gold records of the whole corpus, KB synced."""
    from newsfacts import kb

    store = Store.open(str(tmp_path / "kb.db"))
    save_corpus(store, [gold_record(item) for item in corpus])
    kb.sync(store)
    try:
        yield store
    finally:
        store.close()
