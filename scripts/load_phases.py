"""Phases of one `newsfacts load` in this process: start-up, save, quotable pass, KB.

The same steps as `cli.cmd_load` (`ingest.loadprep.load_rows`: the bulk saver with
its forked worker, the deferred quotable pass; then KB linking),
each timed by wall clock, so a change can be placed: the quotable pass is the part
that runs under the `quotable` advisory lock when loaders run in parallel. Each phase
also gets this process's CPU seconds and, for a PostgreSQL server on this machine,
the CPU seconds of the server backends serving this database (read from /proc, as
scripts/load_waits.py does): on a loaded machine wall clock says little, and a load
into PostgreSQL spends a third of its CPU in the server.

    PYTHONPATH=src .venv/bin/python scripts/load_phases.py DIR DB [WORKERS]

The worker's CPU (`load --workers 1`, the default) is printed apart: "worker CPU".
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

START = time.perf_counter()
START_CPU = time.process_time()

from newsfacts.ingest.loadprep import load_rows  # noqa: E402
from newsfacts.ingest.runner import IngestReport, link_knowledge_base  # noqa: E402
from newsfacts.scale.ray_batch import parquet_rows  # noqa: E402
from newsfacts.store import Store  # noqa: E402


class ServerCpu:
    """CPU seconds of the backends serving this database so far (0 on SQLite)."""

    def __init__(self, db: str) -> None:
        self.url = db if db.startswith("postgresql") else None
        self.seen: dict[int, float] = {}

    def __call__(self) -> float:
        if self.url is None:
            return 0.0
        import psycopg

        with psycopg.connect(self.url) as conn:
            pids = [
                r[0]
                for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid != pg_backend_pid()"
                )
            ]
        for pid in pids:  # a backend that has gone keeps its last reading
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return sum(self.seen.values())


def main() -> int:
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    source, db = sys.argv[1], sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) == 4 else 1
    server = ServerCpu(db)
    marks: list[tuple[str, float, float, float]] = [("", START, START_CPU, 0.0)]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter(), time.process_time(), server()))

    store = Store.open(db)
    mark("startup")
    report = IngestReport()
    reconcile = store.reconcile_quotable

    def timed(ids: list[str]) -> int:
        mark("save")
        n = reconcile(ids)
        mark("pass")
        return n

    store.reconcile_quotable = timed  # type: ignore[method-assign]
    load_rows(store, parquet_rows(source), report, size=200, workers=workers)
    if marks[-1][0] != "pass":  # nothing saved: no pass ran
        mark("save")
    link_knowledge_base(store, report)
    mark("kb")
    parts = [
        f"{name} {w - w0:.2f}/{c - c0:.2f}/{s - s0:.2f}"
        for (_, w0, c0, s0), (name, w, c, s) in zip(marks, marks[1:], strict=False)
    ]
    _, w, c, s = marks[-1]
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    parts.append(f"worker CPU {child.ru_utime + child.ru_stime:.2f}")
    print(
        "wall/loader CPU/server CPU s: " + " ".join(parts) + f" total {w - START:.2f}/"
        f"{c - START_CPU:.2f}/{s:.2f} ({report.summary()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
