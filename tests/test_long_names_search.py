"""Issue 12: an entity stored under a short name is found by its full name.

Names long enough to be text are stored short («ЕБРР», «СФПМП»); the full name is
kept only where entity search reads it. Searching the full name through the API, the
web search page and the CLI finds the entity, shown short, and no response shows the
full name: one strict meter reads every response (less the caller's own query,
which the search page and /api/search echo back).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from backend_db import BACKENDS, fresh_db
from newsfacts.cli import main
from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quotable import allowance_of
from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.store.keys import fold

BANK = "Европейский банк реконструкции и развития"
FUND = "Северный фонд поддержки малого предпринимательства"
TEXT = (
    f"{BANK} выделил кредит на ремонт дорог в Караганде. Гарантом выступил {FUND}.\n"
    "Работы начнутся весной и продлятся два года."
)
QUERIES = {
    "Европейский банк реконструкции": "ЕБРР",
    "банк реконструкции и развития": "ЕБРР",
    "Северный фонд поддержки": "СФПМП",
}


def _record() -> Record:
    art = Article(
        id=article_id(TEXT),
        text=TEXT,
        title=TEXT.split(".", 1)[0],
        source="roads.example",
        url="https://roads.example/news/1",
        published="2024-03-05",
        policy=Policy(max_share=0.2, link_required=True, full_text="permission", origin="footer"),
    )
    bank, fund = TEXT.index(BANK), TEXT.index(FUND)
    ents = [
        Entity(id="E1", type="organization", name=BANK, mentions=[(bank, bank + len(BANK))]),
        Entity(id="E2", type="organization", name=FUND, mentions=[(fund, fund + len(FUND))]),
    ]
    work = TEXT.index("Работы")
    fact = Fact(
        type="intent",
        args={"agent": "E1", "what": "ремонт дорог"},
        evidence=[(work, len(TEXT))],
        confidence=0.8,
    )
    return Record(article=art, entities=ents, facts=[fact], extractor_version="test-1")


@pytest.fixture(scope="module", params=BACKENDS)
def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Record]:
    path = fresh_db(request.param, tmp_path_factory, "search")
    record = _record()
    with Store.open(path) as store:
        assert store.save(record)
    return path, record


def _shows_no_full_name(meter: RevealMeter, record: Record, text: str) -> None:
    for full in (BANK, FUND):
        assert fold(full) not in fold(text)
        assert fold(full).replace(" ", "") not in fold(text).replace(" ", "")
    allowance = allowance_of(record.article.policy, len(record.article.text))
    assert allowance is not None and meter.revealed(record.article.id) <= allowance


def test_api_and_web_search_find_an_entity_by_its_full_name(db: tuple[str, Record]) -> None:
    path, record = db
    meter = RevealMeter({record.article.id: record.article.text})
    seen = []
    with Store.open(path) as store:
        client = TestClient(create_app(store, token=None), base_url="http://127.0.0.1")
        for q, short in QUERIES.items():
            items = client.get(f"/api/entities?q={quote(q)}").json()["items"]
            assert [i["name"] for i in items] == [short], q
            assert (
                client.get(f"/api/entities/{quote(items[0]['key'], safe=':')}").status_code == 200
            )
            found = client.get(f"/api/search?q={quote(q)}").json()["entities"]["items"]
            assert [i["name"] for i in found] == [short], q
            page = client.get(f"/?q={quote(q)}")
            assert page.status_code == 200 and short in page.text, q
            for r in (
                client.get(f"/api/entities?q={quote(q)}"),
                client.get(f"/api/search?q={quote(q)}"),
                page,
            ):
                body = r.text.replace(q, "")  # the caller's own words, echoed
                meter.feed_body(r.headers.get("content-type", ""), body.encode("utf-8"))
                seen.append(body)
    _shows_no_full_name(meter, record, "\n".join(seen))


def test_cli_search_finds_an_entity_by_its_full_name(
    db: tuple[str, Record], capsys: pytest.CaptureFixture[str]
) -> None:
    path, record = db
    meter = RevealMeter({record.article.id: record.article.text})
    seen = []
    for q, short in QUERIES.items():
        assert main(["search", q, "--json", "--db", path]) == 0
        out = capsys.readouterr().out
        names = [e["name"] for e in json.loads(out)["entities"]["items"]]
        assert names == [short], q
        out = out.replace(q, "")
        meter.feed(out)
        meter.feed_json(json.loads(out))
        seen.append(out)
    _shows_no_full_name(meter, record, "\n".join(seen))
