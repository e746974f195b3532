"""Entity pages and dossiers show the KB's canonical entity and merged events."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsfacts.server import create_app
from newsfacts.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "kb_corpus" / "articles.jsonl"


@pytest.fixture(scope="module")
def kb_pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from newsfacts.ingest.runner import ingest_paths

    if not CORPUS.exists():
        pytest.skip("examples/kb_corpus is missing")
    store = Store.open(str(tmp_path_factory.mktemp("web_kb") / "kb.db"))
    ingest_paths([CORPUS], store)
    yield TestClient(create_app(store))
    store.close()


def test_entity_page_shows_aliases_and_events(kb_pages: TestClient) -> None:
    page = kb_pages.get("/entities/person:ерболат досаев")
    assert page.status_code == 200
    html = page.text
    assert 'id="canonical"' in html and "Е. Досаев" in html
    assert 'id="events"' in html and "almaty.tv" in html
    assert "/articles/" in html


def test_counts_read_from_a_cut_link_list_say_at_least(
    kb_pages: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The canonical block counts the links it read; when `canonical_entity` stopped
    at its limit the page says «не менее» and the API `counts_complete: false`
    (a frequent entity showed 500 articles where it had 63,000)."""
    from newsfacts import kb

    path = "/entities/person:ерболат досаев"
    whole = kb_pages.get("/api" + path).json()["canonical"]
    assert whole["counts_complete"] and whole["n_local"] >= 2
    assert "не менее" not in kb_pages.get(path).text
    monkeypatch.setattr(kb, "canonical_entity", partial(kb.canonical_entity, max_links=1))
    uncached = TestClient(create_app(kb_pages.app.state.newsfacts.store, response_cache=0))
    canonical = uncached.get("/api" + path).json()["canonical"]
    assert canonical["n_local"] == 1 and canonical["counts_complete"] is False
    html = uncached.get(path).text
    assert "статей: не менее 1 · упоминаний в статьях: не менее 1" in html


def test_entity_page_by_kb_id(kb_pages: TestClient) -> None:
    kb_id = kb_pages.get("/api/entities/person:дархан сатыбалды").json()["canonical"]["id"]
    page = kb_pages.get(f"/entities/{kb_id}")
    assert page.status_code == 200 and "Дархан Сатыбалды" in page.text


def test_dossier_shows_events_and_unknown_is_404(kb_pages: TestClient) -> None:
    page = kb_pages.get("/dossiers/location:алматы")
    assert page.status_code == 200 and 'id="events"' in page.text
    assert kb_pages.get("/entities/P0000000000").status_code == 404


def test_who_held_a_post_on_a_date(kb_pages: TestClient) -> None:
    params = {"post": "аким", "place": "Алматы", "date": "2022-05-01"}
    html = kb_pages.get("/who", params=params).text
    verdict = html.split('class="verdict"')[1].split("</p>")[0]
    assert "Ерболат Досаев" in verdict and "19 января 2022" in verdict
    assert html.count("<tr") > 2 and "назначение" in html  # every report, phases in words
    before = kb_pages.get("/who", params={**params, "date": "2022-01-10"}).text
    assert "Ерболат Досаев" not in before.split('class="verdict"')[1].split("</p>")[0]
    unknown = kb_pages.get("/who", params={**params, "place": "Атлантида"}).text
    assert "не найдено" in unknown


def test_entity_timeline_runs_in_date_order(kb_pages: TestClient) -> None:
    html = kb_pages.get("/entities/person:ерболат досаев").text
    timeline = html.split('<section id="timeline">')[1].split("</section>")[0]
    dates = re.findall(r'<time datetime="([^"]*)"', timeline)
    assert len(dates) >= 3 and dates == sorted(dates)
    assert "аким Алматы" in re.sub(r"<[^>]+>", "", timeline)  # statements, not records
    assert 'href="/who?post=' in html  # a post links to everyone who held it
