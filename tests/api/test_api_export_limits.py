"""/api/export cannot dominate the server (issue 12): without the token an export holds
at most OPEN_EXPORT facts, at most EXPORT_SLOTS run at once (429 beyond), JSONL is
streamed and its slot is freed however the stream ends."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN

from newsfacts.api import routes_facts
from newsfacts.server import create_app


@pytest.fixture
def client(store, registry) -> TestClient:
    return TestClient(create_app(store, token=TOKEN, policy_registry=registry))


def _lines(r) -> list[dict]:
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines()]


def test_anonymous_exports_are_capped_and_the_token_lifts_the_cap(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = _lines(client.get("/api/export", params={"limit": 100_000}))
    assert len(everything) > 3
    monkeypatch.setattr(routes_facts, "OPEN_EXPORT", 3)
    anonymous = client.get("/api/export", params={"limit": 100_000})
    assert len(_lines(anonymous)) == 3 and anonymous.headers["x-export-limit"] == "3"
    paged = set()  # anonymous clients page on with offset
    for offset in range(0, len(everything), 3):
        page = _lines(client.get("/api/export", params={"limit": 3, "offset": offset}))
        paged |= {(row["article_id"], row["seq"]) for row in page}
    assert paged == {(row["article_id"], row["seq"]) for row in everything}
    tokened = client.get(
        "/api/export", params={"limit": 100_000}, headers={"authorization": f"Bearer {TOKEN}"}
    )
    assert _lines(tokened) == everything
    wrong = client.get("/api/export", params={"limit": 100_000}, headers={"x-api-token": "no"})
    assert len(_lines(wrong)) == 3


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_exports_beyond_the_slots_are_429(client: TestClient, fmt: str) -> None:
    held = [routes_facts._SLOTS.acquire(blocking=False) for _ in range(routes_facts.EXPORT_SLOTS)]
    assert all(held)
    try:
        r = client.get("/api/export", params={"format": fmt})
        assert r.status_code == 429 and r.headers["retry-after"] == "1"
        assert r.json()["error"]["code"] == "too_many_requests"
    finally:
        for _ in held:
            routes_facts._SLOTS.release()
    assert client.get("/api/export", params={"format": fmt}).status_code == 200
    _all_slots_free()


def test_a_streamed_export_frees_its_slot_when_read_or_abandoned(client: TestClient) -> None:
    with client.stream("GET", "/api/export", params={"format": "jsonl"}) as r:
        assert r.status_code == 200
        next(r.iter_bytes())  # the client reads a little and leaves
    _all_slots_free()
    rows = routes_facts._jsonl_stream(iter([{"a": "б" * 70_000}, {"a": 2}, {"a": 3}]))
    routes_facts._SLOTS.acquire()  # what the endpoint holds for the stream
    chunks = list(rows)
    assert len(chunks) == 2 and b"".join(chunks).decode().count("\n") == 3
    _all_slots_free()


def _all_slots_free() -> None:
    taken = [routes_facts._SLOTS.acquire(blocking=False) for _ in range(routes_facts.EXPORT_SLOTS)]
    for ok in taken:
        if ok:
            routes_facts._SLOTS.release()
    assert all(taken), "an export slot was never released"
