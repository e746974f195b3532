"""The store's public API, run on every configured backend (see conftest.py)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from store_samples import TEXT_A, record_a, record_b, record_c

from newsfacts.model import Fact
from newsfacts.store import Store, StoreError
from newsfacts.store import aggregates as store_module
from newsfacts.store.schema import metadata

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

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_name": include_name})
        diffs = compare_metadata(ctx, metadata)
    assert diffs == []


# ------------------------------------------------------------------ reading


def test_list_articles_filters_and_pagination(filled: Store) -> None:
    all_ids = [a["id"] for a in filled.list_articles()]
    assert len(all_ids) == 3
    dates = [a["published"] for a in filled.list_articles()]
    assert dates == sorted(dates, reverse=True)
    assert [a["source"] for a in filled.list_articles(source="inform.kz")] == ["inform.kz"]
    in_2022 = filled.list_articles(date_from="2022", date_to="2022-12")
    assert [a["published"] for a in in_2022] == ["2022-04-28"]
    assert len(filled.list_articles(date_to="2022-04-28")) == 2
    with_person = filled.list_articles(entity_key="person:мурат айтенов")
    assert {a["source"] for a in with_person} == {"kapital.kz", "inform.kz"}
    with_launch = filled.list_articles(fact_type="launch")
    assert [a["source"] for a in with_launch] == ["zakon.kz"]
    assert with_launch[0]["facts"] == 3
    pages = [filled.list_articles(limit=2, offset=o) for o in (0, 2, 4)]
    assert [len(p) for p in pages] == [2, 1, 0]
    assert [a["id"] for p in pages for a in p] == all_ids
    assert "text" not in pages[0][0]
    with pytest.raises(StoreError, match="not an ISO date"):
        filled.list_articles(date_from="вчера")
    with pytest.raises(StoreError, match="not an ISO date"):
        filled.list_articles(date_to="2022/04")


def test_facts_filters(filled: Store) -> None:
    meetings = filled.facts(type="meeting")
    assert len(meetings) == 3
    first = meetings[0]
    assert first["article"]["url"].startswith("https://inform.kz/")
    # The stored policy is the effective one: inform.kz's registry entry (issue 12).
    assert first["article"]["policy"]["max_share"] == 0.2
    assert first["article"]["policy"]["origin"] == "registry"
    assert first["args_named"]["participants"] == ["Мурат Айтенов", "Eni"]
    assert first["entities"]["E1"]["entity_key"] == "person:мурат айтенов"
    assert first["evidence"] and first["article_id"] == record_b().article.id

    italy = filled.facts(country="IT")
    assert {f["type"] for f in italy} == {"intent", "quantity", "occupation"}
    # a city counts for its country
    kz = filled.facts(country="kz")
    assert {f["type"] for f in kz} == {"intent", "occupation", "meeting", "quantity"}
    person = filled.facts(entity_key="person:марко альберти")
    assert sorted(f["type"] for f in person) == ["meeting", "meeting", "occupation"]
    # period: the fact's own period when it has one, else the article's date
    in_2021 = filled.facts(period_from="2021", period_to="2021")
    assert sorted(f["type"] for f in in_2021) == ["launch", "meeting", "occupation", "quantity"]
    assert filled.facts(type="launch", period_from="2021-10") == []
    page1 = filled.facts(limit=4)
    page2 = filled.facts(limit=4, offset=4)
    ids = [f["id"] for f in page1 + page2]
    assert len(ids) == len(set(ids)) == 8
    with pytest.raises(StoreError):
        filled.facts(period_from="last spring")


def test_get_entity(filled: Store) -> None:
    assert filled.get_entity("person:никто") is None
    ent = filled.get_entity("person:мурат айтенов")
    assert ent is not None
    assert ent["name"] == "Мурат Айтенов" and ent["type"] == "person"
    assert "аким Шымкента" in ent["aliases"]
    assert [a["source"] for a in ent["articles"]] == ["inform.kz", "kapital.kz"]
    assert ent["article_count"] == 2 and ent["fact_count"] == 4
    assert {f["type"] for f in ent["facts"]} == {"meeting", "occupation"}
    roles = {f["type"]: f["roles"] for f in ent["facts"]}
    assert roles["occupation"] == ["person"]
    positions = ent["positions"]
    assert [p["published"] for p in positions] == ["2022-04-28", "2023-02-10"]
    assert {p["position"] for p in positions} == {"аким"}
    assert positions[0]["where"] == "Шымкент" and positions[0]["where_key"] == "location:шымкент"
    assert positions[0]["url"].startswith("https://kapital.kz/")
    city = filled.get_entity("location:шымкент")
    assert city is not None and city["positions"] == []  # a place holds no post
    italy = filled.get_entity("location:IT", fact_limit=2, article_limit=1)
    assert italy["name"] == "Италия" and italy["code"] == "IT"
    assert italy["article_count"] == 3 and len(italy["articles"]) == 1
    assert italy["fact_count"] == 4 and len(italy["facts"]) == 2
    assert italy["articles"][0]["published"] == "2023-02-10"  # newest first


def test_quantity_series(filled: Store) -> None:
    series = filled.quantity_series(indicator="товарооборот")
    assert [(s["period"], s["value"], s["qualifier"]) for s in series] == [
        ("2021", 13500000, "eq"),
        ("2022", 15000000, "le"),
    ]
    assert series[0]["subjects"] == ["Казахстан", "Италия"]
    assert series[0]["subject_keys"] == ["location:KZ", "location:IT"]
    assert series[0]["article"]["source"] == "kapital.kz"
    both = filled.quantity_series(subjects=["location:KZ", "location:IT"])
    assert len(both) == 2
    assert filled.quantity_series(subjects=["location:KZ", "person:мурат айтенов"]) == []
    assert filled.quantity_series(indicator="товар") == []  # indicator is matched whole


def test_meeting_edges(filled: Store) -> None:
    edges = filled.meeting_edges()
    pairs = {(e["source_name"], e["target_name"]): e["count"] for e in edges}
    assert pairs == {
        ("Марко Альберти", "Мурат Айтенов"): 1,
        ("Eni", "Мурат Айтенов"): 1,
        ("Даркембай Шойбеков", "Марко Альберти"): 1,
    }
    recent = filled.meeting_edges(period_from="2022-01-01")
    assert len(recent) == 2
    assert filled.meeting_edges(period_from="2024") == []


def test_meeting_edges_count_repeat_meetings(store: Store) -> None:
    store.save(record_a())
    rec = record_a()
    rec.article.text += " "  # another article (new id) with the same meeting
    rec.article.id = "f" * 16
    store.save(rec)
    (edge,) = store.meeting_edges()
    assert edge["count"] == 2 and len(edge["articles"]) == 2


# ------------------------------------------------------------------- search


def test_search_articles_is_morphology_agnostic(filled: Store) -> None:
    for query in ("Айтеновым", "айтенов", "ШЫМКЕНТ", "Шымкентом логистическим", "товарооборота"):
        hits = filled.search(query)["articles"]
        assert hits, query
    hits = filled.search("Шымкентом логистический")["articles"]
    assert [h["source"] for h in hits] == ["kapital.kz"]
    assert filled.search("Eni")["articles"][0]["source"] == "inform.kz"
    assert filled.search("Антарктида")["articles"] == []


def test_search_snippet_respects_policy(filled: Store) -> None:
    (hit,) = filled.search("логистического")["articles"]
    assert hit["title"].startswith("Италия")
    assert 0 < len(hit["snippet"]) <= int(0.3 * len(TEXT_A))
    assert hit["url"].startswith("https://kapital.kz/")


@pytest.mark.parametrize(
    "query",
    [
        "AND (",
        '"',
        '"Шымкент',
        "NEAR(a b",
        "*",
        "OR",
        "title:Италия",
        "'; DROP TABLE articles; --",
        "",
        "   ",
        "🙂",
        "a & | ! :*",
        "%_\\",
        "x" * 5000,
    ],
)
def test_search_survives_nasty_queries(filled: Store, query: str) -> None:
    found = filled.search(query)
    assert set(found) == {"articles", "entities", "facts"}
    assert filled.stats()["articles"] == 3


def test_search_keeps_words_of_nasty_queries(filled: Store) -> None:
    assert filled.search("Шымкент AND (")["articles"]
    assert filled.search('"Италия"')["articles"]


def test_search_entities_and_facts(filled: Store) -> None:
    ents = filled.search("айт")["entities"]
    assert ents[0]["entity_key"] == "person:мурат айтенов"
    assert ents[0]["name"] == "Мурат Айтенов" and ents[0]["articles"] == 2
    italy = filled.search("итал")["entities"]
    assert [e["entity_key"] for e in italy] == ["location:IT"]
    assert italy[0]["articles"] == 3
    fact_hits = filled.search("Товарооборот")["facts"]
    assert {f["type"] for f in fact_hits} == {"quantity"} and len(fact_hits) == 2
    by_type = filled.search("launch")["facts"]
    assert [f["type"] for f in by_type] == ["launch"]
    # entity names resolved into the searchable fact text
    assert any(f["type"] == "meeting" for f in filled.search("Альберти")["facts"])
    assert filled.search("100%")["facts"] == []


def test_search_entities_and_facts_by_inflected_words(filled: Store) -> None:
    # names are stored in the nominative; users paste them as they read them
    ents = filled.search("Муратом Айтеновым")["entities"]
    assert [e["entity_key"] for e in ents] == ["person:мурат айтенов"]
    assert filled.search("Шойбековым")["entities"][0]["name"] == "Даркембай Шойбеков"
    assert [e["entity_key"] for e in filled.search("it")["entities"]] == ["location:IT"]
    assert filled.search("Айтеновым Eni")["entities"] == []  # every word must match
    quantities = filled.search("товарооборота")["facts"]
    assert {f["type"] for f in quantities} == {"quantity"}
    assert filled.search("«»")["entities"] == []


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
    assert a.article.id not in left and dup.article.id in left
