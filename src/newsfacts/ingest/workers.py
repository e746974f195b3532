"""Extracting articles: in this process, or in N worker processes (`--workers N`).

Workers are forked from this process after it has built the pipeline and loaded
natasha's models, so the models (a few hundred MB, ~1.8 CPU s to load) are loaded
once and their pages shared copy-on-write, instead of once per spawned worker, which
also re-imported the whole package: the second worker's start-up was most of what
`--workers 2` lost against the ideal 2x (issue 13).

Forking is only safe in a process that runs one thread (a lock held by another
thread would stay held in the child forever), so a caller with other threads alive,
or a platform without fork, gets spawned workers that load their own models, as
before. A forked worker never touches the store: it inherits the parent's database
connections but no Python object the parent had can be finalised in it (everything
alive at the fork is frozen out of the collector, `gc.freeze`), so no inherited
connection is closed behind the parent's back, and it leaves through `os._exit`.
Each worker ties its life to the parent's first (`lifeline.die_with_parent`).
"""

from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from newsfacts.ingest.saving import Extracted
from newsfacts.model import Article
from newsfacts.pipeline import REGISTRY, Pipeline, default_pipeline
from newsfacts.timebudget import OverBudget, time_limit

T = TypeVar("T")

log = logging.getLogger(__name__)

# How many articles may wait in the worker queue: enough to keep every worker busy
# while this process saves and links a step (`runner.LINK_EVERY` articles), few
# enough that memory stays flat on an archive of millions.
QUEUE_PER_WORKER = 32

# One extraction job: the article, its origin, its time budget (None: no limit) and
# the seconds already spent on it (cleaning).
Job = tuple[Article, str, float | None, float]


def extract(
    pipeline: Pipeline,
    article: Article,
    origin: str,
    budget: float | None = None,
    spent: float = 0.0,
) -> Extracted:
    """One article through `pipeline` within what is left of its time budget; a
    failure becomes an `Extracted` with an error, never an exception."""
    try:
        with time_limit(max(budget - spent, 0.001) if budget else None):
            return Extracted(article, origin, record=pipeline(article))
    except OverBudget:  # a stage that is not linear on this input: skip, keep the batch
        log.info("extraction of %s over its time budget", origin)
        error = f"over the {budget:g} s time budget ({len(article.text)} characters); skipped"
        return Extracted(article, origin, error=error)
    except Exception as exc:  # one bad article must not stop the batch
        log.exception("extraction failed for %s", origin)
        return Extracted(article, origin, error=f"{type(exc).__name__}: {exc}")


# The pipeline a worker process runs: the one the caller gave `ingest_paths`. A
# forked worker inherits it set; a spawned one sets it in `_spawned_worker`.
_WORKER_PIPELINE: Pipeline | None = None


def _worker_extract(job: Job) -> Extracted:
    return extract(_WORKER_PIPELINE or default_pipeline(), *job)


def start_method() -> str:
    """ "fork" where forking this process is safe, else "spawn" (see the module
    docstring)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def extracts_apart(workers: int) -> bool:
    """Whether an ingest with `workers` extracts in worker processes.

    Two or more: always. One: in one forked worker where forking is safe, so this
    process reads, cleans, saves and links the knowledge base on the machine's other
    core while the worker extracts the next articles; in one process the store's
    share of an ingest (~30%: saves, KB linking, the quotable pass) ran between
    extractions, on the critical path (issue 13). A spawned worker would load its
    own models (~2 CPU s), more than a short ingest gains, and a daemonic process
    (a `multiprocessing.Pool` worker) may start none: those extract here, as does
    `workers` 0."""
    if workers > 1:
        return True
    return (
        workers == 1 and start_method() == "fork" and not multiprocessing.current_process().daemon
    )


def pipeline_spec(pipeline: Pipeline | None) -> tuple[list[str] | None, tuple[str, ...]]:
    """What a spawned worker needs to build `pipeline`: its component names and the
    modules that register them (None, (): the default pipeline)."""
    if pipeline is None:
        return None, ()
    return pipeline.names, tuple(dict.fromkeys(REGISTRY[n].__module__ for n in pipeline.names))


def _load_models(pipeline: Pipeline) -> None:
    if "natasha" in getattr(pipeline, "names", ()):  # a duck-typed pipeline loads none
        from newsfacts.nlp.natasha_pipe import models

        models()


def _forked_worker(parent_pid: int) -> None:
    from newsfacts.ingest.lifeline import die_with_parent

    die_with_parent(parent_pid)  # first: a killed ingest must not leave workers behind


def _spawned_worker(parent_pid: int, names: list[str] | None, modules: tuple[str, ...]) -> None:
    from newsfacts.ingest.lifeline import die_with_parent

    global _WORKER_PIPELINE
    die_with_parent(parent_pid)  # first: a killed ingest must not leave workers behind
    for module in modules:
        importlib.import_module(module)
    _WORKER_PIPELINE = default_pipeline() if names is None else Pipeline(names)
    _load_models(_WORKER_PIPELINE)  # once per worker, before the first article


def _started() -> None:
    """A no-op job: submitting it makes a fork pool start every worker at once."""


def start_pool(workers: int, pipeline: Pipeline | None = None) -> ProcessPoolExecutor:
    """`workers` processes ready to run `_worker_extract`, forked with the pipeline
    and its models loaded where that is safe, else spawned."""
    if start_method() != "fork":
        return ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_spawned_worker,
            initargs=(os.getpid(), *pipeline_spec(pipeline)),
        )
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline or default_pipeline()
    _load_models(_WORKER_PIPELINE)
    try:
        return fork_pool(workers)
    finally:
        _WORKER_PIPELINE = None  # the workers have their copy; this process needs none


def fork_pool(workers: int) -> ProcessPoolExecutor:
    """`workers` processes forked from this one now, with everything it holds (the
    pipeline and models for `ingest`, the input rows for `load`); call only where
    `start_method()` is "fork"."""
    # No full collection first: it walked the whole heap (models, memos) before the
    # first extraction of every ingest; garbage frozen here stays only in the workers'
    # copies, and this process collects it again once unfrozen below.
    frozen_before = gc.get_freeze_count()  # a host process may have frozen its own
    gc.freeze()  # what the workers inherit is never collected (nor its pages written) there
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_forked_worker,
            initargs=(os.getpid(),),
        )
        try:
            # A fork pool forks all its workers at the first submit, before it
            # starts its manager thread: now, while this process runs one thread.
            pool.submit(_started)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    finally:
        if not frozen_before:  # else leave the host's frozen objects as they were
            gc.unfreeze()
    return pool


def parallel(
    jobs: Iterator[Job], workers: int, pipeline: Pipeline | None = None
) -> Generator[Extracted, None, None]:
    """Each job's `Extracted`, in input order, from `workers` processes, with at most
    `QUEUE_PER_WORKER` jobs per worker waiting."""
    with start_pool(workers, pipeline) as pool:
        pending: deque[Future[Extracted]] = deque()
        try:
            for job in jobs:
                pending.append(pool.submit(_worker_extract, job))
                if len(pending) >= workers * QUEUE_PER_WORKER:
                    yield result_of(pending.popleft())
            while pending:
                yield result_of(pending.popleft())
        finally:
            # Stopped early (the caller's save failed, Ctrl-C): the queued articles
            # are not extracted for nothing before the pool shuts down.
            for future in pending:
                future.cancel()


class WorkerDied(RuntimeError):
    """An extraction worker was killed (out of memory, a signal): the ingest stops
    with this one line; what was saved before stays, and a rerun goes on from there."""


def result_of(
    future: Future[T], worker: str = "an extraction worker", command: str = "ingest"
) -> T:
    """The future's result; a dead worker process becomes `WorkerDied`, one line
    that says the saved articles stay and a rerun of `command` goes on."""
    try:
        return future.result()
    except BrokenProcessPool:
        raise WorkerDied(
            f"{worker} died (killed, or out of memory); the articles saved so far "
            f"are kept: run the same {command} again to go on"
        ) from None
