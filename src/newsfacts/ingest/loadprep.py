"""`newsfacts load`: extracted records into the store, each batch's per-article work
done beside the writer.

A load is one writer (`BatchSaver`, one transaction per batch), then the quotable
sets' cross-article pass and knowledge-base linking. Of a 300-record load into
SQLite (~3.3 CPU s) about a third was Python that reads nothing from the store:
decoding each record, its dedupe fingerprint (MinHash), validating and building its
rows, its quotable set judged alone, hashing its text and shown runs (BENCHMARKS.md
§6). With no part over a fifth, no faster statement could reach the target, so that
work runs in a worker process forked from this one (`workers.fork_pool`, as
`ingest`'s extraction workers are) while this process writes the previous batch: the
worker decodes a slice of the input rows it inherited at the fork and returns each
record with its `Extracted.fingerprint` and `Extracted.ready` (`store.bulk.ready`);
the writer uses them where they still hold (same record object, same effective
policy) and computes the rest itself, so the store ends the same either way.
"""

from __future__ import annotations

import json
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future

from newsfacts.ingest.bulksave import BatchSaver
from newsfacts.ingest.dedupe import fingerprint
from newsfacts.ingest.saving import Extracted, IngestReport
from newsfacts.ingest.workers import fork_pool, result_of, start_method
from newsfacts.model import Record
from newsfacts.store import Store
from newsfacts.store.bulk import ready
from newsfacts.urls import http_url

# One input record: its JSON (`Record.to_dict`) and its origin.
Row = tuple[str, str]
# Records per job: small, so the writer waits little for the first batch's articles.
CHUNK = 25

# What a forked worker reads: set just before the fork, inherited by the worker.
_ROWS: Sequence[Row] = ()
_REGISTRY: object = None
_GRANTED: set[str] = set()


def load_rows(
    store: Store,
    rows: Sequence[Row],
    report: IngestReport,
    *,
    size: int = 200,
    workers: int = 1,
    warn: Callable[[str], None] | None = None,
) -> None:
    """Save `rows` in batches of `size` (one transaction each) and run the quotable
    sets' pass once at the end; `workers` 1: the per-article work in a forked
    process where forking is safe, 0: all in this one. Linking is the caller's."""
    with store.deferred_sets(), BatchSaver(store, report, size=size) as saver:
        for done, warning in _records(store, rows, workers, size):
            if warning and warn is not None:
                warn(warning)
            saver.add(done)


def _records(
    store: Store, rows: Sequence[Row], workers: int, size: int
) -> Iterator[tuple[Extracted, str | None]]:
    granted = {p["source"] for p in store.permissions()}
    registry = store.policy_registry
    # As `workers.extracts_apart`: a daemonic process (a `multiprocessing.Pool`
    # worker) may start none; a process with other threads may not fork.
    apart = start_method() == "fork" and not multiprocessing.current_process().daemon
    if workers < 1 or not apart or len(rows) <= CHUNK:
        for row in rows:
            yield _decode(row, registry, granted)
        return
    global _ROWS, _REGISTRY, _GRANTED
    _ROWS, _REGISTRY, _GRANTED = rows, registry, granted
    try:
        pool = fork_pool(1)
    finally:
        _ROWS, _REGISTRY, _GRANTED = (), None, set()

    def here(start: int) -> list[tuple[Extracted, str | None]]:
        return [_decode(row, registry, granted) for row in rows[start : start + CHUNK]]

    # Enough jobs queued that the worker prepares the next batch while this process
    # writes one; no more, so memory stays flat on a long input.
    depth = size // CHUNK + 2
    with pool:
        jobs: deque[tuple[int, Job]] = deque()
        starts = iter(range(0, len(rows), CHUNK))
        try:
            for start in starts:
                jobs.append((start, pool.submit(_decode_slice, start, start + CHUNK)))
                if len(jobs) >= depth:
                    yield from _next(jobs, here)
            while jobs:
                yield from _next(jobs, here)
        finally:
            for _, job in jobs:  # stopped early: the rest is not prepared for nothing
                if isinstance(job, Future):
                    job.cancel()


# A job: the worker's future, or its result computed in this process instead.
Done = list[tuple[Extracted, str | None]]
Job = Future[Done] | Done


def _next(jobs: deque[tuple[int, Job]], here: Callable[[int], Done]) -> Done:
    """The first job's result. While the worker is still on it, this process, which
    would only wait, does the last queued jobs the worker has not started
    (`Future.cancel` succeeds only on those): the two meet in the middle, and the
    first batch of a load is ready in about half the time."""
    _, head = jobs.popleft()
    if not isinstance(head, Future):
        return head
    while not head.done():
        stolen = False
        for k in range(len(jobs) - 1, -1, -1):
            start, job = jobs[k]
            if not isinstance(job, Future):
                continue
            if job.cancel():
                jobs[k] = (start, here(start))
                stolen = True
            break  # the worker has taken this one, and so every one before it
        if not stolen:
            break
    return result_of(head, "a load worker", "load")


def _decode_slice(start: int, stop: int) -> list[tuple[Extracted, str | None]]:
    """In the worker: its inherited rows `start:stop`, decoded and prepared."""
    return [_decode(row, _REGISTRY, _GRANTED) for row in _ROWS[start:stop]]


def _decode(row: Row, registry: object, granted: set[str]) -> tuple[Extracted, str | None]:
    """One input row as the saver takes it, with a warning when its URL was dropped."""
    record_json, origin = row
    record = Record.from_dict(json.loads(record_json))
    warning = None
    if record.article.url and http_url(record.article.url) is None:
        warning = f"{origin}: URL is not http(s), stored without it"
        record.article.url = None
    keys = fingerprint(record.article.text)
    done = Extracted(record.article, origin, record=record, fingerprint=keys)
    done.ready = ready(record, keys, registry, granted)
    return done, warning
