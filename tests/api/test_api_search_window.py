"""`/api/articles?q=` under the two-phase ranking (issue 13, sixth session of
2026-12-07): the OpenAPI document states the window the code uses, and paging
through a text search's articles neither repeats nor skips one, however small the
window (tests/store/test_store_search_rank.py checks the ranking itself)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsfacts.api.routes_articles import MAX_TEXT_HITS
from newsfacts.store import fts_rank


def test_openapi_states_the_window_and_the_hits_kept(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = spec["paths"]["/api/articles"]["get"]["parameters"]
    (q,) = [p for p in params if p["name"] == "q"]
    assert f"{fts_rank.WINDOW:,}" in q["description"]
    assert f"{MAX_TEXT_HITS} best-ranked" in q["description"]
    assert "newest first" in q["description"]


@pytest.mark.parametrize("window", [1, 3, fts_rank.WINDOW])
def test_pages_of_a_text_search_neither_overlap_nor_skip(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    monkeypatch.setattr(fts_rank, "WINDOW", window)
    whole = client.get("/api/articles", params={"q": "Казахстан", "limit": 100}).json()
    ids = [a["id"] for a in whole["items"]]
    assert len(ids) == whole["total"] > 1, "the fixture store mentions Казахстан"
    paged: list[str] = []
    for offset in range(len(ids)):
        page = client.get(
            "/api/articles", params={"q": "Казахстан", "limit": 1, "offset": offset}
        ).json()
        assert page["total"] == whole["total"]
        paged += [a["id"] for a in page["items"]]
    assert paged == ids
    dates = [a["published"] or "" for a in whole["items"]]
    assert dates == sorted(dates, reverse=True)  # listed newest first


def test_a_page_past_the_end_keeps_the_total(client: TestClient) -> None:
    """The total comes with the page's rows (a window count) or, on a page without
    rows, from a count of its own (eighth session of 2026-12-07)."""
    for params in ({"q": "Казахстан"}, {}, {"source": "no-such-source.kz"}):
        whole = client.get("/api/articles", params={**params, "limit": 100}).json()
        ids = [a["id"] for a in whole["items"]]
        assert len(ids) == whole["total"]
        last = client.get("/api/articles", params={**params, "offset": max(len(ids) - 1, 0)})
        assert last.json()["total"] == whole["total"]
        assert [a["id"] for a in last.json()["items"]] == ids[-1:]
        past = client.get("/api/articles", params={**params, "offset": len(ids) + 3}).json()
        assert past["items"] == [] and past["total"] == whole["total"], params
