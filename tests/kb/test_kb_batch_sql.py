"""Set-based linking per `sync` batch (kb/batchsync.py, issue 13): few reads per
article, context counts written once per batch as increments, cheaper lemma stems,
and PostgreSQL's many-row statements — each giving the rows the old way gave."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kb_corpus_helpers import BACKENDS, gold_record, needs_pg, open_empty, save_corpus

from newsfacts import kb
from newsfacts.kb import raw as raw_module
from newsfacts.kb.events import STEM, _lemma_stem
from newsfacts.kb.kbview import KBView
from newsfacts.kb.tables import kb_entities, kb_features
from newsfacts.nlp.morph import morph
from newsfacts.store import Store


def test_a_batch_reads_a_few_statements_per_article_not_a_dozen(
    tmp_path: Path, corpus: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each read waits for its answer (a round trip on PostgreSQL, under the `kb`
    lock): linking read about 12 statements per article before the batch's reads
    were set-based; writes are counted apart (they travel pipelined)."""
    counts: Counter[str] = Counter()
    for name in ("all", "run", "many"):
        original = getattr(raw_module.Raw, name)

        def counted(self: Any, *args: Any, _o: Any = original, _n: str = name, **kw: Any) -> Any:
            counts[_n] += 1
            return _o(self, *args, **kw)

        monkeypatch.setattr(raw_module.Raw, name, counted)
    store = Store.open(str(tmp_path / "count.db"))
    try:
        save_corpus(store, [gold_record(item) for item in corpus])
        report = kb.sync(store, batch=len(corpus))
    finally:
        store.close()
    assert report.linked == len(corpus) >= 20
    assert counts["all"] / report.linked < 6, counts
    assert (counts["all"] + counts["many"] + counts["run"]) / report.linked < 16, counts


@pytest.mark.parametrize(
    "word",
    ["стали", "мыла", "рейсов", "запуска", "прямого", "печи", "косой", "ели", "уже", "поставок"],
)
def test_lemma_stem_is_the_stem_of_the_most_probable_parse(word: str) -> None:
    """The probability ranking is skipped only where every reading has one stem."""
    parses = morph().parse(word)
    assert _lemma_stem(word) == (parses[0].normal_form if parses else word)[:STEM]


def _features(store: Store) -> dict[tuple[str, str], int]:
    with store.engine.connect() as conn:
        return {(r.kb_id, r.feature): r.n for r in conn.execute(sa.select(kb_features))}


@pytest.mark.parametrize("backend", BACKENDS)
def test_deferred_context_counts_end_as_changes_applied_one_by_one(
    backend: str, tmp_path: Path
) -> None:
    """A stored count gets the sum of the batch's changes; a missing one appears at
    its first positive change; one only ever lowered never appears; one that falls
    to zero stays. Reads inside the batch see the changes before they are written."""
    store = open_empty(backend, tmp_path)
    try:
        with store._write() as conn:
            for kb_id in ("A", "B"):
                conn.execute(
                    kb_entities.insert().values(
                        id=kb_id, type="person", name=kb_id, curated=0, created_at="t"
                    )
                )
            conn.execute(kb_features.insert().values(kb_id="A", feature="with:x", n=2))
            conn.execute(kb_features.insert().values(kb_id="A", feature="with:z", n=1))
        with store._write() as conn:
            view = KBView(conn, defer_features=True)
            view.bump_features("A", ["with:x", "with:y"], +1)
            view.bump_features("B", ["with:x"], -1)
            view.bump_features("B", ["with:y"], -1)
            view.bump_features("A", ["with:y", "with:z"], -1)
            view.bump_features("B", ["with:x"], +1)
            view.bump_features("A", ["with:x"], +2)
            view.flush()  # links and the rest; the counts wait for the batch's end
            assert _features(store) == {("A", "with:x"): 2, ("A", "with:z"): 1}
            seen = view.has_features(["A", "B"], {"with:x", "with:y", "with:z"})
            assert seen == {"A": {"with:x"}, "B": {"with:x"}}
            view.flush(features=True)
        assert _features(store) == {
            ("A", "with:x"): 5,
            ("A", "with:y"): 0,
            ("A", "with:z"): 0,
            ("B", "with:x"): 1,
        }
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_counts_of_an_entity_founded_in_the_batch_are_inserted_not_incremented(
    backend: str, tmp_path: Path
) -> None:
    """An entity the view founds has no stored counts: its pairs are inserted with
    no increment statement for them; once inserted, a later flush of the same view
    increments them like any stored row."""
    store = open_empty(backend, tmp_path)
    try:
        with store._write() as conn:
            view = KBView(conn)
            increments: list[tuple[Any, ...]] = []
            many = view.raw.many

            def spy(text: str, rows: Any, **kw: Any) -> None:
                rows = [tuple(r) for r in rows]
                if text.startswith("UPDATE kb_features"):
                    increments.extend(r[1:] for r in rows)
                many(text, rows, **kw)

            view.raw.many = spy  # type: ignore[method-assign]
            row = {"id": "C", "type": "person", "subtype": None, "name": "C", "code": None}
            view.create_entity({**row, "country": None, "curated": 0, "created_at": "t"})
            view.bump_features("C", ["with:x", "with:y"], +1)
            view.bump_features("C", ["with:y"], -1)
            view.flush(features=True)
            assert increments == []
            view.bump_features("C", ["with:x"], +2)
            view.flush(features=True)
            assert increments == [("C", "with:x")]
        assert _features(store) == {("C", "with:x"): 3, ("C", "with:y"): 0}
    finally:
        store.close()


@needs_pg
def test_many_rows_in_one_postgresql_statement_insert_what_executemany_did(
    tmp_path: Path,
) -> None:
    """`Raw.many` sends an insert's rows as arrays through `unnest`: NULLs, a column
    of NULLs only, floats and duplicates skipped by ON CONFLICT come out as before."""
    store = open_empty("postgresql", tmp_path)
    try:
        rows = [
            ("E1", "person", None, "Первый", None, None, 0, "t"),
            ("E2", "location", "city", "Второй", "KZ", "KZ", 1, "t"),
            ("E1", "person", None, "Дубль", None, None, 0, "t"),
        ]
        sql = (
            "INSERT INTO kb_entities (id, type, subtype, name, code, country, curated,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING"
        )
        assert raw_module._unnest_insert(sql) is not None
        with store._write() as conn:
            raw_module.Raw(conn).many(sql, rows)
        with store.engine.connect() as conn:
            got = conn.execute(
                sa.select(
                    kb_entities.c.id,
                    kb_entities.c.subtype,
                    kb_entities.c.name,
                    kb_entities.c.code,
                    kb_entities.c.curated,
                ).order_by(kb_entities.c.id)
            ).all()
        assert [tuple(r) for r in got] == [
            ("E1", None, "Первый", None, 0),
            ("E2", "city", "Второй", "KZ", 1),
        ]
    finally:
        store.close()


@needs_pg
def test_postgresql_batches_over_a_knowledge_base_link_as_sqlite_one_at_a_time(
    tmp_path: Path, corpus: list[dict[str, Any]]
) -> None:
    """Half the corpus linked first, so the next batch updates stored counts, keys
    and events (not only creates them), then re-extracted articles relinked in one
    batch (the path that takes links back): PostgreSQL equals SQLite linking one
    article per transaction, every KB row."""
    from test_kb_batch_linking import _kb_rows

    half = len(corpus) // 2
    single = Store.open(str(tmp_path / "single.db"))
    pg = open_empty("postgresql", tmp_path)
    try:
        for store, batch in ((single, 1), (pg, len(corpus))):
            save_corpus(store, [gold_record(item) for item in corpus[:half]])
            kb.sync(store, batch=batch)
            save_corpus(store, [gold_record(item) for item in corpus])
            kb.sync(store, batch=batch)
            for item in corpus[:: max(1, len(corpus) // 6)]:
                store.save(gold_record(item, version="2"))
            kb.sync(store, batch=batch)
        assert _kb_rows(pg) == _kb_rows(single)
    finally:
        single.close()
        pg.close()


def test_prepared_before_the_lock_links_as_reading_under_it(
    tmp_path: Path, corpus: list[dict[str, Any]]
) -> None:
    """`kb.warm` reads and works out the pending articles before a loader's turn at
    the `kb` lock; what changes meanwhile (another loader links some, an article is
    re-extracted, a fact is marked wrong, more articles arrive) must not reach the
    KB: it ends as a `sync` that read everything under the lock."""
    from test_kb_batch_linking import _kb_rows

    from newsfacts.store import verdicts as V

    cut = 2 * len(corpus) // 3
    stores = [Store.open(str(tmp_path / "warm.db")), Store.open(str(tmp_path / "cold.db"))]
    try:
        for store in stores:
            save_corpus(store, [gold_record(item) for item in corpus[:cut]])
        prepared = kb.warm(stores[0])
        assert len(prepared) == cut and all(d.keyed is not None for d in prepared.values())
        for store in stores:
            kb.sync(store, limit=4)
            for item in corpus[4:7]:  # re-extracted: its first entity renamed
                record = gold_record(item, version="2")
                record.entities[0].name = "Иной " + record.entities[0].name
                store.save(record)
            with store._write() as conn:
                marked = conn.execute(sa.text("SELECT article_id, seq FROM facts")).all()[-3:]
                for aid, seq in marked:
                    V.add_fact_verdict(conn, aid, seq, "wrong")
            save_corpus(store, [gold_record(item) for item in corpus])
        kb.sync(stores[0], prepared=prepared)
        kb.sync(stores[1])
        assert _kb_rows(stores[0]) == _kb_rows(stores[1])
    finally:
        for store in stores:
            store.close()
