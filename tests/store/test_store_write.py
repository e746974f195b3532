"""Writing to the store, on every configured backend (see conftest.py): round trips,
re-extraction, records refused whole, batches and deletion."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from store_samples import record_a, record_b, record_c

from newsfacts.model import Fact
from newsfacts.store import Store, StoreError

# ------------------------------------------------------------------- writing


def test_round_trip(store: Store) -> None:
    rec = record_a()
    assert not store.has_article(rec.article.id)
    assert store.save(rec, origin="fixtures/a.txt")
    assert store.has_article(rec.article.id)
    back = store.get_record(rec.article.id)
    assert back is not None
    assert back.to_dict() == rec.to_dict()
    assert back.article == rec.article
    assert store.get_article(rec.article.id) == rec.article
    meta = store.get_article_meta(rec.article.id)
    assert meta is not None and meta["origin"] == "fixtures/a.txt"
    assert meta["extractor_version"] == "0.1" and meta["ingested_at"]
    assert store.get_record("0000000000000000") is None
    assert store.get_article("0000000000000000") is None


def test_entity_and_evidence_order_survive(store: Store) -> None:
    rec = record_a()
    # Evidence given out of text order, entity ids past E9: both must come back as given.
    rec.facts[0].evidence = [(100, 120), (0, 10)]
    rec.entities[0].id = "E10"
    rec.facts[0].args["agent"] = "E10"
    rec.facts[3].args["subjects"] = ["E5", "E10"]
    store.save(rec)
    back = store.get_record(rec.article.id)
    assert back is not None
    assert back.facts[0].evidence == [(100, 120), (0, 10)]
    assert [e.id for e in back.entities] == ["E2", "E3", "E4", "E5", "E10"]


def test_idempotent_resave(store: Store) -> None:
    assert store.save(record_a())
    before = store.stats()
    assert store.save(record_a()) is False
    assert store.save(record_a(), fingerprint=["b0:zz"]) is False
    assert store.stats() == before
    assert store.near_duplicate_candidates(["b0:zz"]) == []


def test_newer_extractor_replaces_facts(store: Store) -> None:
    old = record_a("0.9")
    store.save(old, fingerprint=["b1:aa"])
    new = record_a("0.10")  # numerically newer than 0.9
    new.facts = [f for f in new.facts if f.type != "meeting"]
    new.entities = [e for e in new.entities if e.id != "E4"]
    new.facts[0].confidence = 0.99
    assert store.save(new)
    back = store.get_record(new.article.id)
    assert back is not None
    assert back.extractor_version == "0.10"
    assert [f.type for f in back.facts] == ["intent", "occupation", "quantity"]
    assert back.facts[0].confidence == pytest.approx(0.99)
    assert back.entity("E4") is None
    assert store.facts(type="meeting") == []
    assert store.get_entity("person:марко альберти") is None
    assert store.meeting_edges() == []
    # The fingerprint was not re-sent, so the old band keys stay.
    assert store.near_duplicate_candidates(["b1:aa"]) == [new.article.id]
    # An older extractor never overwrites a newer one.
    assert store.save(record_a("0.9")) is False
    again = store.get_record(new.article.id)
    assert again is not None and again.extractor_version == "0.10"
    # Ingest without extraction (empty version) leaves the facts alone.
    assert store.save(record_a("")) is False
    assert len(store.facts()) == 3


def test_failure_mid_save_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: Store, *args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_write_facts", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.save(record_a(), fingerprint=["b2:x"])
    assert not store.has_article(record_a().article.id)
    assert set(store.stats().values()) == {0}
    assert store.search("Шымкент")["articles"] == []
    assert store.search("Айтенов")["entities"] == []
    assert store.near_duplicate_candidates(["b2:x"]) == []


def test_failure_during_reextraction_keeps_old_version(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(record_a("0.1"))
    before = store.get_record(record_a().article.id)

    def boom(self: Store, *args: object, **kwargs: object) -> None:
        raise RuntimeError("fts broke")

    monkeypatch.setattr(Store, "_write_fts", boom)
    newer = record_a("0.2")
    newer.facts = newer.facts[:1]
    newer.article.title = "Досрочный визит в Шымкент"  # a new title: FTS is rewritten
    with pytest.raises(RuntimeError):
        store.save(newer)
    monkeypatch.undo()
    after = store.get_record(record_a().article.id)
    assert after is not None and before is not None
    assert after.to_dict() == before.to_dict()
    assert len(store.facts()) == 4
    assert [a["id"] for a in store.search("логистического")["articles"]] == [after.article.id]
    assert store.search("досрочный")["articles"] == []
    # without the failure the new title is searchable and the old one is gone
    assert store.save(newer)
    assert [a["title"] for a in store.search("досрочный")["articles"]] == [newer.article.title]


def test_reextraction_leaves_the_index_alone_when_text_is_unchanged(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(record_a("0.1"))
    calls: list[object] = []
    monkeypatch.setattr(Store, "_write_fts", lambda self, *a, **k: calls.append(a))
    assert store.save(record_a("0.2"))
    assert calls == []
    monkeypatch.undo()
    assert [a["source"] for a in store.search("Шымкенте")["articles"]] == ["kapital.kz"]


@pytest.mark.parametrize(
    "breaker, message",
    [
        (lambda r: setattr(r.entities[0], "mentions", [(5, 10_000)]), "outside text"),
        (lambda r: setattr(r.facts[1], "evidence", [(-1, 4)]), "outside text"),
        (lambda r: r.facts.append(Fact(type="plan", args={"x": {1, 2}})), "not JSON"),
        (lambda r: setattr(r.entities[1], "id", "E1"), "repeated"),
        (lambda r: setattr(r.article, "title", "a\x00b"), "NUL"),
        (lambda r: setattr(r.article, "id", ""), "no id"),
        (lambda r: setattr(r.article, "source", "x" * 300), "articles.source longer than 255"),
        (lambda r: setattr(r.entities[0], "type", "t" * 40), "entities.type longer than 32"),
        (lambda r: setattr(r.entities[2], "name", "Мурат\x00"), r"entities\.\w+ contains NUL"),
        (lambda r: setattr(r, "extractor_version", "v" * 80), "longer than 64"),
        (lambda r: r.facts[0].args.update(object="центр\ud800"), "not valid Unicode"),
        (lambda r: setattr(r.article, "text", "а" * 500_001), "over the 500000"),
    ],
)
def test_bad_records_are_refused_cleanly(store: Store, breaker, message: str) -> None:
    rec = record_a()
    breaker(rec)
    with pytest.raises(StoreError, match=message):
        store.save(rec)
    assert store.stats()["articles"] == 0


def test_overlong_band_key_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="lsh_keys.key"):
        store.save(record_a(), fingerprint=["b0:" + "f" * 200])
    assert not store.has_article(record_a().article.id)


# -------------------------------------------------------------------- batch


def test_batch_groups_commits_but_keeps_saves_whole(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(db_url)
    other = Store.open(db_url)  # another process's view: sees commits only
    a, b, c = record_a(), record_b(), record_c()
    real_write_facts = Store._write_facts

    def fail_for_b(self: Store, conn: object, rows: object) -> None:
        if rows.facts and rows.facts[0]["article_id"] == b.article.id:  # type: ignore[attr-defined]
            raise RuntimeError("extractor output broke the insert")
        real_write_facts(self, conn, rows)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "_write_facts", fail_for_b)
    try:
        with store.batch(size=2):
            assert store.save(a)
            assert store.has_article(a.article.id)  # the batch reads its own writes
            assert not other.has_article(a.article.id)  # not committed yet
            with pytest.raises(RuntimeError):
                store.save(b)  # only b's savepoint is rolled back
            assert not store.has_article(b.article.id)
            assert store.save(a) is False  # second save (a no-op): commit
            assert other.has_article(a.article.id)
            assert store.save(c)
            assert not other.has_article(c.article.id)
            assert store.search("Шойбековым")["articles"]
        assert other.stats()["articles"] == 2
        assert other.stats()["facts"] == 7
    finally:
        store.close()
        other.close()


def test_batch_commits_completed_saves_when_the_block_raises(db_url: str) -> None:
    with Store.open(db_url) as store:
        with pytest.raises(KeyboardInterrupt), store.batch(size=100):
            store.save(record_a())
            store.save(record_c())
            raise KeyboardInterrupt
        assert store.stats()["articles"] == 2
        # and the store works normally afterwards
        assert store.save(record_b())
        assert store.stats()["articles"] == 3


def test_delete_article(filled: Store) -> None:
    a = record_a()
    dup = record_b()
    dup.article.id = "d" * 16
    filled.save(dup, fingerprint=["b7:dd"], duplicate_of=a.article.id)
    filled.save(record_a("0.2"), fingerprint=["b7:aa"])  # re-extracted, keys kept
    assert filled.delete_article(a.article.id)
    assert filled.delete_article(a.article.id) is False
    assert filled.get_record(a.article.id) is None
    assert filled.search("логистического")["articles"] == []
    assert filled.near_duplicate_candidates(["b7:aa"]) == []
    assert all(f["article_id"] != a.article.id for f in filled.facts(include_duplicates=True))
    assert filled.get_entity("person:мурат айтенов")["article_count"] == 2  # B and its copy
    assert filled.get_article_meta(dup.article.id)["duplicate_of"] is None
    assert filled.stats()["articles"] == 3
    with filled.engine.connect() as conn:  # no cascade for the text runs (migration 0011)
        runs = "SELECT article_id FROM text_runs"
        left = {r[0] for r in conn.execute(sa.text(runs))}
        sets = {r[0] for r in conn.execute(sa.text("SELECT article_id FROM text_run_sets"))}
    assert a.article.id not in left and dup.article.id in left
    assert sets == left  # an article has its list of runs exactly when it has runs
