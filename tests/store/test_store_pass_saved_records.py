"""The deferred quotable pass takes the records the bulk saver just wrote from memory
(`store.passio.with_saved`) only while the stored article is still that one: the
sets must be exactly those of reading every record back (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from store_samples import record_a, record_b, record_c, wipe_articles

from newsfacts.store import Store, bulk
from newsfacts.store.bulk import BulkItem

Meddle = Callable[[Store, str], None]


def sets(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT article_id, allowance, pieces FROM quotable"))
        return sorted(tuple(r) for r in rows)


def load(store: Store, meddle: Meddle, db_url: str) -> list[tuple[Any, ...]]:
    """A deferred bulk load of three articles; `meddle` runs between the save and
    the pass (another writer at work); the sets after the pass."""
    wipe_articles(store)
    with store.deferred_sets():
        store.save_many([BulkItem(r) for r in (record_a(), record_b(), record_c())])
        meddle(store, db_url)
    return sets(store)


def nothing(store: Store, db_url: str) -> None:
    pass


def stricter_policy(store: Store, db_url: str) -> None:
    """What `policy rebuild` in another process does to article A: a new share."""
    aid = record_a().article.id
    with store.engine.begin() as conn:
        raw = conn.execute(sa.text("SELECT policy FROM articles WHERE id = :i"), {"i": aid})
        policy = json.loads(raw.scalar_one())
        policy["max_share"] = 0.1
        conn.execute(
            sa.text("UPDATE articles SET policy = :p WHERE id = :i"),
            {"p": json.dumps(policy, ensure_ascii=False), "i": aid},
        )


def re_extracted(store: Store, db_url: str) -> None:
    """Another process stores a newer extraction of article A, without its facts."""
    newer = record_a("0.2")
    with Store.open(db_url) as other:
        assert other.save(replace(newer, facts=newer.facts[:1]))


@pytest.mark.parametrize("meddle", [nothing, stricter_policy, re_extracted])
def test_sets_are_those_of_reading_every_record_back(
    store: Store, db_url: str, meddle: Meddle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_memory = load(store, meddle, db_url)
    monkeypatch.setattr(bulk, "MAX_SAVED", 0)  # the saver keeps nothing: all read back
    read_back = load(store, meddle, db_url)
    assert from_memory == read_back
    assert store._saved_records == {}  # nothing kept past its pass


def test_the_pass_reads_back_none_of_the_records_it_was_handed(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    real = store._read_records

    def counting(conn: sa.Connection, ids: list[str]) -> Any:
        read.extend(ids)
        return real(conn, ids)

    monkeypatch.setattr(store, "_read_records", counting)
    load(store, nothing, db_url)
    assert read == []
