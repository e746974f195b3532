"""Ingest orchestration: read → clean → dedupe → extract → store, one article at a time.

Each article is saved in its own transaction, so a bad article (or a crash) never
takes the rest of the batch or what is already stored with it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsfacts.ingest.clean import Rejected, clean
from newsfacts.ingest.dedupe import NEAR_DUPLICATE, fingerprint, similarity
from newsfacts.ingest.readers import IngestError, read_path
from newsfacts.model import Article, RawDocument, Record
from newsfacts.pipeline import Pipeline, default_pipeline
from newsfacts.store import Store

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: int = 0
    unchanged: int = 0
    duplicates: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (origin, reason)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (origin, message)
    characters: int = 0

    def summary(self) -> str:
        return (
            f"{self.added} added, {self.unchanged} unchanged, {self.duplicates} near-duplicates "
            f"linked, {len(self.skipped)} skipped, {len(self.errors)} errors"
        )


def iter_raw(paths: Iterable[Path]) -> Iterator[RawDocument | IngestError]:
    for path in paths:
        if not path.exists():
            yield IngestError(str(path), "no such file or directory")
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


def ingest_one(raw: RawDocument, store: Store, pipeline: Pipeline, report: IngestReport) -> None:
    origin = raw.origin or "<input>"
    try:
        article = clean(raw)
    except Rejected as exc:
        report.skipped.append((origin, str(exc)))
        return
    if store.has_article(article.id):
        stored = store.get_record(article.id)
        if stored is not None and stored.extractor_version == pipeline.version:
            report.unchanged += 1
            return
    keys = fingerprint(article.text)
    duplicate_of = find_near_duplicate(store, article, keys)
    if duplicate_of is not None:
        # A re-publication is linked to the story already stored, not extracted again.
        record = Record(article=article, extractor_version=pipeline.version)
        store.save(record, fingerprint=keys, duplicate_of=duplicate_of, origin=origin)
        report.duplicates += 1
        return
    record = pipeline(article)
    if store.save(record, fingerprint=keys, origin=origin):
        report.added += 1
        report.characters += len(article.text)
    else:
        report.unchanged += 1


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    *,
    pipeline: Pipeline | None = None,
    progress: bool = False,
) -> IngestReport:
    pipeline = pipeline or default_pipeline()
    report = IngestReport()
    items = iter_raw(paths)
    if progress:
        items = _with_progress(items)
    for item in items:
        if isinstance(item, IngestError):
            report.errors.append((item.origin, item.message))
            continue
        try:
            ingest_one(item, store, pipeline, report)
        except Exception as exc:  # one bad article must not stop the batch
            log.exception("failed to ingest %s", item.origin)
            report.errors.append((item.origin or "<input>", f"{type(exc).__name__}: {exc}"))
    return report


def _with_progress(
    items: Iterator[RawDocument | IngestError],
) -> Iterator[RawDocument | IngestError]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
