"""Issue 12: the stored policy is the effective one, a grant opens the full text, and a
store written before the quotable sets gets them (and its policies) when opened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from webapi_fixtures import ALMATY_TEXT, TOKEN, almaty_record, tashkent_record

from newsfacts.model import Policy
from newsfacts.server import create_app
from newsfacts.store import Store


def test_grant_opens_the_full_text_and_is_stored(fresh_store: Store) -> None:
    client = TestClient(create_app(fresh_store, token=TOKEN))
    aid = almaty_record().article.id
    before = client.get(f"/api/articles/{aid}").json()
    assert before["text"] is None and before["quotable_chars"] <= int(0.3 * len(ALMATY_TEXT))
    assert fresh_store.grant_permission("kapital.kz")
    after = client.get(f"/api/articles/{aid}").json()
    assert after["text"] == ALMATY_TEXT and after["article"]["policy"]["granted"] is True
    assert fresh_store.get_record(aid).article.policy.granted
    assert fresh_store.revoke_permission("kapital.kz")
    assert client.get(f"/api/articles/{aid}").json()["text"] is None
    assert not fresh_store.get_record(aid).article.policy.granted


def test_an_old_store_gets_sets_and_effective_policies_on_open(tmp_path: Path) -> None:
    db = str(tmp_path / "old.db")
    record = tashkent_record()
    with Store.open(db) as store:
        store.save(record)
        aid = record.article.id
        with store.engine.begin() as conn:  # what a store from before migration 0005 holds
            conn.execute(sa.text("DROP TABLE quotable"))
            conn.execute(sa.text("DROP TABLE verdicts"))  # migration 0006, after 0005
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0004'"))
            stale = json.dumps(Policy().__dict__)  # "full_text: allowed", the old default
            conn.execute(sa.text("UPDATE articles SET policy = :p"), {"p": stale})
    with Store.open(db) as store:
        back = store.get_record(aid)
        assert back.article.policy.origin in ("registry", "default", "footer")
        assert back.article.policy.full_text != "allowed" or back.article.policy.max_share == 1
        assert back.article.quotable is not None
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM quotable")).scalar() == 1


def test_a_response_reads_the_grants_once_whatever_the_number_of_sources(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13: a dossier asked `has_permission` for each of its ~12 sources, each
    question a read transaction of its own; a response now reads every grant once."""
    reads: list[int] = []
    every = store.permissions
    monkeypatch.setattr(store, "permissions", lambda: reads.append(1) or every())
    monkeypatch.setattr(store, "has_permission", lambda s: pytest.fail(f"asked for {s}"))
    client = TestClient(create_app(store, token=TOKEN))
    with store._read() as conn:
        sources = set(conn.execute(sa.text("SELECT DISTINCT source FROM articles")).scalars())
    assert len(sources) >= 2
    assert client.get("/api/dossiers/location:алматы").status_code == 200
    assert reads == [1]


def test_the_grants_a_response_reads_are_those_of_its_first_question(fresh_store: Store) -> None:
    fresh_store.grant_permission("kapital.kz")
    permitted = fresh_store.permission_check()
    assert permitted(" Kapital.KZ ") and not permitted("forbes.kz") and not permitted(" ")
    fresh_store.grant_permission("forbes.kz")
    assert not permitted("forbes.kz")  # one response, one reading of the grants
    assert fresh_store.permission_check()("forbes.kz")  # the next response sees it
