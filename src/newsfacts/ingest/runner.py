"""Ingest orchestration: read → clean → extract → dedupe → store.

Extraction is the expensive step, so it runs in N worker processes (`ingest.workers`:
forked with the models loaded once, where that is safe); reading, cleaning and every
write stay in this process, so the store has one writer. One worker is the default:
it extracts while this process saves, links and reads the next articles on the other
core, so the store is off the critical path (in one process it was ~30% of an
ingest, issue 13); `workers=0` (or no safe fork) extracts here, one step after
another. The workers' queue is bounded, so a slow store holds extraction back
instead of piling records up in memory; an error here closes the pool. Articles
are saved a small batch per transaction (`ingest.bulksave`): a bad article never takes
the rest of the batch with it (the batch is then saved one by one), and a crash loses
at most the uncommitted batch, which a rerun redoes.

Knowledge-base linking runs every `LINK_EVERY` articles of the input, not once at the
end: with workers, this process links one step while the workers extract the next,
instead of leaving the workers idle through a long linking tail (it was a third of
an ingest, so `--workers 2` gained only 1.24x). The steps are counted in input order,
never by time, so an ingest links the same articles in the same order whatever the
number of workers or the machine's speed, and ends with the same store.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Literal, TypeVar

from newsfacts.ingest.bulksave import BatchSaver
from newsfacts.ingest.prepare import clean_each
from newsfacts.ingest.readers import IngestError, read_path, shown
from newsfacts.ingest.saving import (
    Extracted,
    IngestReport,
    ProblemListener,
    ProblemLog,
    canonical_rank,
    find_near_duplicate,
    save_extracted,
)
from newsfacts.ingest.workers import Job, extract, extracts_apart, parallel
from newsfacts.model import RawDocument
from newsfacts.pipeline import Pipeline, current_version, default_pipeline, load_config
from newsfacts.store import Store

log = logging.getLogger(__name__)

# Re-exported: the CLI, the API and tests import these from here.
__all__ = [
    "Extracted",
    "IngestReport",
    "ProblemListener",
    "ProblemLog",
    "canonical_rank",
    "find_near_duplicate",
    "ingest_paths",
    "link_knowledge_base",
    "save_extracted",
]

# Articles of the input per knowledge-base linking step (see the module docstring):
# large enough that a step's fixed cost (finding the pending articles, one
# transaction) is small, small enough that the last step, which nothing overlaps,
# is short.
LINK_EVERY = 32

# Articles per store transaction during an ingest, and the longest an extracted
# article waits for its batch: small enough that a killed ingest loses only the
# last second of work, large enough to save most per-transaction cost.
SAVE_BATCH = 16
SAVE_WAIT_S = 1.0

# `IngestReport.seconds` phases when extraction runs in worker processes: this
# process reading and cleaning, and waiting for the workers' next record.
READ_PHASE = "read, clean"
WAIT_PHASE = "wait for workers"

T = TypeVar("T")


def article_budget() -> float | None:
    """Seconds one article's cleaning and extraction may take (`[ingest]
    article_budget_s` in data/pipeline.toml; 0 means no limit)."""
    seconds = float(load_config().get("ingest", {}).get("article_budget_s", 0) or 0)
    return seconds if seconds > 0 else None


def resolve_budget(budget: float | None | Literal["config"]) -> float | None:
    """A budget as callers give it: seconds, None for no limit, or "config"."""
    return article_budget() if budget == "config" else budget


def iter_raw(
    paths: Iterable[Path], budget: float | None = None
) -> Iterator[RawDocument | IngestError]:
    for path in paths:
        if not path.exists():
            yield IngestError(shown(path), "no such file or directory")
            continue
        yield from read_path(path, budget)


def _is_current(store: Store, article_id: str, version: str) -> bool:
    return store.extractor_version(article_id) == version


def _to_extract(
    items: Iterable[RawDocument | IngestError],
    store: Store,
    version: str,
    report: IngestReport,
    budget: float | None = None,
) -> Iterator[Job]:
    """Clean each document; yield those whose extraction is missing or outdated,
    with what is left of the article's time budget after cleaning."""
    for item in clean_each(items, budget=budget):
        if item.article is None:
            if item.skipped:
                report.skipped.append((item.origin, item.skipped))
            else:
                report.errors.append((item.origin, item.error or "unreadable"))
            continue
        article, origin = item.article, item.origin
        if _is_current(store, article.id, version):
            report.unchanged += 1
            continue
        yield article, origin, budget, item.seconds


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    workers: int = 1,
    progress: bool = False,
    link: bool = True,
    url: str | None = None,
    on_problem: ProblemListener | None = None,
    budget: float | None | Literal["config"] = "config",
) -> IngestReport:
    """`url`: the article URL of every document read (`ingest FILE --url URL`);
    `on_problem(kind, origin, message)` hears of each skip and error as it happens;
    `budget`: seconds one article's cleaning and extraction (and a reader, producing
    one item of a file) may take before it is skipped with an error (None: no limit;
    default: `article_budget()`)."""
    budget = resolve_budget(budget)
    report = IngestReport()
    report.listen(on_problem)
    items: Iterable[RawDocument | IngestError] = iter_raw(paths, budget)
    if url:
        items = _with_url(items, url)
    if progress:
        items = _with_progress(items)
    results: Generator[Extracted, None, None]
    if extracts_apart(workers):
        version = pipeline.version if pipeline else current_version()
        jobs = _to_extract(items, store, version, report, budget)
        jobs = _timed(jobs, report, READ_PHASE)
        results = parallel(jobs, max(workers, 1), pipeline)
        waiting = WAIT_PHASE
    else:
        pipeline = pipeline or default_pipeline()
        jobs = _to_extract(items, store, pipeline.version, report, budget)
        results = (extract(pipeline, *job) for job in jobs)
        waiting = "read, clean, extract"
    # The cross-article quotable pass once, at the end; articles written a batch
    # per transaction, committed at least every SAVE_WAIT_S while extraction runs;
    # linked into the knowledge base a step of LINK_EVERY articles at a time.
    # `results` is closed on the way out, also on an error here: the workers' queued
    # articles are dropped at once instead of being extracted for nothing.
    with store.deferred_sets(), closing(results):
        with BatchSaver(store, report, size=SAVE_BATCH, max_wait=SAVE_WAIT_S) as saver:
            for n, done in enumerate(_timed(results, report, waiting, within=READ_PHASE), 1):
                start = time.perf_counter()
                saver.add(done)
                if link and n % LINK_EVERY == 0:
                    saver.flush()
                    report.timed("save", time.perf_counter() - start)
                    link = link_knowledge_base(store, report)  # failed: once, not per step
                else:
                    report.timed("save", time.perf_counter() - start)
            start = time.perf_counter()
        report.timed("save", time.perf_counter() - start)  # the last batch
        start = time.perf_counter()
    report.timed("quotable pass", time.perf_counter() - start)
    if link:
        link_knowledge_base(store, report)  # the last step
    return report


def _timed(
    items: Iterator[T], report: IngestReport, phase: str, within: str | None = None
) -> Iterator[T]:
    """`items`, adding the time spent waiting for each to `report` under `phase`,
    less what the phase `within` (timed inside that wait) took meanwhile."""
    while True:
        inner = report.seconds.get(within, 0.0) if within else 0.0
        start = time.perf_counter()
        item = next(items, None)
        spent = time.perf_counter() - start
        if within:
            spent -= report.seconds.get(within, 0.0) - inner
        report.timed(phase, spent)
        if item is None:
            return
        yield item


def link_knowledge_base(store: Store, report: IngestReport) -> bool:
    """Link the new articles' entities and events to the cross-article knowledge base.

    Its own transactions, after the articles are safely stored: a failure here is
    reported (False) and the next ingest (or `newsfacts kb sync`) picks the articles
    up again.
    """
    from newsfacts import kb

    start = time.perf_counter()
    try:
        # loaders in parallel: reads and CPU work before their turn, side by side
        prepared = kb.warm(store) if store.dialect == "postgresql" else None
        # Parallel loaders take turns, so no article is linked twice at once.
        with store.exclusive("kb"):
            report.linked += kb.sync(store, prepared=prepared).linked
    except Exception as exc:
        log.exception("knowledge-base linking failed")
        report.errors.append(("knowledge base", f"{type(exc).__name__}: {exc}"))
        return False
    finally:
        report.timed("kb", time.perf_counter() - start)
    return True


def _with_url(
    items: Iterable[RawDocument | IngestError], url: str
) -> Iterator[RawDocument | IngestError]:
    for item in items:
        if isinstance(item, RawDocument):
            item.url = url
        yield item


def _with_progress(
    items: Iterable[RawDocument | IngestError],
) -> Iterator[RawDocument | IngestError]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        task = bar.add_task("ingest", total=None)
        for item in items:
            yield item
            bar.advance(task)
