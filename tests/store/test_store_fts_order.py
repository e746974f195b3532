"""SQLite's FTS rowids follow the publication date (`store.fts_order`), however the
articles arrive: one by one, in a bulk batch, re-extracted with another date, or
renumbered by migration 0016 from an older store's insertion order. The search's
window of "newest matches" is read in that order (`store.fts_rank`)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_samples import make_record

from newsfacts.model import Record
from newsfacts.store import Store, fts_order
from newsfacts.store.bulk import BulkItem

DAYS = ["2023-05-01", "2021-01-31", None, "2023-05-01", "2022-12-31", "2021-01-31", "2024-02-29"]


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "order.db")) as store:
        yield store


def _records(version: str = "0.1") -> list[Record]:
    return [
        make_record(
            f"Сообщение {i}. Товарооборот вырос на {i} процентов за год.",
            title=f"Сообщение {i}",
            source="inform.kz",
            published=day,
            ents=[],
            facts=[],
            version=version,
        )
        for i, day in enumerate(DAYS)
    ]


def _fts_order(store: Store) -> list[str]:
    """Article ids by FTS rowid, highest (newest) first."""
    with store.engine.connect() as conn:
        sql = "SELECT article_id FROM articles_fts ORDER BY rowid DESC"
        return list(conn.exec_driver_sql(sql).scalars())


def _date_order(records: list[Record]) -> list[str]:
    """Newest published first; the same day: the later stored first; no date last."""
    stored = list(enumerate(records))
    dated = sorted(
        (p for p in stored if p[1].article.published),
        key=lambda p: (p[1].article.published, p[0]),
        reverse=True,
    )
    return [r.article.id for _, r in dated] + [
        r.article.id for _, r in stored if not r.article.published
    ]


def test_day_of_reads_iso_prefixes_and_nothing_else() -> None:
    assert fts_order.day_of("2022-06-01") == fts_order.day_of("2022-06")
    assert fts_order.day_of("2022") < fts_order.day_of("2022-01-02")
    assert fts_order.day_of("2022-06-01T10:00:00+05:00") == fts_order.day_of("2022-06-01")
    for bad in (None, "", "вчера", "2022-02-31", "0000-01-01"):
        assert fts_order.day_of(bad) == 0


def test_saved_one_by_one_rowids_follow_the_date(sqlite_store: Store) -> None:
    records = _records()
    for record in records:
        assert sqlite_store.save(record)
    assert _fts_order(sqlite_store) == _date_order(records)


def test_saved_in_a_batch_rowids_follow_the_date(sqlite_store: Store) -> None:
    records = _records()
    sqlite_store.save(records[0])  # a day that already has a row
    assert sqlite_store.save_many([BulkItem(r) for r in records[1:]]) == [True] * 6
    assert _fts_order(sqlite_store) == _date_order(records)


def test_a_new_date_moves_the_row_and_an_unchanged_one_does_not(sqlite_store: Store) -> None:
    records = _records()
    for record in records:
        sqlite_store.save(record)
    moved = _records("0.2")
    moved[6].article.published = "2020-01-01"  # was the newest
    for record in moved:
        assert sqlite_store.save(record)
    assert _fts_order(sqlite_store) == _date_order([*records[:6], moved[6]])
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts").scalar() == len(DAYS)


def test_rekey_renumbers_an_older_store(sqlite_store: Store) -> None:
    """Rows numbered in insertion order (before 0016) come out in date order, with
    the same text indexed: every search finds what it found before."""
    records = _records()
    random.Random(3).shuffle(records)
    for record in records:
        sqlite_store.save(record)
    with sqlite_store.engine.begin() as conn:  # as an older store held them
        rows = conn.exec_driver_sql(
            "SELECT article_id, title, body FROM articles_fts ORDER BY rowid"
        ).all()
        conn.exec_driver_sql("DELETE FROM articles_fts")
        conn.exec_driver_sql(
            "INSERT INTO articles_fts (rowid, article_id, title, body) VALUES (?, ?, ?, ?)",
            [(n + 1, *row) for n, row in enumerate(rows)],
        )
    before = {q: sqlite_store.search_articles(q, limit=50) for q in ("товарооборот", "процент")}
    with sqlite_store.engine.begin() as conn:
        assert fts_order.rekey(conn) == len(DAYS)
    assert _fts_order(sqlite_store) == _date_order(
        sorted(records, key=lambda r: [row[0] for row in rows].index(r.article.id))
    )
    for q, hits in before.items():
        assert sorted(h["id"] for h in sqlite_store.search_articles(q, limit=50)) == sorted(
            h["id"] for h in hits
        )
    with sqlite_store.engine.connect() as conn:
        tables = conn.execute(sa.text("SELECT name FROM sqlite_master")).scalars().all()
    assert "articles_fts" in tables and not any("rekey" in t or "fts_rows" in t for t in tables)


def test_revision_0019_adds_the_prefix_index_and_keeps_every_answer(tmp_path: Path) -> None:
    """A store whose full-text table has no prefix index (revisions 0016-0018) gets
    one on opening: the same rowids, and every search (4-character stems and longer,
    with their bm25 order) answers as before."""
    path = str(tmp_path / "old.db")
    with Store.open(path) as store:
        for record in _records():
            store.save(record)
        with store.engine.begin() as conn:  # the table as revision 0018 left it
            old_ddl = fts_order.DDL.replace(f", prefix = '{fts_order.PREFIX}'", "")
            assert old_ddl != fts_order.DDL
            rows = conn.exec_driver_sql(
                "SELECT rowid, article_id, title, body FROM articles_fts ORDER BY rowid"
            ).all()
            conn.exec_driver_sql("DROP TABLE articles_fts")
            conn.exec_driver_sql(old_ddl)
            conn.exec_driver_sql(
                "INSERT INTO articles_fts (rowid, article_id, title, body) VALUES (?, ?, ?, ?)",
                [tuple(r) for r in rows],
            )
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0018'")
        queries = ("товарооборот", "Товарооборот вырос", "проц", "сообщ", "год")
        before = {q: store.search_articles(q, limit=50) for q in queries}
    with Store.open(path) as store, store.engine.connect() as conn:
        sql = conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE name = 'articles_fts'"
        ).scalar()
        assert f"prefix = '{fts_order.PREFIX}'" in sql
        after_rows = conn.exec_driver_sql(
            "SELECT rowid, article_id, title, body FROM articles_fts ORDER BY rowid"
        ).all()
        assert [tuple(r) for r in after_rows] == [tuple(r) for r in rows]
        for q, hits in before.items():
            assert store.search_articles(q, limit=50) == hits, q
        assert before["проц"] and before["сообщ"]
