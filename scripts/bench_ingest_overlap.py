"""Ingest in one process against ingest beside a forked extraction worker (issue 13).

`newsfacts bench` times its stages minutes apart, so on a shared machine its
ingest/extraction ratio moves with the load. This script alternates, in one process
and round after round: extraction alone, `ingest_paths(workers=0)` (everything in this
process) and `ingest_paths(workers=1)` (a forked worker extracts while this process
reads, saves and links), each into a fresh SQLite store, and prints wall seconds and
the CPU seconds of this process and of the worker apart, so the critical path on two
idle cores can be read even when none is idle.

    PYTHONPATH=src python scripts/bench_ingest_overlap.py FOLDER_OF_TXT [ROUNDS]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from newsfacts.eval.speed import _articles, screen
from newsfacts.ingest.runner import ingest_paths
from newsfacts.pipeline import default_pipeline
from newsfacts.store import Store


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def main(folder: Path, rounds: int) -> None:
    articles, _ = _articles(sorted(folder.glob("*.txt")))
    articles, _ = screen(articles, 30)  # also the warm-up pass
    files = sorted({path for path, _ in articles})
    pipeline = default_pipeline()
    own, children = resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN
    for _ in range(rounds):
        load = Path("/proc/loadavg").read_text().split()[0]
        start_cpu, start = cpu(own), time.perf_counter()
        for _, article in articles:
            pipeline(article)
        wall = time.perf_counter() - start
        print(
            f"extraction: {len(articles)} articles, wall {wall:.2f} s, CPU {cpu(own) - start_cpu:.2f} s, load {load}"
        )
        for workers in (0, 1):
            with tempfile.TemporaryDirectory() as tmp, Store.open(str(Path(tmp) / "b.db")) as store:
                own0, kids0, start = cpu(own), cpu(children), time.perf_counter()
                report = ingest_paths(files, store, workers=workers)
                wall = time.perf_counter() - start
                phases = ", ".join(f"{k} {v:.2f}" for k, v in report.seconds.items())
                print(
                    f"ingest --workers {workers}: wall {wall:.2f} s, CPU this process "
                    f"{cpu(own) - own0:.2f} s, worker {cpu(children) - kids0:.2f} s ({phases})"
                )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3)
