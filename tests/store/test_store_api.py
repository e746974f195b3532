"""The store's public API besides reading and writing, on every configured backend (see
conftest.py): reopening, migrations, near-duplicates, permissions, export, concurrent
writers, opening bad targets (reads: test_store_read.py; writes: test_store_write.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from store_samples import record_a, record_b, record_c

import newsfacts.store.kbtables  # noqa: F401  (the KB tables are part of the schema)
from newsfacts.store import Store, StoreError
from newsfacts.store import aggregates as store_module
from newsfacts.store.schema import metadata


def test_reopen_keeps_data(db_url: str) -> None:
    with Store.open(db_url) as first:
        first.save(record_b())
    with Store.open(db_url) as second:
        assert second.has_article(record_b().article.id)
        assert second.stats()["facts"] == 3


def test_migrations_match_schema(store: Store) -> None:
    """schema.py and the Alembic revisions describe the same tables and indexes."""
    ignored = {"articles_fts", "alembic_version", "facts_trgm"}

    def include_name(name: str | None, type_: str, parent: object) -> bool:
        # Backend-specific search indexes (store.fts, store.trigram) live outside schema.py.
        if type_ == "table":
            return name not in ignored and not (name or "").startswith(
                ("articles_fts_", "facts_trgm_")
            )
        return name not in {"tsv", "ix_articles_tsv", "ix_facts_args_trgm"}

    def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
        # One index per backend in schema.py (`ddl_if`), which autogenerate does not
        # tell apart; test_store_fresh_schema compares what the migration and
        # schema.py build (PostgreSQL: pg_indexes.indexdef).
        return not (type_ == "index" and name == "ix_entity_articles_newest")

    opts = {"include_name": include_name, "include_object": include_object}
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts=opts)
        diffs = compare_metadata(ctx, metadata)
    assert diffs == []


# ------------------------------------------------- duplicates, permissions


def test_near_duplicates(store: Store) -> None:
    a, b = record_a(), record_b()
    store.save(a, fingerprint=["b0:11", "b1:22", "b2:33"])
    store.save(b, fingerprint=["b0:11", "b1:99"], duplicate_of=a.article.id)
    assert store.near_duplicate_candidates(["b1:22", "b2:33", "b0:11"]) == [
        a.article.id,
        b.article.id,
    ]
    assert store.near_duplicate_candidates(["b5:00"]) == []
    assert store.near_duplicate_candidates([]) == []
    assert store.stats()["duplicates"] == 1
    assert store.get_article_meta(b.article.id)["duplicate_of"] == a.article.id
    # a duplicate is kept and readable by id, but is not a second witness
    assert store.get_article(b.article.id) is not None
    assert [x["id"] for x in store.list_articles()] == [a.article.id]
    assert len(store.list_articles(include_duplicates=True)) == 2
    assert store.search("Eni")["articles"] == []
    assert len(store.search("Eni", include_duplicates=True)["articles"]) == 1
    assert {f["article_id"] for f in store.facts()} == {a.article.id}
    assert len(store.facts(include_duplicates=True)) == 7
    assert len(store.quantity_series(indicator="товарооборот")) == 1


def test_permissions(store: Store) -> None:
    assert not store.has_permission("kapital.kz")
    assert store.grant_permission("Kapital.kz")
    assert store.grant_permission("kapital.kz ") is False
    assert store.has_permission("KAPITAL.KZ")
    assert not store.has_permission("inform.kz")
    assert not store.has_permission(None)
    assert [p["source"] for p in store.permissions()] == ["kapital.kz"]
    assert store.revoke_permission("kapital.kz")
    assert store.revoke_permission("kapital.kz") is False
    assert not store.has_permission("kapital.kz")
    with pytest.raises(StoreError):
        store.grant_permission("  ")


# ------------------------------------------------------------------- export


def test_export_and_stats(filled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "_EXPORT_BATCH", 3)  # exercise keyset paging
    exported = list(filled.iter_facts_for_export())
    assert len(exported) == 10
    assert len({f["id"] for f in exported}) == 10
    assert all(f["url"] and f["url"] == f["article"]["url"] for f in exported)
    keys = [(f["article_id"], f["seq"]) for f in exported]
    assert keys == sorted(keys)
    stats = filled.stats()
    assert stats == {
        "articles": 3,
        "duplicates": 0,
        "sources": 3,
        "entities": 8,
        "facts": 10,
        "permissions": 0,
    }
    assert filled.fact_type_counts() == {
        "intent": 1,
        "launch": 1,
        "meeting": 3,
        "occupation": 3,
        "quantity": 2,
    }


def test_sql_injection_in_filters_is_inert(filled: Store) -> None:
    assert filled.list_articles(source="x' OR '1'='1") == []
    assert filled.facts(entity_key="') OR 1=1 --") == []
    with filled.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM articles")).scalar() == 3


# -------------------------------------------------------------- concurrency


def test_concurrent_writers(db_url: str) -> None:
    """Four stores (as four processes would) saving at once: nothing lost, the same
    article stored exactly once, no 'database is locked' reaching the caller."""
    import threading

    Store.open(db_url).close()  # schema first, as the CLI does
    records = [record_a(), record_b(), record_c()]
    results: list[bool] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        try:
            with Store.open(db_url) as own:
                barrier.wait()
                for rec in records:
                    results.append(own.save(rec))
                    own.search("Шымкент")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert sorted(results) == [False] * 9 + [True] * 3
    with Store.open(db_url) as check:
        assert check.stats()["articles"] == 3
        assert check.stats()["facts"] == 10


def test_open_refuses_a_file_that_is_not_a_database(tmp_path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("Аким Шымкента встретился с послом Италии.\n" * 50, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="cannot open store .*notes.db"):
        Store.open(str(path))
    assert path.read_bytes() == before


def test_open_takes_any_file_name(tmp_path) -> None:
    path = tmp_path / "новости ?#1.db"
    with Store.open(str(path)) as store:
        store.save(record_c())
    assert path.exists()
    with Store.open(str(path)) as again:
        assert again.has_article(record_c().article.id)


def test_open_refuses_an_unknown_scheme() -> None:
    with pytest.raises(StoreError, match="cannot open store"):
        Store.open("nosuchdb://host/x")


def test_open_hides_the_password_of_an_unreachable_server() -> None:
    with pytest.raises(StoreError) as info:
        Store.open("postgresql://newsfacts:s3cret@127.0.0.1:1/nowhere")
    assert "s3cret" not in str(info.value)
    assert "\n" not in str(info.value)
