"""The typed API contract: schemas, one error body, strict dates, paging, search, docs."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from fastapi.testclient import TestClient

from newsfacts.api.params import MAX_QUERY_LEN

LISTS = [
    ("/api/articles", {}),
    ("/api/facts", {}),
    ("/api/entities", {"q": "а"}),
    ("/api/events", {}),
    ("/api/quantities", {}),
]
ENTITY_FILTERS = [
    ("/api/articles", "entity"),
    ("/api/facts", "entity"),
    ("/api/events", "entity"),
    ("/api/quantities", "subject"),
    ("/api/export", "entity"),
]


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "fields"}
    return body["error"]


def test_every_get_endpoint_has_a_typed_schema_and_its_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    gets = {path: ops["get"] for path, ops in spec["paths"].items() if "get" in ops}
    assert len(gets) >= 11 and "/api/search" in gets
    for path, op in gets.items():
        ok = op["responses"]["200"]["content"]
        if path == "/api/export":
            assert set(ok) >= {"text/csv", "application/x-ndjson"}
        else:
            assert "$ref" in ok["application/json"]["schema"], path
        declared = set(op["responses"])
        assert "422" in declared or not op.get("parameters"), path
        names = {p["name"] for p in op.get("parameters", [])}
        if "{" in path or names & {"entity", "subject"}:
            assert "404" in declared, path
        for status in declared - {"200"}:
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody"), (path, status)


@pytest.mark.parametrize("path,params", LISTS)
def test_every_list_has_total_offset_and_limit(client: TestClient, path: str, params) -> None:
    body = client.get(path, params={**params, "limit": 1, "offset": 1}).json()
    assert body["limit"] == 1 and body["offset"] == 1
    assert body["total"] >= len(body["items"]) and len(body["items"]) <= 1


def test_paging_past_the_end_keeps_the_total(client: TestClient) -> None:
    body = client.get("/api/facts", params={"offset": 5000}).json()
    assert body["items"] == [] and body["total"] == 14


@pytest.mark.parametrize("path,param", ENTITY_FILTERS)
def test_an_unknown_entity_is_404_everywhere(client: TestClient, path: str, param: str) -> None:
    r = client.get(path, params={param: "person:никто никакой"})
    assert r.status_code == 404
    assert _error(r)["code"] == "not_found"
    known = client.get(path, params={param: "person:лазиз кудратов"})
    assert known.status_code == 200


@pytest.mark.parametrize("value", ["2022-02-31", "2023-02-29", "2022-04-31", "2022-13", "0000"])
def test_dates_that_do_not_exist_are_422(client: TestClient, value: str) -> None:
    r = client.get("/api/facts", params={"date_from": value})
    assert r.status_code == 422
    error = _error(r)
    assert error["fields"][0]["name"] == "date_from"
    assert re.search("[а-я]", error["message"]) and "String should" not in error["message"]


def test_a_leap_day_is_a_date(client: TestClient) -> None:
    assert client.get("/api/facts", params={"date_from": "2024-02-29"}).status_code == 200
    assert client.get("/api/facts", params={"date_from": "2000-02-29"}).status_code == 200
    assert client.get("/api/facts", params={"date_from": "1900-02-29"}).status_code == 422


def test_an_inverted_range_is_422_with_a_clear_message(client: TestClient) -> None:
    for path in ("/api/facts", "/api/articles", "/api/meetings", "/api/export"):
        r = client.get(path, params={"date_from": "2023-05-02", "date_to": "2022"})
        assert r.status_code == 422, path
        assert "раньше его начала" in _error(r)["message"]
    # a month inside a year is not inverted
    ok = client.get("/api/facts", params={"date_from": "2022-04", "date_to": "2022"})
    assert ok.status_code == 200 and ok.json()["total"] > 0


def test_one_error_body_for_every_status(client: TestClient) -> None:
    assert _error(client.get("/api/articles/nope"))["code"] == "not_found"
    assert _error(client.get("/api/no-such-endpoint"))["code"] == "not_found"
    assert _error(client.get("/api/facts", params={"limit": "x"}))["code"] == "invalid_parameter"
    r = client.post("/api/ingest", content="текст", headers={"content-type": "text/plain"})
    assert r.status_code == 401 and _error(r)["code"] == "unauthorized"
    message = _error(client.get("/api/facts", params={"type": "rumour"}))["message"]
    assert message.startswith("type: допустимые значения:") and "occupation" in message


def test_one_query_length_limit_for_pages_and_api(client: TestClient) -> None:
    ok, too_long = "а" * MAX_QUERY_LEN, "а" * (MAX_QUERY_LEN + 1)
    for path in ("/api/search", "/api/entities", "/api/facts", "/api/articles", "/"):
        assert client.get(path, params={"q": ok}).status_code == 200, path
        assert client.get(path, params={"q": too_long}).status_code == 422, path


def test_search_finds_articles_entities_and_facts(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Кудратов"}).json()
    assert body["q"] == "Кудратов"
    assert [e["key"] for e in body["entities"]["items"]] == ["person:лазиз кудратов"]
    assert body["facts"]["total"] >= 1
    assert all(f["article"]["id"] for f in body["facts"]["items"])
    assert body["articles"]["total"] == len(body["articles"]["items"]) >= 1
    assert client.get("/api/search").status_code == 422


def test_export_gives_exactly_the_filtered_facts(client: TestClient) -> None:
    for params in (
        {"source": "kapital.kz"},
        {"min_confidence": 0.9},
        {"type": "meeting", "date_from": "2023"},
        {"entity": "location:IT", "q": "товарооборот"},
    ):
        listed = client.get("/api/facts", params={**params, "limit": 500}).json()
        want = {(f["article_id"], f["seq"]) for f in listed["items"]}
        assert want and len(want) == listed["total"] < 14, params
        r = client.get("/api/export", params={**params, "format": "jsonl"})
        got = {(row["article_id"], row["seq"]) for row in map(json.loads, r.text.splitlines())}
        assert got == want, params


def test_csv_export_has_no_json_in_its_cells(client: TestClient) -> None:
    r = client.get("/api/export", params={"format": "csv"})
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert len(table) == 14
    for row in table:
        for value in row.values():
            assert not value.startswith(("{", "[")), row
    quantity = next(row for row in table if row["type"] == "quantity")
    assert quantity["arg_indicator"] == "товарооборот" and float(quantity["arg_value"]) > 0


def test_quantity_points_carry_their_subjects(client: TestClient) -> None:
    for series in client.get("/api/quantities").json()["items"]:
        assert series["subjects"], series
        assert all(s["key"] and s["name"] for s in series["subjects"])


def test_docs_are_served_offline(client: TestClient) -> None:
    r = client.get("/docs")
    assert r.status_code == 200 and "swagger-ui" in r.text
    urls = re.findall(r"""(?:src|href)=["']([^"']+)""", r.text) + re.findall(
        r"url: ?'([^']+)'", r.text
    )
    assert urls and not [u for u in urls if u.startswith(("http:", "https:", "//"))], urls
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/docs/assets/{asset}").status_code == 200


def test_docs_read_an_openapi_3_0_copy_their_swagger_ui_can_render(client: TestClient) -> None:
    """The packaged Swagger UI (4.x) refuses OpenAPI 3.1 ("no valid version field")."""
    assert "/docs/openapi-3.0.json" in client.get("/docs").text
    doc = client.get("/docs/openapi-3.0.json").json()
    assert (
        doc["openapi"] == "3.0.3"
        and doc["paths"].keys() == client.get("/openapi.json").json()["paths"].keys()
    )
    text = json.dumps(doc)
    assert '{"type": "null"}' not in text and '"const"' not in text
    assert not re.search(r'"type": \[', text)
    assert '"nullable": true' in text


def test_pages_show_the_same_russian_validation_message(client: TestClient) -> None:
    r = client.get("/facts", params={"date_from": "2022-02-31"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "в календаре нет даты 2022-02-31" in r.text


def test_the_api_does_not_import_the_pages() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from newsfacts.api.app import build_app; "
        "from newsfacts.store import Store; build_app(Store.open(':memory:')); "
        "print(sorted(m for m in sys.modules if m.startswith('newsfacts.web')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
