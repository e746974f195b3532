"""Issue 12: the stored policy is the effective one, a grant opens the full text, and a
store written before the quotable sets gets them (and its policies) when opened."""

from __future__ import annotations

import json
from pathlib import Path

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
