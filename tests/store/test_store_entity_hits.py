"""`Store.search`'s entity section from the per-key summaries (issue 13, sixth
session of 2026-12-07): the same entities as grouping every matching row (the
former query, kept here as the reference), each counted over all its articles."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from newsfacts.store import Store, fts
from newsfacts.store.hydrate import _display_names
from newsfacts.store.keys import fold
from newsfacts.store.schema import entities, entity_keys

QUERIES = [
    "айт", "Айтенов", "Айтеновым", "мурат айтенов", "итал", "Италия", "IT", "kz", "KZ",
    "Досаев", "Досаевым", "ерболат", "Алматы", "Шымкент", "а", "ов", "!!!", "«", "zz",
    "Казахстан", "республика", "центр", "банк", "посол",
]  # fmt: skip


def _row_scan(store: Store, query: str) -> set[str]:
    """The keys the former query found: a row whose folded name (or hidden full
    name) holds every stem, or whose country code the query is."""
    stems = [fts.stem(w) for w in fts.words(query)]
    needle = fold(query)
    parts = stems or ([needle] if needle else [])
    if not parts:
        return set()
    e = entities
    match = sa.or_(
        sa.and_(*(e.c.name_norm.like(fts.like_pattern(p), escape="\\") for p in parts)),
        sa.and_(*(e.c.search_norm.like(fts.like_pattern(p), escape="\\") for p in parts)),
    )
    code = query.strip().upper()
    if len(code) == 2 and code.isalpha():
        match = sa.or_(match, e.c.code == code)
    with store.engine.connect() as conn:
        return set(conn.execute(sa.select(e.c.entity_key).where(match).distinct()).scalars())


@pytest.mark.parametrize("query", QUERIES)
def test_the_summaries_find_the_keys_the_rows_did(filled: Store, query: str) -> None:
    hits = filled.search(query, limit=100)["entities"]
    assert {h["entity_key"] for h in hits} == _row_scan(filled, query)
    with filled.engine.connect() as conn:
        rows = conn.execute(sa.select(entity_keys.c.entity_key, entity_keys.c.n_articles))
        counts = {r[0]: r[1] for r in rows}
    for hit in hits:
        assert hit["articles"] == counts[hit["entity_key"]]  # every article of the entity
        assert hit["type"] == hit["entity_key"].split(":")[0]
    first = (
        [not fold(h["name"]).startswith(fts.stem(fts.words(query)[0])) for h in hits]
        if (fts.words(query))
        else []
    )
    assert first == sorted(first)  # names starting with the query first


def test_a_hit_is_named_and_counted_as_its_page(filled: Store) -> None:
    hits = filled.search("а", limit=100)["entities"]
    with filled.engine.connect() as conn:  # the most used name, as pages show it
        names = _display_names(conn, [h["entity_key"] for h in hits])
    assert {h["entity_key"]: h["name"] for h in hits} == names
    (hit,) = filled.search("Айтенов")["entities"]
    assert hit["name"] == "Мурат Айтенов"
    italy = filled.search("итал")["entities"]
    assert [(h["entity_key"], h["articles"]) for h in italy] == [("location:IT", 3)]
    assert filled.search("it", limit=1)["entities"][0]["entity_key"] == "location:IT"


def test_limit_keeps_the_most_mentioned(filled: Store) -> None:
    every = filled.search("а", limit=100)["entities"]
    assert len(every) > 3
    top = filled.search("а", limit=2)["entities"]
    assert len(top) == 2 and all(h in every for h in top)
