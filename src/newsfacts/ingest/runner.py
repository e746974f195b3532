"""Ingest orchestration: read → clean → extract → dedupe → store.

Extraction is the expensive step, so it may run in N worker processes, each loading
the models once; reading, cleaning and every write stay in this process, so the store
has one writer. Each article is saved in its own transaction: a bad article (or a
crash) never takes the rest of the batch, or what is already stored, with it.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from newsfacts.ingest.dedupe import NEAR_DUPLICATE, fingerprint, similarity
from newsfacts.ingest.prepare import clean_each
from newsfacts.ingest.readers import IngestError, read_path, shown
from newsfacts.model import Article, RawDocument, Record
from newsfacts.pipeline import (
    REGISTRY,
    Pipeline,
    current_version,
    default_pipeline,
    load_config,
)
from newsfacts.store import Store
from newsfacts.timebudget import OverBudget, time_limit
from newsfacts.urls import http_url

log = logging.getLogger(__name__)

# How many articles may wait in the worker queue: enough to keep every worker busy,
# few enough that memory stays flat on an archive of millions.
QUEUE_PER_WORKER = 8


def article_budget() -> float | None:
    """Seconds one article's cleaning and extraction may take (`[ingest]
    article_budget_s` in data/pipeline.toml; 0 means no limit)."""
    seconds = float(load_config().get("ingest", {}).get("article_budget_s", 0) or 0)
    return seconds if seconds > 0 else None


def resolve_budget(budget: float | None | Literal["config"]) -> float | None:
    """A budget as callers give it: seconds, None for no limit, or "config"."""
    return article_budget() if budget == "config" else budget


# One extraction job: the article, its origin, its time budget (None: no limit) and
# the seconds already spent on it (cleaning).
Job = tuple[Article, str, float | None, float]


# Told about each skip or error as it is recorded: ("skipped" | "error", origin, message).
ProblemListener = Callable[[str, str, str], None]


class ProblemLog(list[tuple[str, str]]):
    """(origin, message) pairs that announce each new entry to a listener.

    The CLI prints every skip and error the moment it happens, so a run that is
    stopped (or killed) has already said what went wrong so far (issue 12); every
    place that records a problem just appends, and is streamed without knowing it.
    """

    def __init__(self, kind: str, listener: ProblemListener | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.listener = listener

    def append(self, item: tuple[str, str]) -> None:
        super().append(item)
        if self.listener is not None:
            self.listener(self.kind, *item)


@dataclass
class IngestReport:
    added: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=lambda: ProblemLog("skipped"))
    errors: list[tuple[str, str]] = field(default_factory=lambda: ProblemLog("error"))
    characters: int = 0
    linked: int = 0  # articles linked into the knowledge base

    def listen(self, listener: ProblemListener | None) -> None:
        """Call `listener` for every skip and error recorded from now on."""
        for log_ in (self.skipped, self.errors):
            if isinstance(log_, ProblemLog):
                log_.listener = listener

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.unchanged} unchanged, {self.duplicates} near-duplicates "
            f"linked, {len(self.skipped)} skipped, {len(self.errors)} errors; "
            f"{self.linked} articles linked into the knowledge base"
        )


@dataclass
class Extracted:
    article: Article
    origin: str
    record: Record | None = None
    error: str | None = None


def iter_raw(
    paths: Iterable[Path], budget: float | None = None
) -> Iterator[RawDocument | IngestError]:
    for path in paths:
        if not path.exists():
            yield IngestError(shown(path), "no such file or directory")
            continue
        yield from read_path(path, budget)


def find_near_duplicate(store: Store, article: Article, keys: list[str]) -> str | None:
    for candidate_id in store.near_duplicate_candidates(keys):
        if candidate_id == article.id:
            continue
        other = store.get_article(candidate_id)
        if other is not None and similarity(article.text, other.text) >= NEAR_DUPLICATE:
            return candidate_id
    return None


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


def _extract(
    pipeline: Pipeline,
    article: Article,
    origin: str,
    budget: float | None = None,
    spent: float = 0.0,
) -> Extracted:
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


# The pipeline a worker process runs: the one the caller gave `ingest_paths`.
_WORKER_PIPELINE: Pipeline | None = None


def _worker_extract(job: Job) -> Extracted:
    return _extract(_WORKER_PIPELINE or default_pipeline(), *job)


def pipeline_spec(pipeline: Pipeline | None) -> tuple[list[str] | None, tuple[str, ...]]:
    """What a worker needs to build `pipeline`: its component names and the modules
    that register them (None, (): the default pipeline)."""
    if pipeline is None:
        return None, ()
    return pipeline.names, tuple(dict.fromkeys(REGISTRY[n].__module__ for n in pipeline.names))


def _warm_worker(parent_pid: int, names: list[str] | None, modules: tuple[str, ...]) -> None:
    from newsfacts.ingest.lifeline import die_with_parent
    from newsfacts.nlp.natasha_pipe import models

    global _WORKER_PIPELINE
    die_with_parent(parent_pid)  # first: a killed ingest must not leave workers behind
    for module in modules:
        importlib.import_module(module)
    _WORKER_PIPELINE = default_pipeline() if names is None else Pipeline(names)
    if "natasha" in _WORKER_PIPELINE.names:
        models()  # load the models once per worker process, before the first article


def _parallel(
    jobs: Iterator[Job], workers: int, pipeline: Pipeline | None = None
) -> Iterator[Extracted]:
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers,
        mp_context=ctx,
        initializer=_warm_worker,
        initargs=(os.getpid(), *pipeline_spec(pipeline)),
    ) as pool:
        pending = []
        for job in jobs:
            pending.append(pool.submit(_worker_extract, job))
            if len(pending) >= workers * QUEUE_PER_WORKER:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


def save_extracted(store: Store, done: Extracted, report: IngestReport) -> None:
    """Store one extracted article, linking it instead when it re-publishes a stored story."""
    if done.error is not None or done.record is None:
        report.errors.append((done.origin, done.error or "no record"))
        return
    article = done.article
    keys = fingerprint(article.text)
    duplicate_of = find_near_duplicate(store, article, keys)
    stored = store.get_article(duplicate_of) if duplicate_of is not None else None
    if stored is not None and canonical_rank(article) > canonical_rank(stored):
        # The new copy is the original (it has the article's URL): it is stored in
        # full and the copy stored first becomes its duplicate (issue 12).
        if store.save(done.record, fingerprint=keys, origin=done.origin):
            store.demote_duplicate(stored.id, article.id)
            _relink(store, stored.id)
            report.duplicates += 1  # one more copy of a stored story, as before the swap
            report.characters += len(article.text)
        else:
            report.unchanged += 1
        return
    if duplicate_of is not None:
        # A re-publication is linked to the story already stored, not extracted twice.
        record = Record(article=article, extractor_version=done.record.extractor_version)
        if store.save(record, fingerprint=keys, duplicate_of=duplicate_of, origin=done.origin):
            report.duplicates += 1
        else:
            report.unchanged += 1
        return
    if store.save(done.record, fingerprint=keys, origin=done.origin):
        report.added += 1
        report.characters += len(article.text)
    else:
        report.unchanged += 1


def canonical_rank(article: Article) -> tuple[bool, bool]:
    """Which of two near-duplicates is canonical: the one with the article's own
    http(s) URL, then the one carrying its outlet's policy footer (the original
    outlet prints its terms; a re-publisher's copy often drops them)."""
    return (http_url(article.url) is not None, article.policy.origin == "footer")


def _relink(store: Store, article_id: str) -> None:
    """Drop a demoted article's knowledge-base links (it has no entities left)."""
    from newsfacts import kb

    try:
        kb.link_article(store, article_id)
    except Exception:  # the next `kb sync` retries; the article itself is stored
        log.exception("relinking %s failed", article_id)


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
    if workers > 1:
        version = pipeline.version if pipeline else current_version()
        jobs = _to_extract(items, store, version, report, budget)
        results = _parallel(jobs, workers, pipeline)
    else:
        pipeline = pipeline or default_pipeline()
        jobs = _to_extract(items, store, pipeline.version, report, budget)
        results = (_extract(pipeline, *job) for job in jobs)
    with store.deferred_sets():  # the cross-article quotable pass once, at the end
        for done in results:
            try:
                save_extracted(store, done, report)
            except Exception as exc:  # the failed article's transaction rolled back
                log.exception("failed to store %s", done.origin)
                report.errors.append((done.origin, f"{type(exc).__name__}: {exc}"))
    if link:
        link_knowledge_base(store, report)
    return report


def link_knowledge_base(store: Store, report: IngestReport) -> None:
    """Link the new articles' entities and events to the cross-article knowledge base.

    Its own transactions, after the articles are safely stored: a failure here is
    reported and the next ingest (or `newsfacts kb sync`) picks the articles up again.
    """
    from newsfacts import kb

    try:
        report.linked = kb.sync(store).linked
    except Exception as exc:
        log.exception("knowledge-base linking failed")
        report.errors.append(("knowledge base", f"{type(exc).__name__}: {exc}"))


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
