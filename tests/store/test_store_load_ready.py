"""`load`'s per-article work done ahead in a forked worker (`ingest.loadprep`) leaves
the store exactly as the writer doing it all itself.

The worker decodes each record and computes what `save_many` needs of it without
reading the store (`store.bulk.Ready`: rows, dedupe keys, the set judged alone, the
text and shown runs). The writer must use that only where it still holds: a
near-duplicate is stored without its extraction (a new record), a source granted
after the fork has another effective policy, a bad record is refused by the writer
as before. Every table, row for row, is compared with the plain path.
"""

from __future__ import annotations

import json
from collections import deque
from concurrent.futures import Future
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
from store_samples import Ent, make_record, record_a, record_b, record_c

from backend_db import BACKENDS, fresh_db
from newsfacts.ingest import loadprep
from newsfacts.ingest.bulksave import BatchSaver
from newsfacts.ingest.runner import Extracted, IngestReport
from newsfacts.model import Record, article_id
from newsfacts.store import Store, bulk

LONG = "Министерство индустрии и инфраструктурного развития Республики Казахстан"


def copy_of(record: Record, extra: str) -> Record:
    """The same story re-published with a credit line: a near-duplicate."""
    text = record.article.text + extra
    art = replace(record.article, id=article_id(text), text=text)
    return replace(record, article=art)


def inputs() -> list[Record]:
    a, b, c = record_a(), record_b(), record_c()
    odd = replace(b.article, id="odd-url", url="ftp://kapital.kz/x", text=b.article.text + " Ещё.")
    out = [replace(b, article=odd), a, copy_of(a, " Фото: пресс-служба."), b, c]
    for i in range(6):
        text = (
            f"Представители {LONG} провели совещание номер {i * 7 + 3} в Астане. "
            f"Стороны обсудили {i + 2} проекта стоимостью {i * 11 + 5} млрд тенге."
        )
        out.append(
            make_record(
                text,
                title=f"Совещание {i}",
                source="granted.kz" if i == 1 else "inform.kz",
                published=f"2023-0{i + 1}-10",
                ents=[Ent("E1", "organization", LONG, [LONG])],
                facts=[("meeting", {"participants": ["E1"]}, "провели совещание")],
            )
        )
    bad = make_record(
        "Плохая запись\x00 с нулевым символом в тексте новости.",
        title="Плохая",
        source="inform.kz",
        published="2023-01-01",
        ents=[],
        facts=[],
    )
    return [*out, bad]


def rows_of(records: list[Record]) -> list[tuple[str, str]]:
    return [(json.dumps(r.to_dict(), ensure_ascii=False), f"in:{i}") for i, r in enumerate(records)]


def tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted, timestamps aside."""
    meta = sa.MetaData()
    meta.reflect(store.engine)
    out = {}
    with store.engine.connect() as conn:
        for name, table in meta.tables.items():
            if name.startswith(("articles_fts_", "facts_trgm_")) or name == "alembic_version":
                continue
            cols = [c for c in table.c if not c.name.endswith("_at")]
            rows = conn.execute(sa.select(*cols)).all()
            out[name] = sorted(tuple(map(repr, r)) for r in rows)
    return out


def fresh(backend: str, factory: pytest.TempPathFactory, name: str) -> Store:
    """An empty store (PostgreSQL's schema dropped: each run starts alike)."""
    return Store.open(fresh_db(backend, factory, name))


@pytest.mark.parametrize("backend", BACKENDS)
def test_work_done_in_the_worker_stores_what_the_writer_would(
    backend: str, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = inputs()
    with fresh(backend, tmp_path_factory, "plain") as store:
        store.grant_permission("granted.kz")
        plain = IngestReport()
        with store.deferred_sets(), BatchSaver(store, plain, size=3) as saver:
            for i, rec in enumerate(inputs()):
                if rec.article.url and rec.article.url.startswith("ftp:"):
                    rec.article.url = None
                saver.add(Extracted(rec.article, f"in:{i}", record=rec))
        expected = tables(store)

    monkeypatch.setattr(loadprep, "CHUNK", 2)  # several jobs, the first batch over three
    # A thread an earlier test left alive would keep `load` (single-threaded as a
    # command) from forking and this test from reaching the worker path; the worker
    # only decodes and hashes, so forking past an idle thread is safe here.
    monkeypatch.setattr(loadprep, "start_method", lambda: "fork")
    forks: list[int] = []
    real_fork = loadprep.fork_pool
    monkeypatch.setattr(loadprep, "fork_pool", lambda n: forks.append(n) or real_fork(n))
    alone: list[str] = []  # sets the writer chose itself (the worker's did not hold)
    real_set_row = bulk._Prepared.set_row

    def set_row(self: bulk._Prepared) -> dict[str, Any]:
        if not self.fits():
            alone.append(self.item.record.article.id)
        return real_set_row(self)

    monkeypatch.setattr(bulk._Prepared, "set_row", set_row)
    with fresh(backend, tmp_path_factory, "ahead") as store:
        warned: list[str] = []

        def warn(line: str) -> None:  # the first record's: after the fork, before a write
            warned.append(line)
            store.grant_permission("granted.kz")

        report = IngestReport()
        loadprep.load_rows(store, rows_of(records), report, size=3, workers=1, warn=warn)
        got = tables(store)
        with store.engine.connect() as conn:
            query = "SELECT id FROM articles WHERE duplicate_of IS NOT NULL"
            copies = set(conn.execute(sa.text(query)).scalars())

    assert forks == [1]
    assert warned == ["in:0: URL is not http(s), stored without it"]
    counts = (report.added, report.duplicates, len(report.errors))
    assert counts == (plain.added, plain.duplicates, len(plain.errors)) == (9, 2, 1)
    # Two copies: one of `a` (stored without its extraction), and the URL-less first
    # copy of `b`, demoted when `b` came (the canonical swap, through `save`).
    assert copies == {records[2].article.id, "odd-url"}
    # The writer chose itself only the set of `a`'s copy and that of the article
    # whose source was granted after the fork; every other was chosen ahead (by the
    # worker, or by this process for a job it took over while waiting).
    assert sorted(alone) == sorted([records[2].article.id, records[6].article.id])
    assert got.keys() == expected.keys()
    for name in expected:
        assert got[name] == expected[name], name
    assert got["shown_runs"] and got["text_runs"] and got["quotable"]


def test_in_this_process_the_same(tmp_path_factory: pytest.TempPathFactory) -> None:
    with fresh("sqlite", tmp_path_factory, "one") as store:
        loadprep.load_rows(store, rows_of(inputs()), IngestReport(), size=3, workers=1)
        ahead = tables(store)
    with fresh("sqlite", tmp_path_factory, "two") as store:
        loadprep.load_rows(store, rows_of(inputs()), IngestReport(), size=3, workers=0)
        assert tables(store) == ahead


def test_while_the_worker_is_on_the_first_job_the_writer_does_the_last_ones() -> None:
    head: Future[loadprep.Done] = Future()
    head.set_running_or_notify_cancel()  # the worker has it
    queued = [Future() for _ in range(3)]  # not started: cancellable
    jobs: deque[tuple[int, loadprep.Job]] = deque(
        [(0, head), *((i + 1, f) for i, f in enumerate(queued))]
    )
    done_here: list[int] = []

    def here(start: int) -> loadprep.Done:
        done_here.append(start)
        if len(done_here) == 2:  # the worker finishes meanwhile
            head.set_result([])
        return []

    assert loadprep._next(jobs, here) == []
    assert done_here == [3, 2]  # from the back
    assert [start for start, _ in jobs] == [1, 2, 3]
    assert jobs[0][1] is queued[0] and not queued[0].cancelled()
    assert queued[1].cancelled() and queued[2].cancelled()
    assert jobs[1][1] == [] and jobs[2][1] == []
