"""In one process, one worker or two, commits every article or every second: the
same store.

Ingest links the knowledge base a step of `LINK_EVERY` input articles at a time while
extraction goes on (issue 13); the steps are counted in input order, so neither the
number of workers nor the timing of the save batches may change what is stored,
knowledge base included.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from newsfacts.ingest import runner, workers
from newsfacts.store import Store

# Columns that hold the wall-clock time of a write, and a table counting writes.
CLOCK_COLUMNS = ("ingested_at", "created_at", "linked_at", "granted_at")
SKIP_TABLES = ("store_version",)


def dump(db: Path) -> dict[str, list[str]]:
    """Every row of every table (full-text indexes' shadow tables aside), sorted."""
    out: dict[str, list[str]] = {}
    with sqlite3.connect(db) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'"
            )
        ]
        for table in tables:
            if table in SKIP_TABLES:
                continue
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info('{table}')")]
            keep = [c for c in cols if c not in CLOCK_COLUMNS] or ["1"]
            rows = conn.execute(f"SELECT {', '.join(keep)} FROM '{table}'")
            out[table] = sorted(repr(r) for r in rows)
    return out


def ingest(batch: Path, db: Path, workers: int) -> runner.IngestReport:
    with Store.open(str(db)) as store:
        return runner.ingest_paths([batch], store, workers=workers)


@pytest.mark.slow
def test_workers_and_batch_timing_store_the_same(
    examples_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = tmp_path / "batch"
    shutil.copytree(examples_dir, batch)
    monkeypatch.setattr(runner, "LINK_EVERY", 4)  # several linking steps on ~40 articles

    # 0: everything in this process, one step after another (the reference); 1: one
    # forked worker extracts while this process saves and links (issue 13).
    here = ingest(batch, tmp_path / "here.db", workers=0)
    one = ingest(batch, tmp_path / "one.db", workers=1)
    two = ingest(batch, tmp_path / "two.db", workers=2)
    monkeypatch.setattr(runner, "SAVE_BATCH", 1)  # a commit per article
    monkeypatch.setattr(runner, "SAVE_WAIT_S", 0.0)
    eager = ingest(batch, tmp_path / "eager.db", workers=0)
    eager_one = ingest(batch, tmp_path / "eager_one.db", workers=1)

    assert here.added > 3 * 4 and here.duplicates >= 1 and not here.errors
    assert here.linked >= here.added
    for report in (one, two, eager, eager_one):
        assert report.summary() == here.summary()
    reference = dump(tmp_path / "here.db")
    assert reference["kb_links"] and reference["kb_stories"]
    for name in ("one", "two", "eager", "eager_one"):
        assert dump(tmp_path / f"{name}.db") == reference, name
    assert {"read, clean, extract", "save", "kb", "quotable pass"} <= set(here.seconds)
    if workers.extracts_apart(1):  # else (no fork here) one worker is this process
        assert {"read, clean", "wait for workers", "save", "kb"} <= set(one.seconds)
        assert "read, clean, extract" not in one.seconds
    assert "wait for workers" in two.seconds
