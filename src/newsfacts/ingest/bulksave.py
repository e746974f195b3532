"""Saving extracted articles in batches: dedupe a batch at once, write it at once.

`save_extracted` stores one article per transaction, with a near-duplicate lookup
and a fetch of each candidate's text per article. `BatchSaver` collects articles
and, per batch, reads what it needs with a few set-based queries (stored versions,
LSH candidates, candidates' texts), decides each article in input order exactly as
`save_extracted` would (earlier articles of the same batch count as stored), and
writes the batch with `Store.save_many` in one transaction.

The rare cases that need more than an insert — an article re-extracted by a newer
version, a copy that turns out to be the original of a stored duplicate (the swap
of issue 12) — flush what came before and go through `save_extracted`, so their
outcome is the same as article by article.

A batch is written when it holds `size` articles or its oldest article has waited
`max_wait` seconds: an ingest keeps committing while it extracts, so a killed run
loses at most the last few seconds of work (tests/test_resume.py).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from types import TracebackType

import sqlalchemy as sa

from newsfacts.ingest.dedupe import NEAR_DUPLICATE, fingerprint, similarity
from newsfacts.ingest.saving import Extracted, IngestReport, canonical_rank, save_extracted
from newsfacts.model import Article, Record
from newsfacts.store import Store, StoreError
from newsfacts.store.bulk import BulkItem
from newsfacts.store.keys import is_newer
from newsfacts.store.read import _article_from_row
from newsfacts.store.schema import articles, lsh_keys

log = logging.getLogger(__name__)


@dataclass
class _Known:
    """What dedupe needs of an article stored (or accepted earlier in the batch)."""

    article: Article
    keys: list[str]


class BatchSaver:
    """Collects extracted articles and stores them `size` at a time."""

    def __init__(
        self, store: Store, report: IngestReport, *, size: int = 200, max_wait: float | None = None
    ) -> None:
        self.store = store
        self.report = report
        self.size = max(1, size)
        self.max_wait = max_wait
        self._pending: list[Extracted] = []
        self._since = 0.0

    def __enter__(self) -> BatchSaver:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Whole extractions wait in the buffer; store them also when the caller
        # stopped on an error of its own (a bad input file), as one save each did.
        self.flush()

    def add(self, done: Extracted) -> None:
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append(done)
        waited = time.monotonic() - self._since
        if len(self._pending) >= self.size or (
            self.max_wait is not None and waited >= self.max_wait
        ):
            self.flush()

    def flush(self) -> None:
        batch, self._pending = self._pending, []
        while batch:
            batch = self._save_until_special(batch)

    def _save_until_special(self, batch: list[Extracted]) -> list[Extracted]:
        """Decide and write the leading run of plain articles; hand the first one
        that needs `save_extracted` to it; return what is left after it."""
        report = self.report
        good = [d for d in batch if d.error is None and d.record is not None]
        keys = {
            id(d): d.fingerprint if d.fingerprint is not None else fingerprint(d.article.text)
            for d in good
        }
        store = self.store
        versions, by_key, known = _lookups(store, [d.article.id for d in good], keys.values())
        accepted: list[tuple[Extracted, BulkItem]] = []
        seen: dict[str, str] = {}
        for at, done in enumerate(batch):
            if done.error is not None or done.record is None:
                report.errors.append((done.origin, done.error or "no record"))
                continue
            article, record = done.article, done.record
            aid = article.id
            stored_version = seen.get(aid, versions.get(aid))
            if stored_version is not None:
                if is_newer(record.extractor_version, stored_version):
                    return self._special(accepted, done, batch[at + 1 :])
                report.unchanged += 1
                continue
            fp = keys[id(done)]
            duplicate_of = _near_duplicate(article, fp, by_key, known)
            if duplicate_of is not None:
                if canonical_rank(article) > canonical_rank(known[duplicate_of].article):
                    return self._special(accepted, done, batch[at + 1 :])
                record = Record(article=article, extractor_version=record.extractor_version)
            item = BulkItem(record, fp, duplicate_of, done.origin, done.ready)
            accepted.append((done, item))
            seen[aid] = record.extractor_version or ""
            known[aid] = _Known(article, fp)
            for k in fp:
                by_key.setdefault(k, []).append(aid)
        self._write(accepted)
        return []

    def _special(
        self, accepted: list[tuple[Extracted, BulkItem]], done: Extracted, rest: list[Extracted]
    ) -> list[Extracted]:
        self._write(accepted)
        _save_one(self.store, done, self.report)
        return rest

    def _write(self, accepted: list[tuple[Extracted, BulkItem]]) -> None:
        if not accepted:
            return
        try:
            changed = self.store.save_many([item for _, item in accepted])
        except (StoreError, sa.exc.SQLAlchemyError):
            # One bad article must not take the batch with it: save one by one,
            # each failing alone with its own error, as before batching.
            log.info("batch of %d failed; saving one by one", len(accepted), exc_info=True)
            for done, _ in accepted:
                _save_one(self.store, done, self.report)
            return
        for (done, item), ok in zip(accepted, changed, strict=True):
            if not ok:
                self.report.unchanged += 1
            elif item.duplicate_of is not None:
                self.report.duplicates += 1
            else:
                self.report.added += 1
                self.report.characters += len(done.article.text)


def _save_one(store: Store, done: Extracted, report: IngestReport) -> None:
    try:
        save_extracted(store, done, report)
    except Exception as exc:  # the failed article's transaction rolled back
        log.exception("failed to store %s", done.origin)
        report.errors.append((done.origin, f"{type(exc).__name__}: {exc}"))


def _lookups(
    store: Store, ids: list[str], fingerprints: object
) -> tuple[dict[str, str], dict[str, list[str]], dict[str, _Known]]:
    """Stored versions of `ids`, stored articles by LSH key, and those articles."""
    all_keys = sorted({k for fp in fingerprints for k in fp})  # type: ignore[attr-defined]
    versions: dict[str, str] = {}
    by_key: dict[str, list[str]] = {}
    known: dict[str, _Known] = {}
    with store._read() as conn:
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                sa.select(articles.c.id, articles.c.extractor_version).where(
                    articles.c.id.in_(ids[i : i + 500])
                )
            )
            versions.update({r.id: r.extractor_version for r in rows})
        for i in range(0, len(all_keys), 500):
            rows = conn.execute(
                sa.select(lsh_keys.c.key, lsh_keys.c.article_id).where(
                    lsh_keys.c.key.in_(all_keys[i : i + 500])
                )
            )
            for r in rows:
                by_key.setdefault(r.key, []).append(r.article_id)
    candidates = sorted({aid for ids_ in by_key.values() for aid in ids_})
    for aid, article in _articles(store, candidates).items():
        known[aid] = _Known(article, [])
    return versions, by_key, known


def _articles(store: Store, ids: list[str]) -> dict[str, Article]:
    """The stored articles `ids`, read in one query per chunk."""
    out: dict[str, Article] = {}
    with store._read() as conn:
        for i in range(0, len(ids), 500):
            rows = conn.execute(sa.select(articles).where(articles.c.id.in_(ids[i : i + 500])))
            out.update({r.id: _article_from_row(r) for r in rows})
    return out


def _near_duplicate(
    article: Article, keys: list[str], by_key: dict[str, list[str]], known: dict[str, _Known]
) -> str | None:
    """`find_near_duplicate` over the stored articles and the batch's earlier ones:
    candidates sharing most band keys first, then by id, the first similar enough."""
    shared: Counter[str] = Counter()
    for k in set(keys):
        for aid in set(by_key.get(k, ())):
            shared[aid] += 1
    for aid, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0])):
        if aid == article.id or aid not in known:
            continue
        if similarity(article.text, known[aid].article.text) >= NEAR_DUPLICATE:
            return aid
    return None
