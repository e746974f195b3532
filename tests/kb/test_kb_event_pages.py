"""Merged events for pages: the first sources and exact counts, then every source page
by page (issue 13: an event retold by the whole press listed every article).

The corpus store is grown by `scripts/replicate_store.py` (copies keep their
original's KB events), so the retold events have more sources than a page shows.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest

from newsfacts import kb
from newsfacts.kb.event_reads import MAX_SOURCES, count_sources, source_page
from newsfacts.store import Store

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "replicate_store.py"


def _replicate(store: Store, articles: int) -> None:
    spec = importlib.util.spec_from_file_location("replicate_store", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["replicate_store"] = module
    spec.loader.exec_module(module)
    module.replicate(store, articles)


@pytest.fixture
def grown(kb_store: Store) -> Store:
    n = len(kb_store.list_articles(limit=10_000, include_duplicates=True))
    _replicate(kb_store, 4 * n)
    return kb_store


def _bounded_like(event: dict[str, Any], limit: int) -> dict[str, Any]:
    """What the bounded read must give for an event `describe` listed in full."""
    out = {**event, "sources": event["sources"][:limit], "n_sources": len(event["sources"])}
    if "values" in event:
        out["values"] = [
            {**v, "articles": v["articles"][:limit], "n_articles": len(v["articles"])}
            for v in event["values"]
        ]
    return out


def test_bounded_events_are_a_prefix_with_exact_counts(grown: Store) -> None:
    full = kb.events(grown, limit=10_000)
    assert max(len(e["sources"]) for e in full) > MAX_SOURCES  # the case under test
    assert any(e["type"] == "quantity" and e["n_articles"] > MAX_SOURCES for e in full)
    for limit in (1, 2, MAX_SOURCES):
        bounded = kb.events(grown, limit=10_000, max_sources=limit)
        assert bounded == [_bounded_like(e, limit) for e in full]
        assert all(len(e["sources"]) <= limit for e in bounded)


def test_source_pages_list_every_source_once_in_order(grown: Store) -> None:
    full = kb.events(grown, limit=10_000)
    with grown._read() as conn:
        for event in full:
            assert count_sources(conn, event["id"]) == len(event["sources"])
            for size in (1, 3, 7):
                pages: list[dict[str, Any]] = []
                offset = 0
                while page := source_page(conn, event["id"], offset, size):
                    assert len(page) <= size
                    pages += page
                    offset += size
                assert pages == event["sources"]
        assert count_sources(conn, "Vnosuchevent") is None
        assert source_page(conn, "Vnosuchevent", 0, 5) == []


def test_a_source_whose_fact_is_gone_is_neither_listed_nor_counted(grown: Store) -> None:
    """Sources point at (article, fact seq); a fact dropped since (its article
    demoted to a duplicate, before the next sync) leaves the list and the counts
    together, as the full listing's joins did."""
    big = max(kb.events(grown, limit=10_000), key=lambda e: len(e["sources"]))
    victim = big["sources"][1]["article_id"]
    canonical = big["sources"][0]["article_id"]
    grown.demote_duplicate(victim, canonical)
    (full,) = [e for e in kb.events(grown, limit=10_000) if e["id"] == big["id"]]
    assert all(s["article_id"] != victim for s in full["sources"])
    (bounded,) = [e for e in kb.events(grown, limit=10_000, max_sources=2) if e["id"] == big["id"]]
    assert bounded == _bounded_like(full, 2)
