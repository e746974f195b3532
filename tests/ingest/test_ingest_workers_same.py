"""One worker or two, commits every article or every second: the same store.

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

from newsfacts.ingest import runner
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

    one = ingest(batch, tmp_path / "one.db", workers=1)
    two = ingest(batch, tmp_path / "two.db", workers=2)
    monkeypatch.setattr(runner, "SAVE_BATCH", 1)  # a commit per article
    monkeypatch.setattr(runner, "SAVE_WAIT_S", 0.0)
    eager = ingest(batch, tmp_path / "eager.db", workers=1)

    assert one.added > 3 * 4 and one.duplicates >= 1 and not one.errors
    assert one.linked >= one.added
    for report in (two, eager):
        assert report.summary() == one.summary()
    reference = dump(tmp_path / "one.db")
    assert reference["kb_links"] and reference["kb_stories"]
    assert dump(tmp_path / "two.db") == reference
    assert dump(tmp_path / "eager.db") == reference
    assert {"read, clean, extract", "save", "kb", "quotable pass"} <= set(one.seconds)
    assert "wait for workers" in two.seconds
