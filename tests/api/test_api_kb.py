"""The API over the knowledge base: canonical entities and merged events.

The store is built by ingesting `examples/kb_corpus/articles.jsonl` (our own short
articles, one world told by several outlets) the way `newsfacts ingest` does,
which also links every article into the KB.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_stores import store_location
from fastapi.testclient import TestClient

from newsfacts.server import create_app
from newsfacts.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "kb_corpus" / "articles.jsonl"


@pytest.fixture(scope="module")
def kb_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from newsfacts.ingest.runner import ingest_paths

    if not CORPUS.exists():
        pytest.skip("examples/kb_corpus is missing")
    store = Store.open(store_location(tmp_path_factory.mktemp("api_kb") / "kb.db"))
    report = ingest_paths([CORPUS], store)
    assert report.added > 30
    yield TestClient(create_app(store))
    store.close()


def _names(event: dict[str, Any]) -> set[str]:
    return {p["name"] for p in event["participants"]}


def test_entity_has_one_canonical_entity_with_every_name_form(kb_client: TestClient) -> None:
    body = kb_client.get("/api/entities/person:ерболат досаев").json()
    canonical = body["canonical"]
    assert canonical["name"] == "Ерболат Досаев"
    # "Е. Досаев" (inform.kz) and the full name are one person across articles
    assert {"Е. Досаев", "Ерболат Досаев"} <= set(canonical["aliases"])
    assert canonical["n_articles"] >= 5
    assert canonical["n_local"] >= canonical["n_articles"]
    # the banker Арман Досаев is someone else
    assert not any("Арман" in a for a in canonical["aliases"])


def test_local_key_and_kb_id_give_the_same_entity(kb_client: TestClient) -> None:
    by_key = kb_client.get("/api/entities/person:ерболат досаев").json()
    kb_id = by_key["canonical"]["id"]
    by_id = kb_client.get(f"/api/entities/{kb_id}")
    assert by_id.status_code == 200
    assert by_id.json()["canonical"]["id"] == kb_id
    assert by_id.json()["entity"]["key"] == "person:ерболат досаев"


def test_meeting_retold_by_two_outlets_is_one_event(kb_client: TestClient) -> None:
    items = kb_client.get("/api/events", params={"type": "meeting"}).json()["items"]
    ministers = [e for e in items if {"Бахтиёр Саидов", "Мухтар Тлеуберди"} <= _names(e)]
    assert len(ministers) == 1
    event = ministers[0]
    # uza.uz and inform.kz (the updated inform.kz copy is not independent)
    assert event["n_independent"] == 2
    assert {s["source"] for s in event["sources"]} == {"uza.uz", "inform.kz"}
    assert all(s["article_id"] for s in event["sources"])
    # events never carry article text
    assert "text" not in event and all("text" not in s for s in event["sources"])


def test_events_filtered_by_entity_and_type(kb_client: TestClient) -> None:
    items = kb_client.get(
        "/api/events", params={"entity": "person:дархан сатыбалды", "type": "meeting"}
    ).json()["items"]
    assert items and all(e["type"] == "meeting" for e in items)
    assert all("Дархан Сатыбалды" in _names(e) for e in items)
    limited = kb_client.get("/api/events", params={"limit": 2}).json()["items"]
    assert len(limited) == 2


def test_entity_page_lists_merged_events(kb_client: TestClient) -> None:
    body = kb_client.get("/api/entities/person:ерболат досаев").json()
    meeting = [e for e in body["events"] if e["type"] == "meeting"]
    assert any("Марко Альберти" in _names(e) and e["n_independent"] >= 2 for e in meeting)


def test_dossier_lists_merged_events(kb_client: TestClient) -> None:
    body = kb_client.get("/api/dossiers/location:алматы").json()
    assert body["canonical"]["name"] == "Алматы"
    assert any("Алматы" in _names(e) for e in body["events"])


@pytest.mark.parametrize(
    "path",
    ["/api/entities/P0000000000", "/api/entities/person:никто никтоев", "/api/events?entity=zz:qq"],
)
def test_unknown_ids_are_404(kb_client: TestClient, path: str) -> None:
    assert kb_client.get(path).status_code == 404


def test_meeting_graph_counts_a_retold_meeting_once(kb_client: TestClient) -> None:
    graph = kb_client.get("/api/meetings").json()
    edge = next(
        e
        for e in graph["edges"]
        if {e["source"], e["target"]} == {"person:бахтиер саидов", "person:мухтар тлеуберди"}
    )
    # three articles (two outlets and an updated copy) report one meeting
    assert edge["reports"] == 3
    assert edge["count"] == 1
    # a node's degree counts meetings, not reports
    degree = {n["key"]: n["degree"] for n in graph["nodes"]}
    assert degree["person:мухтар тлеуберди"] == 1
