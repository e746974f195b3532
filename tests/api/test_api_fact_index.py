"""The narrow fact index (issue 13): its rows equal what whole records say, after
every kind of write, and the entity pages and dossiers built from it equal the
former full-record views (tests/api/full_record_views.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from api_stores import store_location
from full_record_views import dossier_view as old_dossier
from full_record_views import entity_view as old_entity
from webapi_fixtures import all_records, almaty_record, bishkek_record

from newsfacts import kb
from newsfacts.api import entity_views
from newsfacts.model import Entity, Fact
from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.store import verdicts as V
from newsfacts.store.keys import entity_key
from newsfacts.store.rows import _entity_roles
from newsfacts.store.schema import articles, entities, fact_index

Row = tuple[str, str, int, str, str | None, str]


def _expected(store: Store) -> Counter[Row]:
    """The index as whole records define it: entities named in an argument (with
    the argument), and entities with a mention inside the evidence (role None)."""
    with store._read() as conn:
        ids = list(conn.execute(sa.select(articles.c.id)).scalars())
    out: Counter[Row] = Counter()
    for aid, record in store.get_records(ids).items():
        keys = {e.id: entity_key(e) for e in record.entities}
        for seq, fact in enumerate(record.facts):
            for role, locals_ in _entity_roles(fact.args).items():
                for local in set(locals_) & set(keys):
                    out[(keys[local], aid, seq, local, role, fact.type)] += 1
            for e in record.entities:
                inside = any(
                    s <= ms and me <= end for ms, me in e.mentions for s, end in fact.evidence
                )
                if inside:
                    out[(keys[e.id], aid, seq, e.id, None, fact.type)] += 1
    return out


def _stored(store: Store) -> Counter[Row]:
    fi = fact_index
    cols = (fi.c.entity_key, fi.c.article_id, fi.c.seq, fi.c.local_id, fi.c.role, fi.c.fact_type)
    with store._read() as conn:
        return Counter(tuple(r) for r in conn.execute(sa.select(*cols)))  # type: ignore[misc]


def _assert_index_exact(store: Store) -> None:
    expected = _expected(store)
    assert expected, "the fixture's facts name entities"
    assert _stored(store) == expected


GROUPS = ("positions", "meetings", "statements", "figures", "other_facts")


def _assert_lazy_equal(eager: dict[str, Any] | None, key: str, state: Any) -> None:
    """The page's lazy view (issue 13) reads as the eager one: each group's cards,
    the chronology in the page's order, and the occupation reports «Должности» reads."""
    lazy = entity_views.entity_view(
        key, state.queries, state.store.fact_slices, state.budget(), lazy=True
    )
    if eager is None:
        assert lazy is None
        return
    assert lazy is not None
    for group in GROUPS:
        assert len(lazy[group]) == len(eager[group])
    # The chronology first, as the page reads it (a slice), then every group.
    everything = [f for g in GROUPS for f in eager[g]]
    order = sorted(everything, key=lambda f: (f["time"] or "9999", f["article_id"], f["seq"]))
    assert lazy["timeline"][1:3] == order[1:3]
    assert list(lazy["timeline"]) == order
    for group in GROUPS:
        assert list(lazy[group]) == eager[group], (key, group)
    keep = ("article_id", "seq", "type", "args", "confidence", "time")
    assert lazy["post_reports"] == [{k: f[k] for k in keep} for f in eager["positions"]]
    assert {k: v for k, v in lazy.items() if k not in (*GROUPS, "timeline", "post_reports")} == {
        k: v for k, v in eager.items() if k not in GROUPS
    }


def _assert_views_equal(store: Store) -> int:
    """Every entity page and every place dossier equals the full-record view."""
    state = create_app(store).state.newsfacts
    with store._read() as conn:
        keys = sorted(set(conn.execute(sa.select(entities.c.entity_key)).scalars()))
    compared = 0
    for key in keys:
        new = entity_views.entity_view(key, state.queries, store.fact_slices, state.budget())
        old = old_entity(key, state.queries, state.record, state.budget(), load_many=state.records)
        assert new == old, key
        _assert_lazy_equal(new, key, state)
        new = entity_views.dossier_view(key, state.queries, store.fact_slices, state.budget())
        old = old_dossier(key, state.queries, state.record, state.budget(), load_many=state.records)
        assert new == old, key
        compared += new is not None
    return compared


def test_views_from_the_index_equal_the_full_record_views(store: Store) -> None:
    _assert_index_exact(store)
    assert _assert_views_equal(store) >= 3  # several places have a dossier


def test_index_stays_exact_through_bulk_saves_re_ingest_demotion_and_deletion(
    tmp_path: Path,
) -> None:
    from newsfacts.store.bulk import BulkItem

    store = Store.open(store_location(tmp_path / "idx.db"))
    try:
        assert store.save_many([BulkItem(r) for r in all_records()]) == [True] * 3
        _assert_index_exact(store)
        before = _stored(store)
        assert store.save(almaty_record()) is False  # idempotent: nothing doubled
        assert store.save_many([BulkItem(bishkek_record())]) == [False]
        assert _stored(store) == before

        # Re-extracted by a newer version: one fact fewer, a new place in the evidence.
        old = almaty_record()
        text = old.article.text
        start = text.index("Миланом")
        milan = Entity("E99", "location", "Милан", [(start, start + 7)], subtype="city")
        again = replace(
            old,
            entities=[*old.entities, milan],
            facts=[*old.facts[1:], Fact("meeting", {"participants": ["E99"]}, [(0, len(text))])],
            extractor_version="test-2",
        )
        assert store.save(again) is True
        _assert_index_exact(store)
        assert any(row[0] == "location:милан" for row in _stored(store))
        _assert_views_equal(store)

        store.demote_duplicate(bishkek_record().article.id, again.article.id)
        _assert_index_exact(store)
        assert store.delete_article(again.article.id)
        _assert_index_exact(store)
        assert not any(row[1] == again.article.id for row in _stored(store))
    finally:
        store.close()


def test_views_stay_equal_after_curation_verdicts_and_kb_merges(fresh_store: Store) -> None:
    store = fresh_store
    aid = almaty_record().article.id
    with store._write() as conn:
        V.add_fact_verdict(conn, aid, 0, "wrong")
        V.add_fact_verdict(conn, aid, 1, "fix", field="position", value="аким города")
    kb.sync(store)
    with store._read() as conn:
        ids = list(conn.execute(sa.text("SELECT id FROM kb_entities ORDER BY id")).scalars())
    assert len(ids) >= 2
    kb.merge(store, ids[0], ids[1])  # the pages' canonical blocks change, their facts not
    _assert_index_exact(store)
    assert _assert_views_equal(store) >= 3


def test_slices_resolve_every_entity_id_their_facts_hold(tmp_path: Path) -> None:
    """A slice reads only the entities its facts can show (issue 13): the page's
    own and each whose id is a string of a slice fact's args. An id nested where
    `fact_entities` does not index it (a list inside a list, a dict inside a list)
    must still resolve to its entity, as in the whole record; an entity no slice
    fact holds is not read. (Such nested ids are not in the index itself, so the
    pages of Марко Альберти and Милан do not list this fact, from whole records or
    slices alike: only his page is compared here.)"""
    old = almaty_record()
    extra = {"with": [["E4"]], "note": [{"who": "E6"}], "topic": "центр дизайна"}
    fact = Fact("meeting", {"participants": ["E3"], **extra}, old.facts[0].evidence)
    record = replace(old, facts=[*old.facts, fact])
    store = Store.open(store_location(tmp_path / "nested.db"))
    try:
        store.save(record)
        key = entity_key(record.entities[2])  # Ерболат Досаев
        state = create_app(store).state.newsfacts
        view = entity_views.entity_view(key, state.queries, store.fact_slices, state.budget())
        old = old_entity(key, state.queries, state.record, state.budget(), load_many=state.records)
        assert view is not None and view == old
        aid = record.article.id
        part = store.fact_slices(key, [aid], mentioned=False)[aid]
        held = {e.id for e in part.record.entities}
        assert {"E3", "E4", "E6"} <= held  # his own, and both nested ids
        assert "E5" not in held  # Казахстан: named by no fact of his
        met = next(f for f in view["meetings"] if "with" in f["args"])
        assert met["args"]["with"][0][0]["key"] == entity_key(record.entities[3])
        assert met["args"]["note"][0]["who"]["name"] == "Милан"
    finally:
        store.close()


def test_bare_articles_carry_the_same_quotable_sets_as_whole_records(tmp_path: Path) -> None:
    """`get_articles` (what QuoteBudget loads to check neighbours) gives the article
    and set `get_records` gives, also for an article stored before the sets."""
    store = Store.open(store_location(tmp_path / "bare.db"))
    try:
        for record in all_records():
            store.save(record)
        ids = [r.article.id for r in all_records()]
        with store._write() as conn:
            conn.execute(sa.text("DELETE FROM quotable WHERE article_id = :a"), {"a": ids[0]})
        bare = store.get_articles([*ids, "missing"])
        whole = store.get_records(ids)
        assert sorted(bare) == sorted(ids)
        for aid in ids:
            assert bare[aid] == whole[aid].article
            assert bare[aid].quotable is not None
            assert bare[aid].quotable == whole[aid].article.quotable
    finally:
        store.close()


def test_entity_names_and_fact_trigrams_give_what_the_scans_gave(tmp_path: Path) -> None:
    """Entity search through `entity_names` and fact text search through the trigram
    index return exactly what a LIKE over every row returns, also after a deletion
    (a name left behind matches no row), for queries too short for trigrams and for
    queries holding a NUL, which an FTS5 phrase cannot hold."""
    from newsfacts.api.entity_search import like
    from newsfacts.api.queries import Queries
    from newsfacts.store import trigram
    from newsfacts.store.keys import fold
    from newsfacts.store.schema import facts

    store = Store.open(store_location(tmp_path / "search.db"))
    try:
        for record in all_records():
            store.save(record)
        store.delete_article(bishkek_record().article.id)
        queries = Queries(store.engine)
        with store._read() as conn:
            assert trigram.has_index(conn) == (store.dialect == "sqlite")
        queries_typed = [
            "итал",
            "Италия",
            "ка",
            "бишкек",
            "джунушалиев",
            "товарооборот",
            'а"б',
            "%",
        ]
        # A NUL cannot stand in an FTS5 string: such a query must fall back to the scan.
        for text in [*queries_typed, "00\x00", "ита\x00л"]:
            e = entities
            # A hit counts every article of its key (tests/api/test_entity_search.py).
            matched = sa.select(e.c.entity_key).where(
                e.c.name_norm.like(like(fold(text)), escape="\\")
            )
            scan = (
                sa.select(e.c.entity_key, sa.func.count(sa.distinct(e.c.article_id)))
                .where(e.c.entity_key.in_(matched))
                .group_by(e.c.entity_key)
            )
            fact_scan = sa.select(facts.c.article_id, facts.c.seq).where(
                facts.c.args_text.like(like(fold(text)), escape="\\")
            )
            with store._read() as conn:
                expected = {k: n for k, n in conn.execute(scan)}
                expected_facts = {(a, int(s)) for a, s in conn.execute(fact_scan)}
            found = queries.search_entities(text, limit=100)
            assert {h["key"]: h["article_count"] for h in found} == expected, text
            assert queries.count_entities(text) == len(expected)
            page = queries.facts(text=text, limit=100)
            assert set(page.items) == expected_facts and page.total == len(expected_facts), text
        assert queries.search_entities("джунушалиев") == []  # its only article is gone
        assert queries.facts(text="итал", limit=100).items, "the fixture has Italian facts"
    finally:
        store.close()
