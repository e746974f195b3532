"""POST /api/ingest on the bodies a reliability probe sent it (issue 12): a bad line or
a bad body is a 4xx or a reported skip, never a 500."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN

from newsfacts.model import Record
from newsfacts.server import create_app

ARTICLE = (
    "Премьер-министр Кыргызстана и посол Китая обсудили сроки строительства железной "
    "дороги Китай – Кыргызстан – Узбекистан. Работы начнутся в следующем году."
)
JSONL = {"x-api-token": TOKEN, "content-type": "application/x-ndjson"}


class FakePipeline:
    """Stands in for natasha: these tests check the HTTP layer, not extraction."""

    version = "fake-1"

    def __call__(self, article) -> Record:
        return Record(article=article, extractor_version=self.version)


@pytest.fixture
def app(fresh_store) -> TestClient:
    return TestClient(
        create_app(fresh_store, token=TOKEN, pipeline=FakePipeline()), raise_server_exceptions=False
    )


def test_deeply_nested_line_is_a_reported_skip(app: TestClient) -> None:
    alone = app.post("/api/ingest", content=b"[" * 200_000, headers=JSONL)
    assert alone.status_code == 422, alone.text
    assert "nested" in alone.json()["error"]["message"]
    good = json.dumps({"text": ARTICLE, "url": "https://kabar.kg/1"}, ensure_ascii=False)
    mixed = app.post("/api/ingest", content=b"[" * 200_000 + b"\n" + good.encode(), headers=JSONL)
    assert mixed.status_code == 200, mixed.text
    assert mixed.json()["added"] == 1 and len(mixed.json()["errors"]) == 1


def test_lone_surrogate_and_nul_are_4xx_not_500(app: TestClient) -> None:
    surrogate = r'{"text": "\ud800 Премьер-министр Кыргызстана встретился с послом."}'.encode()
    r = app.post("/api/ingest", content=surrogate, headers=JSONL)
    assert r.status_code == 422, r.text
    assert "surrogate" in r.json()["error"]["message"]
    r = app.post("/api/ingest", content=b'{"text": "\x00"}', headers=JSONL)
    assert r.status_code == 422, r.text
    good = json.dumps({"text": ARTICLE, "url": "https://kabar.kg/2"}, ensure_ascii=False)
    mixed = app.post("/api/ingest", content=surrogate + b"\n" + good.encode(), headers=JSONL)
    assert mixed.status_code == 200, mixed.text
    assert mixed.json()["added"] == 1 and "surrogate" in mixed.json()["errors"][0]


def test_junk_is_a_reported_skip(app: TestClient) -> None:
    plain = {"x-api-token": TOKEN, "content-type": "text/plain"}
    title = app.post("/api/ingest", content="Заголовок без текста".encode(), headers=plain)
    assert title.status_code == 422 and "title" in title.json()["error"]["message"]
    menu = app.post(
        "/api/ingest",
        content=json.dumps({"title": "Пусто", "text": "Меню"}, ensure_ascii=False).encode(),
        headers=JSONL,
    )
    assert menu.status_code == 422 and "words" in menu.json()["error"]["message"]


class Failing(FakePipeline):
    def __call__(self, article) -> Record:
        raise ValueError(f"extraction failed for {article.id}")


@pytest.mark.parametrize(
    ("media", "body"),
    [
        ("text/plain", "Kazakhstan and Turkey discussed a new textile factory in Shymkent today."),
        ("text/plain", "Заголовок без текста"),
        ("application/x-ndjson", '{"text": "Меню", "title": "Пусто"}\n{broken'),
        ("text/html", "<html><body><div><p>"),
        ("application/rss+xml", "<rss><channel></channel></rss>"),
    ],
)
def test_error_bodies_never_name_server_paths(app: TestClient, media: str, body: str) -> None:
    r = app.post("/api/ingest", content=body.encode(), headers={**JSONL, "content-type": media})
    assert r.status_code == 422, r.text
    _no_paths(r.text)


def test_errors_of_a_partly_failed_request_name_no_paths(fresh_store) -> None:
    app = TestClient(create_app(fresh_store, token=TOKEN, pipeline=Failing()))
    lines = [json.dumps({"text": ARTICLE}, ensure_ascii=False), '{"text": "Меню"}']
    r = app.post("/api/ingest", content="\n".join(lines).encode(), headers=JSONL)
    assert r.status_code == 422
    _no_paths(r.text)
    assert "тело запроса:1" in r.json()["error"]["message"]


def _no_paths(text: str) -> None:
    import tempfile

    for leak in (tempfile.gettempdir(), "newsfacts-ingest-", "request.jsonl", "/tmp"):
        assert leak not in text, text


def _asgi_post(app, headers: list[tuple[bytes, bytes]], chunks: int, size: int):
    """POST /api/ingest straight through ASGI; returns (status, bytes the app pulled).

    The test client reads a whole body before the app sees it, so it cannot show
    whether the app stops reading early; a raw ASGI call can.
    """
    import asyncio

    pulled = 0
    sent = 0
    status: list[int] = []

    async def receive():
        nonlocal pulled, sent
        if sent >= chunks:
            return {"type": "http.disconnect"}
        sent += 1
        pulled += size
        return {"type": "http.request", "body": b"a" * size, "more_body": sent < chunks}

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/ingest",
        "raw_path": b"/api/ingest",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"x-api-token", TOKEN.encode()), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 8000),
    }
    asyncio.run(app(scope, receive, send))
    return status[0], pulled


def test_oversized_body_is_refused_before_it_is_buffered(fresh_store) -> None:
    from newsfacts.api.ingest import MAX_INGEST_BYTES

    app = create_app(fresh_store, token=TOKEN, pipeline=FakePipeline())
    chunk = 1 << 20
    total = 300 * chunk  # 300 MB offered
    declared = [(b"content-type", b"text/plain"), (b"content-length", str(total).encode())]
    status, pulled = _asgi_post(app, declared, chunks=300, size=chunk)
    assert status == 413 and pulled <= chunk
    chunked = [(b"content-type", b"text/plain"), (b"transfer-encoding", b"chunked")]
    status, pulled = _asgi_post(app, chunked, chunks=300, size=chunk)
    assert status == 413 and pulled <= MAX_INGEST_BYTES + chunk
