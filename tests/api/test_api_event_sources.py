"""Merged events in answers and pages are bounded; every source is one page away.

Entity pages, dossiers and /api/events list each merged event's earliest
`MAX_SOURCES` reports and `n_sources`; /api/events/{id}/sources and /events/{id}
page through all of them (issue 13: at 200,000 articles one entity answer listed
16,500 sources, 2.5 MB). The store is our KB corpus (hand-annotated records),
grown 4× by `scripts/replicate_store.py`, so retold events have more sources than
an answer shows.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from api_stores import store_location
from fastapi.testclient import TestClient

from newsfacts import kb
from newsfacts.kb.event_reads import MAX_SOURCES
from newsfacts.server import create_app
from newsfacts.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store]]:
    helpers = _load("kb_corpus_helpers", ROOT / "tests" / "kb" / "kb_corpus_helpers.py")
    replicate = _load("replicate_store", ROOT / "scripts" / "replicate_store.py")
    store = Store.open(store_location(tmp_path_factory.mktemp("api_events") / "kb.db"))
    corpus = helpers.load_corpus()
    helpers.save_corpus(store, [helpers.gold_record(item) for item in corpus])
    kb.sync(store)
    replicate.replicate(store, 4 * len(corpus))
    yield TestClient(create_app(store)), store
    store.close()


def _all_pages(client: TestClient, event_id: str, limit: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    offset = 0
    while True:
        body = client.get(
            f"/api/events/{event_id}/sources", params={"offset": offset, "limit": limit}
        ).json()
        assert body["limit"] == limit and body["offset"] == offset
        if not body["items"]:
            return out
        out += body["items"]
        offset += limit


def test_every_event_in_an_answer_lists_its_first_sources_and_the_count(
    grown: tuple[TestClient, Store],
) -> None:
    client, store = grown
    items = client.get("/api/events", params={"limit": 500}).json()["items"]
    full = {e["id"]: e for e in kb.events(store, limit=500)}
    assert any(e["n_sources"] > MAX_SOURCES for e in items)  # the case under test
    for event in items:
        every = full[event["id"]]["sources"]
        assert event["n_sources"] == len(every)
        assert len(event["sources"]) == min(MAX_SOURCES, len(every))
        # earliest report first: the head of the full list, in its order
        heads = [(s["article_id"], s["seq"]) for s in event["sources"]]
        assert heads == [(s["article_id"], s["seq"]) for s in every[:MAX_SOURCES]]
        assert event["n_articles"] == len({s["article_id"] for s in every})
        for value in event.get("values") or []:
            assert len(value["articles"]) == min(MAX_SOURCES, value["n_articles"])


def test_entity_and_dossier_events_are_bounded(grown: tuple[TestClient, Store]) -> None:
    client, _ = grown
    for path in ("/api/entities/person:ерболат досаев", "/api/dossiers/location:алматы"):
        events = client.get(path).json()["events"]
        assert events and all(len(e["sources"]) <= MAX_SOURCES for e in events)
        assert any(e["n_sources"] > len(e["sources"]) for e in events)


def test_source_pages_give_every_source_once_with_its_url(
    grown: tuple[TestClient, Store],
) -> None:
    client, store = grown
    big = max(kb.events(store, limit=500), key=lambda e: len(e["sources"]))
    event = client.get(f"/api/events/{big['id']}").json()
    assert event["id"] == big["id"] and event["n_sources"] == len(big["sources"])
    for limit in (2, 5, 500):
        pages = _all_pages(client, big["id"], limit)
        assert [(s["article_id"], s["seq"]) for s in pages] == [
            (s["article_id"], s["seq"]) for s in big["sources"]
        ]
        assert all(s["url"] and s["url"].startswith("http") for s in pages)
        assert all("text" not in s and "title" not in s for s in pages)
    body = client.get(f"/api/events/{big['id']}/sources", params={"limit": 3}).json()
    assert body["total"] == len(big["sources"])


@pytest.mark.parametrize("path", ["/api/events/Vnosuchevent", "/api/events/Vnosuch/sources"])
def test_unknown_event_is_404(grown: tuple[TestClient, Store], path: str) -> None:
    assert grown[0].get(path).status_code == 404


def test_bad_page_parameters_are_422(grown: tuple[TestClient, Store]) -> None:
    client, store = grown
    eid = kb.events(store, limit=1)[0]["id"]
    for params in ({"limit": 0}, {"limit": 501}, {"offset": -1}):
        assert client.get(f"/api/events/{eid}/sources", params=params).status_code == 422


def test_pages_show_the_first_sources_and_link_to_all(grown: tuple[TestClient, Store]) -> None:
    client, store = grown
    big = max(kb.events(store, limit=500), key=lambda e: len(e["sources"]))
    kb_id = big["entities"][0]["kb_id"]
    html = client.get(f"/entities/{kb_id}").text
    assert f'href="/events/{big["id"]}"' in html
    assert f"первые {MAX_SOURCES} из {len(big['sources'])}" in html
    page = client.get(f"/events/{big['id']}")
    assert page.status_code == 200
    listed = page.text.count('<a href="/articles/')
    assert listed == min(50, len(big["sources"]))
    for s in big["sources"][:50]:
        assert f'href="/articles/{s["article_id"]}"' in page.text
    assert client.get("/events/Vnosuchevent").status_code == 404
