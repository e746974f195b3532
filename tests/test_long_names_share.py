"""Issue 12: a name longer than an article's allowance is shown nowhere verbatim.

An invented note of 20% whose organisation's name alone (51 characters) is more than
its allowance, and a longer 30% report naming the same body, are stored. Every page,
API response, export and the KB export, fed to one strict meter, reveal each within
its allowance; the entity page, addressed by the key the API links to, still opens.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from backend_db import BACKENDS, fresh_db
from newsfacts.cli import main
from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quotable import allowance_of
from newsfacts.policy.verbatim import is_text
from newsfacts.server import create_app
from newsfacts.store import Store

BODY = "Северный фонд поддержки малого предпринимательства"
NOTE = f"{BODY} открыл офис в Караганде.\nФонд выдаст первые гранты весной."
REPORT = (
    "Малый бизнес Караганды получит гранты\n"
    f"В Караганде открылся офис, который открыл {BODY}. Как рассказали в "
    "управлении предпринимательства области, первые гранты фонд выдаст весной, а "
    "заявки начнут принимать уже в марте. Размер одного гранта составит до пяти "
    "миллионов тенге, отбирать проекты будет комиссия из представителей бизнеса."
)


def _record(text: str, source: str, share: float, n: int) -> Record:
    art = Article(
        id=article_id(text),
        text=text,
        title=text.split("\n", 1)[0],
        source=source,
        url=f"https://{source}/news/{n}",
        published="2024-02-12",
        policy=Policy(max_share=share, link_required=True, full_text="permission", origin="footer"),
    )
    at = text.index(BODY)
    city = text.index("Караганд")
    ents = [
        Entity(id="E1", type="organization", name=BODY, mentions=[(at, at + len(BODY))]),
        Entity(
            id="E2",
            type="location",
            name="Караганда",
            subtype="city",
            country="KZ",
            mentions=[(city, city + 9)],
        ),
    ]
    grants = text.index("гранты")
    facts = [
        Fact(
            type="intent",
            args={"agent": "E1", "what": "выдать гранты"},
            evidence=[(text.rfind(".", 0, grants) + 1, text.index(".", grants) + 1)],
            confidence=0.8,
        )
    ]
    return Record(article=art, entities=ents, facts=facts, extractor_version="test-1")


@pytest.fixture(scope="module", params=BACKENDS)
def db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, list[Record]]:
    path = fresh_db(request.param, tmp_path_factory, "names")
    records = [
        _record(NOTE, "fund-news.kz", 0.2, 1),
        _record(REPORT, "kapital.kz", 0.3, 2),
    ]
    assert len(BODY) > allowance_of(records[0].article.policy, len(NOTE))  # the premise
    with Store.open(path) as store:
        for r in records:
            store.save(r)
    return path, records


def _assert_within(meter: RevealMeter, records: list[Record]) -> None:
    for r in records:
        allowance = allowance_of(r.article.policy, len(r.article.text))
        assert allowance is not None
        assert meter.revealed(r.article.id) <= allowance, (r.article.source, allowance)


def test_pages_api_and_exports_show_the_long_name_within_each_share(
    db: tuple[str, list[Record]],
) -> None:
    path, records = db
    meter = RevealMeter({r.article.id: r.article.text for r in records})
    with Store.open(path) as store:
        client = TestClient(create_app(store, token=None), base_url="http://127.0.0.1")
        keys = set()
        paths = ["/", "/articles", "/facts", "/api/articles", "/api/facts", "/api/events"]
        for r in records:
            aid = r.article.id
            body = client.get(f"/api/articles/{aid}").json()
            keys |= {e["key"] for e in body["entities"]}
            paths += [f"/api/articles/{aid}", f"/articles/{aid}"]
        org = [k for k in keys if k.startswith("organization:")]
        assert len(org) == 1  # one body under one key, across both articles
        for key in keys:
            k = quote(key, safe=":")
            paths += [f"/api/entities/{k}", f"/entities/{k}", f"/api/facts?entity={k}"]
        paths += ["/api/entities?q=фонд", "/api/entities?q=северный", "/?q=фонд"]
        paths += [f"/api/export?format={fmt}&limit=1000" for fmt in ("jsonl", "csv", "parquet")]
        for p in paths:
            r = client.get(p)
            assert r.status_code in (200, 404), p
            meter.feed_body(r.headers.get("content-type", ""), r.content)
        _assert_within(meter, records)
        page = client.get(f"/api/entities/{quote(org[0], safe=':')}")
        assert page.status_code == 200  # the entity page is still reachable by key
        entity = page.json()["entity"]
        assert not is_text(entity["name"]) and not is_text(org[0].split(":", 1)[1])
        assert entity["article_count"] == 2
        assert client.get(f"/entities/{quote(org[0], safe=':')}").status_code == 200


def test_cli_and_kb_export_show_the_long_name_within_each_share(
    db: tuple[str, list[Record]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, records = db
    meter = RevealMeter({r.article.id: r.article.text for r in records})
    argvs = [["show", r.article.id] for r in records] + [["search", "фонд", "--json"]]
    argvs += [["export", "--format", fmt] for fmt in ("jsonl", "csv")]
    for argv in argvs:
        assert main([*argv, "--db", path]) == 0, argv
        meter.feed_output(capsys.readouterr().out)
    kb = tmp_path / "kb"
    assert main(["export-kb", "--db", path, "--out", str(kb)]) == 0
    capsys.readouterr()
    for file in sorted(kb.glob("*.jsonl")):
        meter.feed_output(file.read_text(encoding="utf-8"))
    _assert_within(meter, records)
    assert any(meter.revealed(r.article.id) for r in records)  # the quotes still show
