"""Entity pages and dossiers read the entity's newest 200 articles by publication date
(undated last, then id), web and API, on SQLite and PostgreSQL (issue 13).

They read the first 200 by id until the seventh session of 2026-12-07: ids are
content hashes, so a frequent entity's page showed an arbitrary sample. The order
comes from the date each `entity_articles` row carries (`store.keysummary`): an
article saved again with another date moves."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from backend_db import BACKENDS, fresh_db
from newsfacts.api.aggregate import MAX_ARTICLES
from newsfacts.model import Article, Entity, Fact, Record, article_id
from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.store.bulk import BulkItem
from newsfacts.store.keys import entity_key

DATED, UNDATED = 198, 5  # 203 articles: the newest 200 are every dated one and 2 undated


def _record(i: int, published: str | None, version: str = "0.1") -> Record:
    text = f"Министр Асан Беков встретился с делегацией номер {i} в Казахстане."
    aid = article_id(text)

    def span(surface: str) -> tuple[int, int]:
        at = text.index(surface)
        return (at, at + len(surface))

    return Record(
        article=Article(
            id=aid,
            text=text,
            title=f"Встреча номер {i}",
            source="kapital.kz",
            url=f"https://kapital.kz/news/{aid}",
            published=published,
        ),
        entities=[
            Entity("E1", "location", "Казахстан", [span("Казахстане")], "country", "KZ"),
            Entity("E2", "person", "Асан Беков", [span("Асан Беков")]),
        ],
        facts=[
            Fact(
                type="meeting",
                args={"participants": ["E2"], "place": "E1"},
                evidence=[(0, len(text))],
                confidence=0.8,
                extractor="meeting",
            )
        ],
        extractor_version=version,
    )


def _dates() -> list[str | None]:
    start = date(2021, 1, 1)
    dated: list[str | None] = [(start + timedelta(days=i)).isoformat() for i in range(DATED)]
    return dated + [None] * UNDATED


def _newest(published: dict[str, str | None]) -> set[str]:
    """`Store.get_entity`'s order: published DESC, undated last, then id."""
    dated = sorted((d, a) for a, d in published.items() if d is not None)
    undated = sorted(a for a, d in published.items() if d is None)
    order = [a for _, a in sorted(dated, key=lambda p: p[0], reverse=True)] + undated
    return set(order[:MAX_ARTICLES])


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    with Store.open(fresh_db(request.param, tmp_path_factory, "newest")) as opened:
        yield opened


def _shown(client: TestClient, key: str) -> dict[str, set[str]]:
    """The article ids each view of the key shows its facts or sources from."""
    entity = client.get(f"/api/entities/{key}").json()
    dossier = client.get(f"/api/dossiers/{key}").json()
    html = client.get(f"/entities/{key}").text
    sources = html.split('<section id="sources">')[1].split("</section>")[0]
    return {
        "api sources": {s["id"] for s in entity["sources"]},
        "api meetings": {m["article_id"] for m in entity["meetings"]},
        "api dossier": {f["article_id"] for f in dossier["timeline"]},
        "page sources": set(re.findall(r'href="/articles/([0-9a-f]+)"', sources)),
    }


def test_pages_and_api_show_the_newest_articles_and_follow_a_new_date(store: Store) -> None:
    records = [_record(i, d) for i, d in enumerate(_dates())]
    store.save_many([BulkItem(r) for r in records])
    key = entity_key(records[0].entities[0])
    published = {r.article.id: r.article.published for r in records}
    expected = _newest(published)
    # the premise: the first 200 by id are another set
    assert len(expected) == MAX_ARTICLES and set(sorted(published)[:MAX_ARTICLES]) != expected
    client = TestClient(create_app(store, response_cache=0))
    for view, ids in _shown(client, key).items():
        assert ids == expected, view
    assert client.get(f"/api/entities/{key}").json()["entity"]["article_count"] == len(records)

    # An undated article left out, stored again with the latest date, is shown; the
    # last of the chosen ones (an undated article) goes.
    left_out = sorted(a for a in published if a not in expected)[0]
    i = next(n for n, r in enumerate(records) if r.article.id == left_out)
    assert store.save(_record(i, "2030-01-01", version="0.2"))
    published[left_out] = "2030-01-01"
    moved = _newest(published)
    assert left_out in moved and moved != expected
    for view, ids in _shown(client, key).items():
        assert ids == moved, view
