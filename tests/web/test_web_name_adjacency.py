"""A page must not join an entity name and the next word of its own markup into a
run of the article's text: «Бакытжан Сагинтаев</a> <span>персона» reads, tags
stripped, as «Бакытжан Сагинтаев п…», a 20-character run of a text that goes on
«Бакытжан Сагинтаев провёл» (found by scripts/crawl_share.py on the KB corpus)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from webapi_fixtures import build

from newsfacts.policy.measure import RevealMeter
from newsfacts.server import create_app
from newsfacts.store import Store

TEXT = "Аким Алматы Бакытжан Сагинтаев провёл совещание по подготовке городских сетей к морозам."


def test_entity_list_keeps_names_apart_from_labels(tmp_path: Path) -> None:
    record = build(
        TEXT,
        title="",
        source="zakon.kz",
        url="https://www.zakon.kz/1",
        published="2023-11-01",
        entities=[
            ("E1", "person", "Бакытжан Сагинтаев", ["Бакытжан Сагинтаев"], {}),
            ("E2", "location", "Алматы", ["Алматы"], {"subtype": "city", "country": "KZ"}),
        ],
        facts=[],
    )
    store = Store.open(str(tmp_path / "s.db"))
    store.save(record)
    client = TestClient(create_app(store, token=None))
    aid = record.article.id
    meter = RevealMeter({aid: TEXT})
    for path in (f"/articles/{aid}", "/?q=Сагинтаев"):
        page = client.get(path, headers={"host": "testserver"})
        assert page.status_code == 200, path
        meter.feed_body(page.headers["content-type"], page.content)
    store.close()
    assert meter.revealed(aid) <= int(0.2 * len(TEXT))
