"""Linking a batch of articles through one in-memory view (kb/kbview.py) decides
exactly as linking them one transaction at a time: the view's cache and queued
writes must never hide a row an earlier article of the batch wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from kb_corpus_helpers import gold_record, needs_pg, open_empty, save_corpus

from newsfacts import kb
from newsfacts.store import Store

TIMES = {"created_at", "linked_at", "at"}


def _kb_rows(store: Store) -> dict[str, list[str]]:
    out = {}
    with store.engine.connect() as conn:
        for name in sorted(sa.inspect(store.engine).get_table_names()):
            if not name.startswith("kb_"):
                continue
            result = conn.execute(sa.text(f"SELECT * FROM {name}"))
            cols = list(result.keys())
            out[name] = sorted(
                repr(sorted((k, v) for k, v in zip(cols, row, strict=True) if k not in TIMES))
                for row in result
            )
    return out


def _linked(tmp_path: Path, corpus: list[dict[str, Any]], batch: int, name: str) -> Store:
    store = Store.open(str(tmp_path / name))
    save_corpus(store, [gold_record(item) for item in corpus])
    report = kb.sync(store, batch=batch)
    assert report.linked == len(corpus)
    return store


def test_one_view_per_batch_links_as_one_article_at_a_time(
    tmp_path: Path, corpus: list[dict[str, Any]]
) -> None:
    single = _linked(tmp_path, corpus, 1, "single.db")
    batched = _linked(tmp_path, corpus, len(corpus), "batched.db")
    try:
        rows = _kb_rows(single)
        assert sum(len(v) for v in rows.values()) > 100
        assert _kb_rows(batched) == rows
        # and relinking re-extracted articles in one batch takes back what they added
        for item in corpus[:5]:
            batched.save(gold_record(item, version="2"))
            single.save(gold_record(item, version="2"))
        kb.sync(batched, batch=len(corpus))
        kb.sync(single, batch=1)
        assert _kb_rows(batched) == _kb_rows(single)
    finally:
        single.close()
        batched.close()


@needs_pg
def test_pipelined_batch_on_postgresql_links_as_sqlite_one_at_a_time(
    tmp_path: Path, corpus: list[dict[str, Any]]
) -> None:
    """PostgreSQL links a batch of first links in psycopg's pipeline mode (writes
    unanswered until the next read): the KB must equal SQLite's, one article a time."""
    single = _linked(tmp_path, corpus, 1, "single.db")
    pg = open_empty("postgresql", tmp_path)
    try:
        save_corpus(pg, [gold_record(item) for item in corpus])
        assert kb.sync(pg, batch=len(corpus)).linked == len(corpus)
        assert _kb_rows(pg) == _kb_rows(single)
    finally:
        single.close()
        pg.close()
