"""Events and stories of a batch of first links read for the batch (kb/batchstories.py,
issue 13): the same KB as indexing and assigning each article right after linking it,
with a handful of reads per batch instead of a few per article."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from kb_corpus_helpers import BACKENDS, gold_record, open_empty, save_corpus
from test_kb_batch_linking import _kb_rows

from newsfacts import kb
from newsfacts.kb import batchsync
from newsfacts.kb import raw as raw_module
from newsfacts.store import Store


def _interleaved(
    conn: Any, ids: list[str], view: Any, data: Any, prepared: Any, report: Any
) -> None:
    """The order before batchstories: each article linked, indexed and assigned in turn."""
    for aid in ids:
        batchsync.link_in(conn, aid, view, data, prepared, {})
        report.linked += 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_batch_of_first_links_gets_the_stories_and_events_of_one_article_at_a_time(
    backend: str, tmp_path: Path, corpus: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over a KB holding stories and events already (a third of the corpus linked
    first), the rest in one batch: stories merge across articles stored before the
    batch and within it, events are shared; every KB row as the interleaved order."""
    third = len(corpus) // 3
    records = [gold_record(item) for item in corpus]
    got: dict[str, dict[str, list[str]]] = {}
    for way in ("batched", "interleaved"):
        if way == "interleaved":
            monkeypatch.setattr(batchsync, "_link_fresh", _interleaved)
        store = (
            open_empty(backend, tmp_path)
            if backend != "sqlite"
            else Store.open(str(tmp_path / f"{way}.db"))
        )
        try:
            save_corpus(store, records[:third])
            kb.sync(store, batch=len(corpus))
            save_corpus(store, records)
            assert kb.sync(store, batch=len(corpus)).linked == len(corpus) - third
            got[way] = _kb_rows(store)
        finally:
            store.close()
    rows = got["interleaved"]
    stories = Counter(r for r in rows["kb_stories"])
    assert len(rows["kb_stories"]) == len(corpus) and len(stories) == len(corpus)
    # the corpus retells events: some stories gather several articles, some events
    # have several sources, so the comparison below means something
    story_ids = Counter(r.split("'story_id', ")[1] for r in rows["kb_stories"])
    assert max(story_ids.values()) >= 2
    assert len(rows["kb_event_sources"]) > len(rows["kb_events"])
    assert got["batched"] == rows


def test_a_fresh_batch_reads_its_events_and_stories_a_few_times_not_per_article(
    tmp_path: Path, corpus: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before, indexing events and finding stories read 2–5 statements per article
    (each a round trip on PostgreSQL under the `kb` lock); now a few per batch."""
    store = Store.open(str(tmp_path / "reads.db"))
    try:
        save_corpus(store, [gold_record(item) for item in corpus])
        reads: Counter[str] = Counter()
        original = raw_module.Raw.all

        def counted(self: Any, text: str, *args: Any, **kw: Any) -> Any:
            table = next(
                (t for t in ("kb_stories", "kb_events", "kb_event_sources") if t in text), ""
            )
            reads[table or text.split(" FROM ", 1)[-1].split()[0]] += 1
            return original(self, text, *args, **kw)

        monkeypatch.setattr(raw_module.Raw, "all", counted)
        assert kb.sync(store, batch=len(corpus)).linked == len(corpus)
    finally:
        store.close()
    for table in ("kb_stories", "kb_events", "kb_event_sources"):
        assert reads[table] <= 2, reads


def test_a_fresh_batch_writes_each_table_once_not_per_article(
    tmp_path: Path, corpus: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's links, entities, keys, aliases, linked marks and events go out as
    one multi-row insert per table (PostgreSQL: one statement each), where every
    article sent its own (~10 statements an article, issue 13); the rows are the same
    (the test above and tests/kb/test_kb_batch_linking.py)."""
    store = Store.open(str(tmp_path / "writes.db"))
    try:
        save_corpus(store, [gold_record(item) for item in corpus])
        writes: Counter[str] = Counter()
        original = raw_module.Raw.many

        def counted(self: Any, text: str, rows: Any, **kw: Any) -> Any:
            rows = list(rows)
            if rows and text.startswith("INSERT INTO "):
                writes[text.split()[2].strip('"')] += 1
            return original(self, text, rows, **kw)

        monkeypatch.setattr(raw_module.Raw, "many", counted)
        assert kb.sync(store, batch=len(corpus)).linked == len(corpus) >= 20
    finally:
        store.close()
    per_batch = (
        "kb_entities",
        "kb_keys",
        "kb_aliases",
        "kb_links",
        "kb_articles",
        "kb_events",
        "kb_event_entities",
        "kb_event_sources",
        "kb_event_stale",
    )
    assert all(writes[table] == 1 for table in per_batch), writes
