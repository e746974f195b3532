"""Phases of one `newsfacts load` in this process: start-up, save, quotable pass, KB.

The same steps as `cli.cmd_load` (bulk saver, deferred quotable pass, KB linking),
each timed by wall clock, so a change can be placed: the quotable pass is the part
that runs under the `quotable` advisory lock when loaders run in parallel.

    PYTHONPATH=src .venv/bin/python scripts/load_phases.py DIR DB
"""

from __future__ import annotations

import sys
import time

START = time.perf_counter()

from newsfacts.ingest.bulksave import BatchSaver  # noqa: E402
from newsfacts.ingest.runner import Extracted, IngestReport, link_knowledge_base  # noqa: E402
from newsfacts.scale.ray_batch import iter_parquet_records  # noqa: E402
from newsfacts.store import Store  # noqa: E402


def main() -> int:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    source, db = sys.argv[1], sys.argv[2]
    store = Store.open(db)
    report = IngestReport()
    passed: list[float] = []
    reconcile = store.reconcile_quotable

    def timed(ids: list[str]) -> int:
        t = time.perf_counter()
        n = reconcile(ids)
        passed.append(time.perf_counter() - t)
        return n

    store.reconcile_quotable = timed  # type: ignore[method-assign]
    t0 = time.perf_counter()
    with store.deferred_sets(), BatchSaver(store, report, size=200) as saver:
        for record, origin in iter_parquet_records(source):
            saver.add(Extracted(record.article, origin, record=record))
    t1 = time.perf_counter()
    link_knowledge_base(store, report)
    t2 = time.perf_counter()
    q = sum(passed)
    print(
        f"startup {t0 - START:.2f}s save {t1 - t0 - q:.2f}s pass {q:.2f}s "
        f"kb {t2 - t1:.2f}s total {t2 - START:.2f}s ({report.summary()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
