"""SQLite full-text rows: one per article, and no full-index scan to insert a new one.

Deleting from FTS5 by the UNINDEXED `article_id` column reads every stored text,
so a save that always deleted first made bulk loads quadratic; only a
re-extraction may pay for that delete.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_samples import record_a, record_b

from newsfacts.store import Store


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "fts.db")) as store:
        yield store


def _fts_deletes(store: Store) -> list[str]:
    seen: list[str] = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def spy(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("DELETE FROM ARTICLES_FTS"):
            seen.append(statement)

    return seen


def _fts_rows(store: Store, article_id: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(
            sa.text("SELECT count(*) FROM articles_fts WHERE article_id = :id"), {"id": article_id}
        ).scalar_one()


def test_new_article_is_indexed_without_deleting(sqlite_store: Store) -> None:
    deletes = _fts_deletes(sqlite_store)
    record = record_a()
    assert sqlite_store.save(record)
    assert sqlite_store.save(record_b())
    assert deletes == []
    assert _fts_rows(sqlite_store, record.article.id) == 1
    hits = sqlite_store.search("логистического", limit=10)["articles"]
    assert [h["id"] for h in hits] == [record.article.id]


def test_reextraction_replaces_the_fts_row(sqlite_store: Store) -> None:
    deletes = _fts_deletes(sqlite_store)
    old, new = record_a("0.1"), record_a("0.2")
    assert sqlite_store.save(old)
    assert sqlite_store.save(new)
    assert deletes == []  # same title and text: the indexed row is still right
    newer = record_a("0.3")
    newer.article.title = "Досрочный визит в Шымкент"
    assert sqlite_store.save(newer)
    assert len(deletes) == 1
    assert _fts_rows(sqlite_store, new.article.id) == 1
    hits = sqlite_store.search("Айтенов", limit=10)["articles"]
    assert [h["id"] for h in hits] == [new.article.id]
    assert [h["title"] for h in sqlite_store.search("Досрочный")["articles"]] == [
        newer.article.title
    ]


def test_unchanged_save_touches_nothing(sqlite_store: Store) -> None:
    deletes = _fts_deletes(sqlite_store)
    assert sqlite_store.save(record_a())
    assert not sqlite_store.save(record_a())
    assert deletes == []
    assert _fts_rows(sqlite_store, record_a().article.id) == 1
