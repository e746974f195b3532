"""Issue 12: a `javascript:` or `data:` URL never becomes an href.

Every way a URL enters (JSONL, `ingest --url`, `POST /api/ingest?url=`) accepts only
http(s); pages over a store written before the check never link to anything else.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN, almaty_record

from newsfacts.cli import main
from newsfacts.ingest.clean import Rejected, clean
from newsfacts.model import RawDocument, Record
from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.urls import BadUrl, check_url, http_url

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://",
]
TEXT = (
    "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти. Стороны "
    "обсудили создание в городе центра дизайна и прямые авиарейсы Алматы – Милан."
)


@pytest.mark.parametrize("url", HOSTILE)
def test_only_http_urls_pass(url: str) -> None:
    with pytest.raises(BadUrl):
        check_url(url)
    assert http_url(url) is None
    assert check_url("https://kapital.kz/a/1") == "https://kapital.kz/a/1"
    assert check_url("  ") is None


@pytest.mark.parametrize("url", HOSTILE[:5])
def test_clean_rejects_an_article_with_a_script_url_in_one_line(url: str) -> None:
    with pytest.raises(Rejected) as exc:
        clean(RawDocument(TEXT, title="Встреча", url=url, origin="feed.jsonl:1"))
    assert "\n" not in str(exc.value) and "http(s)" in str(exc.value)


class FakePipeline:
    version = "fake-1"

    def __call__(self, article) -> Record:
        return Record(article=article, extractor_version=self.version)


def test_api_ingest_refuses_a_script_url(fresh_store: Store) -> None:
    app = TestClient(create_app(fresh_store, token=TOKEN, pipeline=FakePipeline()))
    headers = {"content-type": "text/plain; charset=utf-8", "x-api-token": TOKEN}
    for url in ("javascript:alert(1)", "data:text/html,x"):
        r = app.post("/api/ingest", content=TEXT.encode(), headers=headers, params={"url": url})
        assert r.status_code == 422, r.text
    line = json.dumps({"title": "Встреча", "text": TEXT, "url": "javascript:alert(1)"})
    r = app.post(
        "/api/ingest",
        content=line.encode(),
        headers={**headers, "content-type": "application/x-ndjson"},
    )
    assert r.status_code == 422 and "http(s)" in r.text


def test_cli_url_flag(tmp_path: Path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Встреча в Алматы\n" + TEXT, encoding="utf-8")
    db = str(tmp_path / "s.db")
    assert main(["ingest", str(article), "--db", db, "--url", "javascript:alert(1)"]) == 1
    err = capsys.readouterr().err
    assert "http(s)" in err and len(err.strip().splitlines()) == 1
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"title": "Встреча", "text": TEXT, "url": "javascript:alert(1)"}) + "\n",
        encoding="utf-8",
    )
    main(["ingest", str(feed), "--db", db, "--quiet"])
    assert "http(s)" in capsys.readouterr().err
    with Store.open(db) as store:
        assert store.stats()["articles"] == 0


def test_pages_never_link_a_stored_script_url(tmp_path: Path) -> None:
    """A store written before the check: its script URL reaches no href."""
    record = almaty_record()
    record.article.url = "javascript:alert(1)"
    with Store.open(str(tmp_path / "old.db")) as store:
        store.save(record)
        client = TestClient(create_app(store, token=TOKEN))
        aid = record.article.id
        for path in (
            f"/articles/{aid}",
            "/facts",
            "/?q=Алматы",
            "/entities/person:ерболат досаев",
            "/dossiers/location:IT",
            f"/api/articles/{aid}",
            "/api/facts?limit=500",
            "/api/export?format=jsonl",
            "/api/export?format=csv",
        ):
            body = client.get(path).text
            assert not re.search(r"(?i)href=\"\s*javascript:", body), path
            assert "javascript:alert" not in body, path


def test_every_control_or_space_character_is_refused_inside_a_url() -> None:
    """The one-regex check refuses exactly the characters the former per-character
    test did (a control character, DEL, anything `str.isspace`), at every code point."""
    for cp in range(0x110000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        refused = cp < 0x20 or cp == 0x7F or c.isspace()
        url = f"https://example.kz/a{c}b"
        assert (http_url(url) is None) == refused, hex(cp)
