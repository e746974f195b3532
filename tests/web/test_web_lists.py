"""/facts and /articles: facets with counts, sorting, filters, export of the view, paging."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qsl, urlsplit

from fastapi.testclient import TestClient


def _facet(html: str, dim: str) -> dict[str, int]:
    """label → count of one facet group."""
    block = html.split(f'class="facet facet-{dim}"')[1].split("</section>")[0]
    pairs = re.findall(
        r'<a href="[^"]*"[^>]*>([^<]+)</a> <span class="n">([\d\u00a0 ]+)</span>', block
    )
    return {label: int(re.sub(r"\D", "", n)) for label, n in pairs}


def _rows(html: str) -> int:
    return html.count('<tr class="fact-row')


def test_fact_facets_count_what_a_click_gives(web_client: TestClient) -> None:
    html = web_client.get("/facts", params={"min_confidence": "0"}).text
    types = _facet(html, "type")
    assert types["встреча"] >= 3 and "meeting" not in types
    total = int(re.search(r"из (\d+)", html).group(1))  # type: ignore[union-attr]
    assert sum(types.values()) == total
    meetings = web_client.get("/facts", params={"type": "meeting", "min_confidence": "0"}).text
    assert f"из {types['встреча']}" in meetings
    # a chosen facet keeps the other facets' counts under the choice
    assert sum(_facet(meetings, "source").values()) == types["встреча"]


def test_sources_entities_and_countries_are_facets(web_client: TestClient) -> None:
    html = web_client.get("/facts", params={"min_confidence": "0"}).text
    assert "kapital.kz" in _facet(html, "source")
    assert "Ерболат Досаев" in _facet(html, "entity")
    assert "Италия" in _facet(html, "country")  # a country name, not «IT»
    only = web_client.get("/facts", params={"source": "kapital.kz", "min_confidence": "0"}).text
    assert set(_facet(only, "source")) >= {"kapital.kz"}
    assert all(
        "kapital.kz" in cell
        for cell in re.findall(r'<span class="meta">([^<]*)</span></td>\s*</tr>', only)
    )


def test_sorting_by_confidence_both_ways(web_client: TestClient) -> None:
    def confidences(sort: str) -> list[float]:
        html = web_client.get("/facts", params={"sort": sort, "min_confidence": "0"}).text
        return [float(x) for x in re.findall(r'title="Уверенность извлечения: ([\d.]+)"', html)]

    up, down = confidences("confidence"), confidences("-confidence")
    assert up == sorted(up) and down == sorted(down, reverse=True) and up[0] < down[0]


def test_low_confidence_is_hidden_until_asked(web_client: TestClient) -> None:
    shown = web_client.get("/facts").text
    every = web_client.get("/facts", params={"min_confidence": "0"}).text
    levels = _facet(every, "confidence")
    assert levels["любая"] >= levels["от 0,5"] >= levels["высокая (от 0,8)"]
    assert f"из {levels['от 0,5']}" in shown and "показать все" in shown


def test_export_link_is_the_current_view(web_client: TestClient) -> None:
    params = {"type": "meeting", "source": "kapital.kz", "min_confidence": "0"}
    html = web_client.get("/facts", params=params).text
    link = re.search(r'href="(/facts/export\?[^"]*format=csv[^"]*)"', html).group(1)  # type: ignore[union-attr]
    query = dict(parse_qsl(urlsplit(link.replace("&amp;", "&")).query))
    assert {k: query[k] for k in params} == params
    rows = list(csv.DictReader(io.StringIO(web_client.get(link.replace("&amp;", "&")).text)))
    assert len({(r["article_id"], r["seq"]) for r in rows}) == _rows(html)
    # the API's export honours the same filters
    api = web_client.get("/api/export", params={**params, "format": "csv"})
    api_rows = list(csv.DictReader(io.StringIO(api.text)))
    assert {(r["article_id"], r["seq"]) for r in api_rows} == {
        (r["article_id"], r["seq"]) for r in rows
    }


def test_articles_facets_sort_and_text_filter(web_client: TestClient) -> None:
    html = web_client.get("/articles").text
    sources = _facet(html, "source")
    assert sources and "kapital.kz" in sources
    by_title = web_client.get("/articles", params={"sort": "title"}).text
    titles = re.findall(r'<td><a href="/articles/[0-9a-f]+">([^<]+)</a></td>', by_title)
    assert titles == sorted(titles, key=str.lower) or titles == sorted(titles)
    entity = web_client.get("/articles", params={"entity": "person:ерболат досаев"}).text
    assert "Участник: <strong>Ерболат Досаев</strong>" in entity
    assert "entity=person" in entity.split('class="export"')[1].split("</p>")[0]


def test_paging_past_the_end_says_so(web_client: TestClient) -> None:
    html = web_client.get("/facts", params={"offset": "5000"}).text
    assert "5001–" not in html and "Здесь записей нет" in html
    assert "последняя страница" in html
