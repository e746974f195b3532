"""Saving one extracted article: the report, dedupe and the canonical-copy swap.

Shared by the one-article path (`save_extracted`, each article in its own
transaction) and the batched one (`ingest.bulksave`), which defers to it for the
rare cases a plain insert cannot decide, so both reach the same outcome.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from newsfacts.ingest.dedupe import NEAR_DUPLICATE, fingerprint, similarity
from newsfacts.model import Article, Record
from newsfacts.store import Store
from newsfacts.store.bulk import Ready
from newsfacts.urls import http_url

log = logging.getLogger(__name__)


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
    # Wall seconds of this process per phase ("extract" — or "wait for workers" —,
    # "save", "kb", "quotable pass"): `newsfacts bench` shows where an ingest went.
    seconds: dict[str, float] = field(default_factory=dict)

    def timed(self, phase: str, seconds: float) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds

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
    # Computed ahead, beside the writer (`ingest.loadprep`): the article's dedupe
    # fingerprint, and the store's work on `record` that reads nothing (`store.bulk.Ready`).
    fingerprint: list[str] | None = None
    ready: Ready | None = None


def find_near_duplicate(store: Store, article: Article, keys: list[str]) -> str | None:
    for candidate_id in store.near_duplicate_candidates(keys):
        if candidate_id == article.id:
            continue
        other = store.get_article(candidate_id)
        if other is not None and similarity(article.text, other.text) >= NEAR_DUPLICATE:
            return candidate_id
    return None


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
