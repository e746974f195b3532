"""What a search request costs: found by the latency benchmark (docs/latency.md) on a
20,000-article store, where these were seconds per request."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from newsfacts.api.queries import Queries
from newsfacts.server import create_app
from newsfacts.store import Store

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("NEWSFACTS_API_ON_PG")),
    reason="checks SQLite's FTS5 statements and query plans",
)


def _statements(store: Store) -> list[tuple[str, tuple]]:
    seen: list[tuple[str, tuple]] = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def spy(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        seen.append((statement, tuple(params)))

    return seen


def test_article_search_runs_only_the_full_text_query(store: Store) -> None:
    state = create_app(store).state.newsfacts
    seen = _statements(store)
    ids = state.search_article_ids("Казахстан", 30)
    assert ids, "the fixture store mentions Казахстан"
    assert any("articles_fts" in s for s, _ in seen)
    # the entity and fact sections of Store.search were computed and thrown away,
    # and so were up to 500 snippets
    assert not any("FROM entities" in s or "FROM facts" in s for s, _ in seen)
    assert not any("snippet(" in s for s, _ in seen)


def test_store_search_articles_matches_full_search(store: Store) -> None:
    full = store.search("Казахстан", limit=10)["articles"]
    assert store.search_articles("Казахстан", limit=10) == full
    assert store.search_articles("!!!", limit=10) == []
    bare = store.search_articles("Казахстан", limit=10, snippets=False)
    assert [h["id"] for h in bare] == [h["id"] for h in full]
    assert {h["snippet"] for h in bare} == {""} and any(h["snippet"] for h in full)


def test_entity_search_reads_the_key_summaries_not_the_rows(store: Store) -> None:
    """Counting the articles of every row of the matched names grew with the store
    (80,000 rows for «Россия» at 200k, issue 13); the search reads `entity_keys` and
    `entity_key_names`, and of `entities` only the short-form rows of a matched
    hidden full name and one row per hit shown (LIMIT 1)."""
    queries = Queries(store.engine)
    seen = _statements(store)
    hits = queries.search_entities("казах", limit=10)
    assert hits and all(h["article_count"] >= 1 for h in hits)
    counts = [h["article_count"] for h in hits]
    assert counts == sorted(counts, reverse=True)
    assert not any("count(DISTINCT" in s for s, _ in seen)
    assert any("entity_keys" in s for s, _ in seen)
    for statement, _ in seen:
        if "FROM entities" in statement:
            assert "LIMIT" in statement or "search_norm IN" in statement, statement


def test_entity_and_dossier_views_read_the_fact_index_not_whole_records(store: Store) -> None:
    """Issue 13: the views read narrow rows (no mentions, one read of the articles),
    never `get_records`' five tables per article."""
    from newsfacts.api import entity_views

    state = create_app(store).state.newsfacts
    for view in (entity_views.entity_view, entity_views.dossier_view):
        seen = _statements(store)
        assert view("location:KZ", state.queries, store.fact_slices, state.budget())
        assert any("FROM fact_index" in s for s, _ in seen)
        assert not any("FROM mentions" in s for s, _ in seen)
        article_reads = [s for s, _ in seen if "FROM articles" in s and "articles_fts" not in s]
        assert len(article_reads) == 1, article_reads


def test_fact_page_without_count_has_the_same_items(store: Store) -> None:
    queries = Queries(store.engine)
    counted = queries.facts(text="Казахстан", limit=5)
    assert counted.items and counted.total >= len(counted.items)
    seen = _statements(store)
    bare = queries.facts(text="Казахстан", limit=5, count=False)
    assert bare.items == counted.items and bare.total == -1
    assert not any("count(" in s.lower() for s, _ in seen)
