"""Every export of /facts and /articles holds exactly the rows the page lists, in order,
across all its pages, for each filter, text search and sort."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator
from html import unescape

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN, all_records

from newsfacts.server import create_app
from newsfacts.store import Store


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """Twelve variants of each fixture article: more rows than one page holds."""
    store = Store.open(str(tmp_path_factory.mktemp("exports") / "x.db"))
    for n in range(12):
        for record in all_records():
            art = record.article
            text = f"{art.text} Выпуск {n}."
            article = dataclasses.replace(
                art,
                id=f"{art.id[:40]}-{n}",
                text=text,
                published=f"{2020 + n % 4}{art.published[4:]}",
            )
            store.save(dataclasses.replace(record, article=article))
    yield TestClient(create_app(store, token=TOKEN))
    store.close()


def _shown(client: TestClient, path: str, params: dict[str, str], attr: str) -> list[str]:
    """The rows of every page of a list, following its «дальше →» link."""
    rows: list[str] = []
    url: str | None = path
    query: dict[str, str] | None = params
    pages = 0
    while url:
        html = client.get(url, params=query).text
        rows += re.findall(rf'{attr}="([^"]+)"', html)
        nxt = re.search(r'<a href="(\?[^"]*)">дальше →</a>', html)
        url, query = (path + unescape(nxt.group(1)), None) if nxt else (None, None)
        pages += 1
    return rows


def _exported(
    client: TestClient, path: str, params: dict[str, str], key: str
) -> dict[str, list[str]]:
    import pyarrow.parquet as pq

    def ref(row: dict) -> str:
        return f"{row['article_id']}:{row['seq']}" if key == "fact" else str(row["id"])

    out = {}
    for fmt in ("csv", "jsonl", "parquet"):
        answer = client.get(path, params={**params, "format": fmt})
        assert answer.status_code == 200, answer.text
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(answer.text)))
        elif fmt == "jsonl":
            rows = [json.loads(line) for line in answer.text.splitlines()]
        else:
            rows = pq.read_table(io.BytesIO(answer.content)).to_pylist()
        out[fmt] = [ref(r) for r in rows]
    return out


FACT_VIEWS = [
    {},
    {"min_confidence": "0"},
    {"type": "meeting"},
    {"source": "kapital.kz", "sort": "-confidence"},
    {"q": "итал", "sort": "type"},
    {"date_from": "2022", "date_to": "2022"},
    {"entity": "person:марко альберти", "sort": "source"},
    {"country": "IT", "min_confidence": "0.8"},
]


@pytest.mark.parametrize("params", FACT_VIEWS, ids=lambda p: "&".join(p) or "all")
def test_fact_export_is_the_view(client: TestClient, params: dict[str, str]) -> None:
    shown = _shown(client, "/facts", params, "data-ref")
    assert shown, "the view should not be empty"
    for fmt, rows in _exported(client, "/facts/export", params, "fact").items():
        assert rows == shown, fmt


def test_fact_view_spans_several_pages(client: TestClient) -> None:
    assert len(_shown(client, "/facts", {}, "data-ref")) > 25


ARTICLE_VIEWS = [
    {},
    {"source": "kapital.kz"},
    {"type": "meeting", "sort": "title"},
    {"q": "Италия"},
    {"entity": "person:марко альберти", "sort": "-date"},
    {"date_from": "2021", "date_to": "2022", "sort": "source"},
    {"country": "UZ"},
]


@pytest.mark.parametrize("params", ARTICLE_VIEWS, ids=lambda p: "&".join(p) or "all")
def test_article_export_is_the_view(client: TestClient, params: dict[str, str]) -> None:
    shown = _shown(client, "/articles", params, "data-id")
    assert shown
    for fmt, rows in _exported(client, "/articles/export", params, "article").items():
        assert rows == shown, fmt


def test_article_csv_has_flat_columns(client: TestClient) -> None:
    text = client.get("/articles/export", params={"format": "csv"}).text
    header = text.splitlines()[0]
    assert header == "id,published,title,source,url,n_facts"
    assert "{" not in text and "[" not in text


def test_the_page_links_its_export(client: TestClient) -> None:
    html = client.get("/facts", params={"type": "meeting", "sort": "-confidence"}).text
    link = unescape(re.search(r'href="(/facts/export\?[^"]*format=csv[^"]*)"', html).group(1))  # type: ignore[union-attr]
    assert "type=meeting" in link and "sort=-confidence" in link and "offset" not in link
    html = client.get("/articles", params={"q": "Италия", "source": "kapital.kz"}).text
    link = unescape(re.search(r'href="(/articles/export\?[^"]*)"', html).group(1))  # type: ignore[union-attr]
    assert "q=" in link and "source=kapital.kz" in link


def test_a_view_larger_than_an_export_is_refused_not_cut(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfacts.web import exports

    monkeypatch.setattr(exports, "MAX_ROWS", 5)
    for path in ("/facts/export", "/articles/export"):
        answer = client.get(path, params={"format": "csv"})
        assert answer.status_code == 413 and "сузьте фильтры" in answer.text
    small = {
        "type": "occupation",
        "source": "ru.wikinews.org",
        "date_from": "2020",
        "date_to": "2020",
    }
    answer = client.get("/facts/export", params={**small, "format": "csv"})
    assert answer.status_code == 200 and len(answer.text.splitlines()) == 4  # header + 3
