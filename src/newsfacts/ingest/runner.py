"""Ingest orchestration: read → clean → extract → dedupe → store.

Extraction is the expensive step, so it may run in N worker processes, each loading
the models once; reading, cleaning and every write stay in this process, so the store
has one writer. Each article is saved in its own transaction: a bad article (or a
crash) never takes the rest of the batch, or what is already stored, with it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.ingest.dedupe import NEAR_DUPLICATE, fingerprint, similarity
from newsfacts.ingest.prepare import clean_each
from newsfacts.ingest.readers import IngestError, read_path, shown
from newsfacts.model import Article, RawDocument, Record
from newsfacts.pipeline import Pipeline, current_version, default_pipeline
from newsfacts.store import Store
from newsfacts.urls import http_url

log = logging.getLogger(__name__)

# How many articles may wait in the worker queue: enough to keep every worker busy,
# few enough that memory stays flat on an archive of millions.
QUEUE_PER_WORKER = 8


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


def iter_raw(paths: Iterable[Path]) -> Iterator[RawDocument | IngestError]:
    for path in paths:
        if not path.exists():
            yield IngestError(shown(path), "no such file or directory")
            continue
        yield from read_path(path)


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
    items: Iterable[RawDocument | IngestError], store: Store, version: str, report: IngestReport
) -> Iterator[tuple[Article, str]]:
    """Clean each document; yield those whose extraction is missing or outdated."""
    for item in clean_each(items):
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
        yield article, origin


def _extract(pipeline: Pipeline, article: Article, origin: str) -> Extracted:
    try:
        return Extracted(article, origin, record=pipeline(article))
    except Exception as exc:  # one bad article must not stop the batch
        log.exception("extraction failed for %s", origin)
        return Extracted(article, origin, error=f"{type(exc).__name__}: {exc}")


def _worker_extract(job: tuple[Article, str]) -> Extracted:
    return _extract(default_pipeline(), *job)


def _warm_worker(parent_pid: int) -> None:
    from newsfacts.ingest.lifeline import die_with_parent
    from newsfacts.nlp.natasha_pipe import models

    die_with_parent(parent_pid)  # first: a killed ingest must not leave workers behind
    default_pipeline()
    models()  # load the models once per worker process, before the first article


def _parallel(jobs: Iterator[tuple[Article, str]], workers: int) -> Iterator[Extracted]:
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_warm_worker, initargs=(os.getpid(),)
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
) -> IngestReport:
    """`url`: the article URL of every document read (`ingest FILE --url URL`);
    `on_problem(kind, origin, message)` hears of each skip and error as it happens."""
    report = IngestReport()
    report.listen(on_problem)
    items: Iterable[RawDocument | IngestError] = iter_raw(paths)
    if url:
        items = _with_url(items, url)
    if progress:
        items = _with_progress(items)
    if workers > 1:
        version = pipeline.version if pipeline else current_version()
        results = _parallel(_to_extract(items, store, version, report), workers)
    else:
        pipeline = pipeline or default_pipeline()
        jobs = _to_extract(items, store, pipeline.version, report)
        results = (_extract(pipeline, article, origin) for article, origin in jobs)
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
