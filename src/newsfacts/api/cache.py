"""ETags, Cache-Control and a response cache keyed by the store's version.

Every GET page and API answer is a function of the URL, the stored rows and the
policy registry, so an ETag made of the store version (`store.version`, bumped
by every write) and a fingerprint of the registry names the answer exactly:

- a client that sends `If-None-Match` with the current ETag gets a 304 without
  the page being built;
- a 200 answer is kept in a small per-process LRU cache under (ETag, URL), so
  the next request for the same URL at the same version is a dictionary lookup
  (issue 13 item 4: ~100x on a hit). A write changes the version and empties
  the cache, so no answer outlives the rows it was built from.

`Cache-Control: no-cache` lets browsers and proxies keep a page but makes them
ask again each time (a write may change it at any moment); the question costs
one single-row read. Requests carrying a cookie or credentials, non-GET methods,
`/api/ingest`, exports, `/static` and `/docs` pass through untouched: a signed-in
curator's page differs from the public one for the same URL.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from typing import Any

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfacts.store import version

ENV_ENTRIES = "NEWSFACTS_RESPONSE_CACHE"
DEFAULT_ENTRIES = 256
MAX_BODY = 4 * 1024 * 1024  # larger answers (exports) are served, not kept
MAX_BYTES = 64 * 1024 * 1024  # all kept answers of one process (a dossier page is ~1 MB)
CACHE_CONTROL = b"no-cache"
# Exports are downloads, large and seldom asked twice: built each time.
_EXPORTS = ("/api/export", "/facts/export", "/articles/export")
_SKIP_PREFIXES = (
    "/static",
    "/docs",
    "/api/ingest",
    "/openapi.json",
    "/curate",
    "/review",
    *_EXPORTS,
)
_PRIVATE_HEADERS = {b"cookie", b"authorization", b"x-api-token"}
_REPLACED = {b"etag", b"cache-control"}


def entries_from_env() -> int:
    """Cache size from $NEWSFACTS_RESPONSE_CACHE (0 turns the cache off; ETags stay)."""
    try:
        return max(0, int(os.environ.get(ENV_ENTRIES, DEFAULT_ENTRIES)))
    except ValueError:
        return DEFAULT_ENTRIES


class VersionedCache:
    """ASGI middleware: ETag/304 and an LRU of whole answers per store version."""

    def __init__(self, app: ASGIApp, entries: int = DEFAULT_ENTRIES) -> None:
        self.app = app
        self.entries = entries
        self._answers: OrderedDict[tuple[str, str], tuple[int, list[Any], bytes]] = OrderedDict()
        self._etag = ""
        self._bytes = 0
        # Answers being built, so 8 clients asking for one cold page build it once.
        self._building: dict[tuple[str, str], anyio.Event] = {}
        self.hits = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cacheable(scope):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state.newsfacts
        etag = await anyio.to_thread.run_sync(_etag_of, state)
        if etag != self._etag:  # a write happened: every kept answer is stale
            self._answers.clear()
            self._bytes = 0
            self._etag = etag
        tag = etag.encode("ascii")
        if _matches(scope, tag):
            await send({"type": "http.response.start", "status": 304, "headers": _ours(tag)})
            await send({"type": "http.response.body", "body": b""})
            return
        key = (etag, scope["method"] + " " + scope["path"] + "?" + _query(scope))
        building = self._building.get(key) if self.entries else None
        if building is not None:  # the same answer is being built: wait for it
            await building.wait()
        if await self._replay(key, send):
            return
        done = self._building.setdefault(key, anyio.Event()) if self.entries else None
        try:
            await self._serve(scope, receive, send, key, tag)
        finally:
            if done is not None:
                done.set()
                self._building.pop(key, None)

    async def _replay(self, key: tuple[str, str], send: Send) -> bool:
        kept = self._answers.get(key)
        if kept is None:
            return False
        self._answers.move_to_end(key)
        self.hits += 1
        status, headers, body = kept
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True

    async def _serve(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, str], tag: bytes
    ) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start.update(message)
                if message["status"] == 200:
                    theirs = message.get("headers", [])
                    headers = [h for h in theirs if h[0].lower() not in _REPLACED]
                    message = {**message, "headers": headers + _ours(tag)}
                    start["headers"] = message["headers"]
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                size += len(message.get("body", b""))
                if size <= MAX_BODY:
                    chunks.append(message.get("body", b""))
                if not message.get("more_body") and size <= MAX_BODY and self.entries:
                    self._keep(key, start["headers"], b"".join(chunks))
            await send(message)

        await self.app(scope, receive, capture)

    def _keep(self, key: tuple[str, str], headers: list[Any], body: bytes) -> None:
        if key[0] != self._etag:  # a write came while it was built: keep nothing
            return
        old = self._answers.pop(key, None)
        self._bytes -= len(old[2]) if old else 0
        self._answers[key] = (200, headers, body)
        self._bytes += len(body)
        while self._answers and (len(self._answers) > self.entries or self._bytes > MAX_BYTES):
            _, (_, _, dropped) = self._answers.popitem(last=False)
            self._bytes -= len(dropped)


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
        return False
    if scope["path"].startswith(_SKIP_PREFIXES):
        return False
    if any(name.lower() in _PRIVATE_HEADERS for name, _ in scope.get("headers", [])):
        return False
    return hasattr(scope.get("app"), "state") and hasattr(scope["app"].state, "newsfacts")


def _etag_of(state: Any) -> str:
    """W/"<store version>-<registry fingerprint>": read before the answer is built."""
    with state.store.engine.connect() as conn:
        current = version.current(conn)
    registry = hashlib.sha256(repr(state.registry).encode("utf-8")).hexdigest()[:12]
    return f'W/"{current}-{registry}"'


def _matches(scope: Scope, tag: bytes) -> bool:
    for name, value in scope.get("headers", []):
        if name.lower() == b"if-none-match":
            given = {v.strip() for v in value.split(b",")}
            return tag in given or b"*" in given
    return False


def _ours(tag: bytes) -> list[tuple[bytes, bytes]]:
    return [(b"etag", tag), (b"cache-control", CACHE_CONTROL), (b"vary", b"Cookie")]


def _query(scope: Scope) -> str:
    return scope.get("query_string", b"").decode("latin-1")
