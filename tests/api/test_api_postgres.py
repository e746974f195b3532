"""The API's own queries (`api/queries.py`) on PostgreSQL, not only on SQLite.

Runs when NEWSFACTS_TEST_PG names a server (tests/store/start_postgres.sh starts
one); uses a database of its own, created and dropped here, so other tests' rows
cannot change the counts.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN, all_records, almaty_record

from newsfacts.server import create_app

PG = os.environ.get("NEWSFACTS_TEST_PG")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG, reason="NEWSFACTS_TEST_PG is not set"),
]


@pytest.fixture(scope="module")
def pg_client() -> Iterator[TestClient]:
    import sqlalchemy as sa

    from newsfacts.store import Store, database_url

    url = sa.make_url(database_url(PG))
    name = f"newsfacts_web_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    store = Store.open(url.set(database=name).render_as_string(hide_password=False))
    try:
        for record in all_records():
            store.save(record)
        yield TestClient(create_app(store, token=TOKEN))
    finally:
        store.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_queries_answer_the_same_on_postgres(pg_client: TestClient) -> None:
    c = pg_client
    assert c.get("/api/articles").json()["total"] == 3
    dated = c.get("/api/articles", params={"date_from": "2023", "date_to": "2023-03"}).json()
    assert len(dated["items"]) == 1
    assert c.get("/api/articles", params={"q": "текстильный кластер"}).json()["total"] == 1
    hits = c.get("/api/entities", params={"q": "альберт"}).json()["items"]
    assert [(h["key"], h["article_count"]) for h in hits] == [("person:марко альберти", 2)]
    assert c.get("/api/facts", params={"type": "meeting"}).json()["total"] == 3
    assert c.get("/api/facts", params={"country": "UZ"}).json()["total"] >= 2
    early = c.get("/api/facts", params={"type": "quantity", "date_to": "2021"}).json()
    assert [f["args"]["value"] for f in early["items"]] == [15_200_000_000]
    series = c.get("/api/quantities", params={"indicator": "товарооборот"}).json()["items"]
    by_pair = {tuple(x["key"] for x in s["subjects"]): s for s in series}
    assert [p["period"] for p in by_pair[("location:IT", "location:KZ")]["points"]] == [
        "2021",
        "2022",
    ]
    assert len(c.get("/api/meetings").json()["edges"]) == 3
    italy = c.get("/api/dossiers/location:IT").json()
    assert "location:алматы" in {r["key"] for r in italy["relations"]}
    page = c.get(f"/articles/{almaty_record().article.id}")
    assert page.status_code == 200 and "<mark>" in page.text
    export = c.get("/api/export", params={"format": "csv", "type": "meeting"}).text
    assert export.count("\n") == 4  # header and three meetings
