"""ETags, Cache-Control and the response cache keyed by the store version (issue 13).

The cache may only ever answer what a fresh request would: every write bumps the
version, so an answer built before a write is never served after it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN, all_records

from newsfacts import kb
from newsfacts.kb.tables import kb_entities
from newsfacts.policy.registry import PolicyRegistry
from newsfacts.server import create_app
from newsfacts.store import Store, version


def _app(store: Store, registry: PolicyRegistry, entries: int = 16) -> TestClient:
    return TestClient(
        create_app(store, token=TOKEN, policy_registry=registry, response_cache=entries)
    )


def test_etag_answers_304_until_a_write(fresh_store: Store, registry: PolicyRegistry) -> None:
    client = _app(fresh_store, registry)
    first = client.get("/api/articles")
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = client.get("/api/articles", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    page = client.get("/", headers={"If-None-Match": tag})  # one version for every URL
    assert page.status_code == 304
    fresh_store.grant_permission("example.kz")  # any write
    after = client.get("/api/articles", headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


def test_cached_answer_never_outlives_a_write(tmp_path, registry: PolicyRegistry) -> None:
    records = all_records()
    store = Store.open(str(tmp_path / "c.db"))
    for record in records[:-1]:
        store.save(record)
    client = _app(store, registry)
    before = client.get("/api/articles").json()["total"]
    assert client.get("/api/articles").json()["total"] == before
    cache = _find_cache(client.app.middleware_stack)
    assert cache is not None and cache.hits >= 1
    store.save(records[-1])
    assert client.get("/api/articles").json()["total"] == before + 1
    store.close()


def test_private_and_failed_requests_are_not_cached(
    fresh_store: Store, registry: PolicyRegistry
) -> None:
    client = _app(fresh_store, registry)
    signed_in = client.get("/", headers={"Cookie": "nf_token=x"})
    assert "etag" not in signed_in.headers
    missing = client.get("/api/entities/person:nobody-at-all")
    assert missing.status_code == 404 and "etag" not in missing.headers


def test_every_write_path_bumps_the_version(fresh_store: Store) -> None:
    def current() -> int:
        with fresh_store.engine.connect() as conn:
            return version.current(conn)

    start = current()
    kb.sync(fresh_store)
    linked = current()
    assert linked > start
    with fresh_store.batch(10):
        fresh_store.grant_permission("a.kz")
    assert current() > linked


def test_find_follows_merge_chains_for_all_links_at_once(fresh_store: Store) -> None:
    """`kb._find` resolves distinct kb ids level by level: a→b→c from [a, b] is c for both."""
    now = datetime.now(UTC).isoformat()
    rows = [
        {"id": i, "type": "person", "name": i, "merged_into": m, "created_at": now}
        for i, m in (("Pa", "Pb"), ("Pb", "Pc"), ("Pc", None), ("Pd", None))
    ]
    with fresh_store._write() as conn:
        conn.execute(sa.insert(kb_entities), rows)
    with fresh_store._read() as conn:
        got = kb._resolve_many(conn, ["Pa", "Pb", "Pd", "Px"])
    assert got == {"Pa": "Pc", "Pb": "Pc", "Pd": "Pd", "Px": "Px"}


def _find_cache(app: object) -> object | None:
    """The VersionedCache in the middleware chain."""
    from newsfacts.api.cache import VersionedCache

    seen = 0
    while app is not None and seen < 20:
        if isinstance(app, VersionedCache):
            return app
        app = getattr(app, "app", None)
        seen += 1
    return None


def test_a_cached_answer_still_passes_the_host_check(
    fresh_store: Store, registry: PolicyRegistry
) -> None:
    """The cache sits inside the Host check: a foreign Host never gets a kept answer."""
    client = _app(fresh_store, registry)
    assert client.get("/api/articles").status_code == 200  # now kept
    foreign = client.get("/api/articles", headers={"Host": "evil.example"})
    assert foreign.status_code >= 400 and "etag" not in foreign.headers
