"""`Store.save_many`: a batch in one transaction stores exactly what `save` does."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from store_samples import record_a, record_b, record_c, wipe_articles

from newsfacts.model import Record
from newsfacts.store import Store, StoreError
from newsfacts.store.bulk import BulkItem
from newsfacts.store.runkeys import TextRuns

TABLES = ("articles", "entities", "mentions", "facts", "evidence", "fact_entities", "lsh_keys")
IGNORED = {"ingested_at", "tsv"}  # the time of the save; PostgreSQL's generated column


def dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the article tables, the quotable sets, the hashed runs of texts
    and sets, and the FTS rows, sorted."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as conn:
        for name in (*TABLES, "quotable", "text_runs", "shown_runs"):
            rows = conn.execute(sa.text(f"SELECT * FROM {name}")).mappings().all()
            out[name] = sorted(
                (repr(sorted((k, v) for k, v in r.items() if k not in IGNORED)),) for r in rows
            )
        if store.dialect == "sqlite":
            fts = conn.execute(sa.text("SELECT article_id, title, body FROM articles_fts"))
            out["articles_fts"] = sorted(tuple(r) for r in fts)
    return out


def items() -> list[BulkItem]:
    a, b, c = record_a(), record_b(), record_c()
    return [
        BulkItem(a, ["b00:aa", "b01:bb"], origin="feed.jsonl:1"),
        BulkItem(b, ["b00:cc"], origin="feed.jsonl:2"),
        BulkItem(Record(article=c.article, extractor_version="0.1"), [], duplicate_of=a.article.id),
    ]


def test_a_batch_stores_what_one_save_each_stores(store: Store) -> None:
    for item in items():
        assert store.save(
            item.record,
            fingerprint=item.fingerprint,
            duplicate_of=item.duplicate_of,
            origin=item.origin,
        )
    expected = dump(store)
    wipe_articles(store)
    assert store.save_many(items()) == [True, True, True]
    assert dump(store) == expected
    assert store.search_articles("логистического")[0]["id"] == record_a().article.id


def test_the_same_batch_twice_changes_nothing(store: Store) -> None:
    store.save_many(items())
    before = dump(store)
    assert store.save_many(items()) == [False, False, False]
    assert dump(store) == before


def test_an_article_another_writer_stored_is_skipped_not_an_error(store: Store) -> None:
    first = items()[1]
    assert store.save(first.record, fingerprint=first.fingerprint)
    assert store.save_many(items()) == [True, False, True]
    assert store.stats()["articles"] == 3


def test_newer_versions_and_repeats_in_a_batch_behave_as_single_saves(store: Store) -> None:
    store.save(record_a("0.1"))
    batch = [BulkItem(record_a("0.2")), BulkItem(record_b()), BulkItem(record_b())]
    assert store.save_many(batch) == [True, True, False]
    assert store.extractor_version(record_a().article.id) == "0.2"
    assert store.stats()["articles"] == 2


def text_runs(store: Store) -> dict[str, set[int]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT article_id, hash FROM text_runs")).all()
    out: dict[str, set[int]] = {}
    for aid, h in rows:
        out.setdefault(aid, set()).add(h)
    return out


def test_text_runs_follow_a_text_replaced_later_in_the_same_batch(store: Store) -> None:
    """The bulk saver hashes new texts itself; a newer version of the same id later
    in the batch (another text) must leave the runs of the text stored last, also
    when the cross-article pass waits for the end of a bulk load. Odd ids (tab,
    backslash, newline) go through PostgreSQL's COPY as they are."""
    old = record_a("0.1")
    new = record_b("0.2")
    odd = "id\twith\\odd\nchars"
    old.article.id = new.article.id = odd
    with store.deferred_sets():
        assert store.save_many([BulkItem(old), BulkItem(new), BulkItem(record_c())]) == [
            True,
            True,
            True,
        ]
    runs = text_runs(store)
    assert runs[odd] == TextRuns(new.article.text).findable
    assert runs[record_c().article.id] == TextRuns(record_c().article.text).findable


def test_a_bad_record_fails_the_batch_before_anything_is_written(store: Store) -> None:
    bad = record_c()
    bad.entities[0].mentions = [(0, 10_000)]
    with pytest.raises(StoreError):
        store.save_many([BulkItem(record_a()), BulkItem(bad)])
    assert store.stats()["articles"] == 0
