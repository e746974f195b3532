"""One forked worker extracts while this process writes (issue 13): failures stop it.

A writer error must surface at once and stop the ingest (no queued extraction left
running, no worker left behind), keep every batch committed before it, and a rerun
must complete the store to what a clean ingest makes. A worker that dies is one
line, not a traceback, and the articles extracted before it are kept.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from test_ingest_workers_same import CLOCK_COLUMNS, SKIP_TABLES, dump

from backend_db import empty_pg_tables
from newsfacts.cli import main
from newsfacts.ingest import bulksave, runner, workers
from newsfacts.model import Record
from newsfacts.store import Store
from newsfacts.store.schema import metadata


@pytest.fixture(autouse=True)
def _forking() -> None:
    """Asked when each test runs, not at collection: while the suite is collected,
    schemathesis's event-loop thread is alive (tests/api), and a mark evaluated then
    skipped these tests in every full run."""
    if not workers.extracts_apart(1):
        pytest.skip("no safe fork here: one worker is this process")


def _ingest(batch: Path, db: Path, workers_: int = 1) -> runner.IngestReport:
    with Store.open(str(db)) as store:
        return runner.ingest_paths([batch], store, workers=workers_)


@pytest.mark.slow
def test_a_failing_write_stops_the_ingest_and_a_rerun_completes_it(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = tmp_path / "batch"
    shutil.copytree(examples_dir, batch)
    # all linking in the last step, so a rerun links in the same order as one clean run
    monkeypatch.setattr(runner, "LINK_EVERY", 10_000)
    monkeypatch.setattr(runner, "SAVE_BATCH", 4)
    monkeypatch.setattr(runner, "SAVE_WAIT_S", None)
    clean = _ingest(batch, tmp_path / "clean.db", workers_=0)

    real = bulksave._lookups
    stores = {}
    for workers_ in (0, 1):  # in this process (as before issue 13) and beside a worker
        calls: list[int] = []

        def failing(*args: object, calls: list[int] = calls) -> object:
            calls.append(1)
            if len(calls) == 2:  # the second batch's reads
                raise RuntimeError("disk gone")
            return real(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(bulksave, "_lookups", failing)
        db = tmp_path / f"failed{workers_}.db"
        with pytest.raises(RuntimeError, match="disk gone"):
            _ingest(batch, db, workers_)
        assert multiprocessing.active_children() == []  # the pool is shut down
        with Store.open(str(db)) as store:
            assert len(store.list_articles(limit=100)) == 4  # the first batch, committed

        monkeypatch.setattr(bulksave, "_lookups", real)
        rerun = _ingest(batch, db, workers_)
        assert rerun.unchanged == 4 and not rerun.errors
        assert rerun.added + rerun.duplicates + 4 == clean.added + clean.duplicates
        stores[workers_] = dump(db)
    assert stores[1] == stores[0]
    # Articles, facts and the knowledge base as one clean run makes them; the quotable
    # sets (and their shown runs) of the 4 articles saved before the failure were
    # decided by that run's pass, before the rest of the texts were stored.
    reference = dump(tmp_path / "clean.db")
    differ = {t for t in reference if stores[1].get(t) != reference[t]}
    assert differ <= {"quotable", "shown_runs"}
    assert stores[1]["articles"] == reference["articles"] and reference["kb_links"]


class DiesOnMarker:
    """A pipeline whose worker process dies (as if killed) on a marked article."""

    version = "fake-1"

    def __call__(self, article: object) -> Record:
        if "УМЕРЕТЬ" in article.text:  # type: ignore[attr-defined]
            os._exit(9)
        return Record(article=article, extractor_version=self.version)  # type: ignore[arg-type]


def test_a_dead_worker_is_one_line_and_keeps_what_was_extracted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(3):
        text = f"Аким Тараза встретился с послом Польши в {i + 1}-й раз. Стороны обсудили заводы."
        (batch / f"a{i}.txt").write_text(f"Встреча {i}\n{text}\n", encoding="utf-8")
    (batch / "z.txt").write_text("Конец\nЗдесь воркер должен УМЕРЕТЬ сразу.\n", encoding="utf-8")
    monkeypatch.setattr(workers, "default_pipeline", DiesOnMarker)
    monkeypatch.setattr(runner, "default_pipeline", DiesOnMarker)
    db = tmp_path / "nf.db"
    code = main(["ingest", str(batch), "--db", str(db), "--quiet", "--workers", "1"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1
    assert err == [
        "newsfacts: error: an extraction worker died (killed, or out of memory); the "
        "articles saved so far are kept: run the same ingest again to go on"
    ]
    with Store.open(str(db)) as store:
        assert len(store.list_articles(limit=100)) == 3


def rows(store: Store) -> dict[str, list[str]]:
    """Every row of every table of the schema, clock columns aside, sorted."""
    out: dict[str, list[str]] = {}
    with store.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name in SKIP_TABLES:
                continue
            cols = [c for c in table.c if c.name not in CLOCK_COLUMNS]
            out[table.name] = sorted(repr(tuple(r)) for r in conn.execute(sa.select(*cols)))
    return out


@pytest.mark.slow
def test_same_rows_as_in_one_process_on_postgresql(
    examples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = os.environ.get("NEWSFACTS_TEST_PG")
    if not url:
        pytest.skip("NEWSFACTS_TEST_PG is not set (tests/store/start_postgres.sh)")
    monkeypatch.setattr(runner, "LINK_EVERY", 4)  # several linking steps
    seen = []
    for workers_ in (0, 1):
        with Store.open(url) as store:
            with store.engine.begin() as conn:
                empty_pg_tables(conn)
            report = runner.ingest_paths([examples_dir], store, workers=workers_)
            seen.append((report.summary(), rows(store)))
    assert seen[0][1]["kb_links"] and "1 near-duplicates" in seen[0][0]
    assert seen[1] == seen[0]
