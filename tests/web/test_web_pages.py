"""Server-rendered pages: content, links, escaping, charts and errors."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient
from webapi_fixtures import almaty_record, bishkek_record
from webpage_fixtures import hostile_record

ALMATY = almaty_record().article.id


def test_search_finds_entities_articles_and_facts(web_client: TestClient) -> None:
    html = web_client.get("/", params={"q": "Альберти"}).text
    assert 'href="/entities/person:%D0%BC%D0%B0%D1%80%D0%BA%D0%BE%20' in html
    assert f'href="/articles/{ALMATY}"' in html
    assert "<mark>" in html  # facts come with their evidence quotes
    empty = web_client.get("/", params={"q": "Гондурас"}).text
    assert empty.count("Ничего не найдено") == 3


def test_article_page_quotes_within_policy_with_links(web_client: TestClient) -> None:
    r = web_client.get(f"/articles/{ALMATY}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "не более 30% текста" in html
    assert 'class="fulltext"' not in html  # kapital.kz: full text needs permission
    assert 'href="https://kapital.kz/economic/100/italiya-centr.html"' in html
    assert re.search(r'<a href="/dossiers/location:IT"><mark>Италия</mark></a>', html)
    assert "цит. скрыто" in html
    # Distinct marked text: one sentence quoted for two facts is one sentence (issue 12).
    quoted = sum(len(m) for m in set(re.findall(r"<mark>(.*?)</mark>", html)))
    assert quoted <= int(0.3 * len(almaty_record().article.text))


def test_full_text_where_the_source_allows_it(web_client: TestClient) -> None:
    html = web_client.get(f"/articles/{bishkek_record().article.id}").text
    assert 'class="fulltext"' in html
    assert "<mark>Стороны обсудили строительство в </mark>" in html


def test_markup_in_data_is_escaped(web_client: TestClient) -> None:
    rec = hostile_record()
    for path in (
        f"/articles/{rec.article.id}",
        "/?q=завод",
        "/entities/organization:<b>компания</b>",
        "/dossiers/location:шымкент",
        "/facts",
    ):
        html = web_client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
        assert "<b>Компания</b>" not in html and "<i>завод</i>" not in html, path
    html = web_client.get(f"/articles/{rec.article.id}").text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_entity_page_sections(web_client: TestClient) -> None:
    html = web_client.get("/entities/person:ерболат досаев").text
    assert "<td>аким</td>" in html
    assert "Марко Альберти" in html
    # the forms a name takes in the texts stay one click away, not in the heading
    assert re.search(r"<details class=\"aliases\">.*Ерболат Досаев, Досаев", html, re.S)
    assert "/api/export?entity=person%3A" in html and "format=parquet" in html


def test_dossier_has_relations_chart_and_timeline(web_client: TestClient) -> None:
    html = web_client.get("/dossiers/location:IT").text
    relations = html.split('id="relations"')[1].split("</section>")[0]
    assert "Алматы" in relations and "Бишкек" in relations
    chart = re.search(r'<svg class="chart".*?</svg>', html, re.S)
    assert chart is not None
    assert chart.group(0).count('<circle class="dot"') == 2
    assert "<polyline" in chart.group(0)
    assert "15,2\u00a0млрд" in html and "17,8\u00a0млрд" in html
    assert html.index("2021") < html.index('id="timeline"') or "timeline" in html


def test_meeting_graph_and_period_filter(web_client: TestClient) -> None:
    html = web_client.get("/graph").text
    assert html.count('<tr class="edge-row">') == 3
    assert 'src="/static/vendor/cytoscape.min.js"' in html and 'src="/static/graph.js"' in html
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
    assert len(data["edges"]) == 3 and all(n["href"].startswith("/") for n in data["nodes"])
    assert 'class="legend"' in html
    html = web_client.get("/graph", params={"date_from": "2023-05"}).text
    assert html.count('<tr class="edge-row">') == 1
    assert "встреч не найдено" in web_client.get("/graph", params={"date_to": "2000"}).text
    # an empty form field means "no filter" on pages
    blank = web_client.get("/graph?date_from=&date_to=2022")
    assert blank.status_code == 200 and blank.text.count('<tr class="edge-row">') == 1


def test_list_pages_offer_exports_and_paging(web_client: TestClient) -> None:
    html = web_client.get("/facts", params={"type": "meeting"}).text
    assert "/facts/export?type=meeting&amp;min_confidence=0.5&amp;format=csv" in html
    assert "1–3 из 3" in html
    html = web_client.get("/articles", params={"source": "kapital.kz"}).text
    assert f"/articles/{ALMATY}" in html and "format=jsonl" in html


def test_errors_are_pages(web_client: TestClient) -> None:
    r = web_client.get("/articles/nope")
    assert r.status_code == 404 and "<h1>404</h1>" in r.text
    r = web_client.get("/articles", params={"date_from": "вчера"})
    assert r.status_code == 422 and "date_from" in r.text and "<html" in r.text
    assert web_client.get("/api/articles/nope").headers["content-type"] == "application/json"


def test_static_assets_are_vendored(web_client: TestClient) -> None:
    assert web_client.get("/static/style.css").status_code == 200
    js = web_client.get("/static/graph.js")
    assert js.status_code == 200 and "addEventListener" in js.text
    lib = web_client.get("/static/vendor/cytoscape.min.js")
    assert lib.status_code == 200 and "cytoscape" in lib.text[:2000]
    assert web_client.get("/static/vendor/cytoscape.LICENSE").status_code == 200
    html = web_client.get("/").text
    assert "http://" not in html.replace('href="http', "") and "cdn" not in html.lower()
