"""Read articles from files: plain text, HTML pages, RSS/Atom feeds and JSON Lines.

Readers never raise on bad input: a file (or a feed entry, or a JSONL line) that
cannot be read becomes an `IngestError` with a one-line message, and the rest of
a directory, feed or JSONL file is still read. The format is chosen by extension
and checked against the first bytes, so an HTML page saved as `.txt` is still
read as HTML.

Directories are walked recursively in sorted order (stable ingest order) and only
files with a known extension are read; hidden files and others (README.md, images)
are skipped silently. A subdirectory that cannot be listed and a dangling symbolic
link are an error each. A file named explicitly is read whatever its extension.

This module finds the files and picks the reader; the formats live in `html_reader`,
`feed_reader` and `jsonl_reader` (plain text is read here), the error type in
`read_errors` and the decoding of bytes in `text_decoding`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from newsfacts.ingest.feed_reader import _read_feed
from newsfacts.ingest.html_reader import _read_html, html_to_text
from newsfacts.ingest.jsonl_reader import _read_jsonl
from newsfacts.ingest.read_errors import IngestError, printable, shown
from newsfacts.ingest.text_decoding import _Unreadable, decode
from newsfacts.model import RawDocument
from newsfacts.timebudget import OverBudget, time_limit

__all__ = [
    "MAX_BYTES",
    "IngestError",
    "decode",
    "html_to_text",
    "printable",
    "read_path",
    "shown",
]


# Larger files are refused unread: a news article is kilobytes, a feed dump a few
# megabytes; 20 MB of "article" is a misdirected archive or database dump, and
# reading it would stall a worker.
MAX_BYTES = 20 * 1024 * 1024
# A first line longer than this, or ending in a full stop, is body text, not a title.
MAX_TITLE_CHARS = 250

TEXT_EXTENSIONS = frozenset({".txt", ""})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
FEED_EXTENSIONS = frozenset({".xml", ".rss", ".atom"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
KNOWN_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | FEED_EXTENSIONS | JSONL_EXTENSIONS


def read_path(path: Path, budget: float | None = None) -> Iterator[RawDocument | IngestError]:
    """Every article under `path` (a file or a directory), or an error per bad input.

    `budget`: seconds the reader may spend producing any one item of a file (the
    ingest time budget); past it the rest of that file is one error (None: no limit)."""
    path = Path(path)
    if path.is_dir():
        for child in _walk(path):
            if isinstance(child, IngestError):
                yield child
            elif child.suffix.lower() in KNOWN_EXTENSIONS:
                yield from _read_guarded(child, budget)
        return
    yield from _read_guarded(path, budget)


def _walk(root: Path) -> Iterator[Path | IngestError]:
    """The files under `root` in sorted path order, skipping hidden names, with one
    error for each subdirectory that cannot be listed and each dangling symbolic
    link: both used to vanish from a batch without a word (issue 12). Symbolic
    links to files are read; links to directories are not followed (no cycles)."""
    found: list[tuple[Path, str | None]] = []

    def unlistable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        found.append((where, f"cannot list directory: {exc.strerror or exc}"))

    for top, dirs, files in os.walk(root, onerror=unlistable):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith("."):
                continue
            child = Path(top, name)
            if child.is_file():
                found.append((child, None))
            elif child.is_symlink() and not child.exists():
                found.append((child, f"dangling symbolic link to {_link_target(child)}"))
    for child, problem in sorted(found, key=lambda item: item[0]):
        yield child if problem is None else IngestError(shown(child), problem)


def _link_target(link: Path) -> str:
    try:
        return repr(os.readlink(link))
    except OSError:
        return "a missing file"


def _read_guarded(path: Path, budget: float | None = None) -> Iterator[RawDocument | IngestError]:
    """`_read_file`, with any failure of a reader (a parser bug, a library's
    RecursionError on pathological input) turned into one error for this file, so
    the files after it are still read. Each item is produced under `budget`: only
    the reader's own time counts, not what the caller does between items."""
    items = _read_file(path)
    while True:
        try:
            with time_limit(budget):
                item = next(items)
        except StopIteration:
            return
        except OverBudget:
            items.close()
            yield IngestError(
                shown(path),
                f"reading took longer than the {budget:g} s time budget; rest of the file skipped",
            )
            return
        except Exception as exc:  # noqa: BLE001 - one file must never end the batch
            detail = " ".join(str(exc).split())[:200]
            yield IngestError(shown(path), f"cannot read file: {type(exc).__name__}: {detail}")
            return
        yield item


def _read_file(path: Path) -> Iterator[RawDocument | IngestError]:
    origin = shown(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield IngestError(origin, f"file is {size} bytes, over the {MAX_BYTES}-byte limit")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(origin, f"cannot read file: {exc.strerror or exc}")
        return
    if not data.strip():
        yield IngestError(origin, "empty file")
        return
    kind = _kind(path.suffix.lower(), data)
    if kind is None:
        yield IngestError(origin, "binary file, not text")
        return
    if kind == "html":
        yield _read_html(data, origin)
    elif kind == "feed":
        yield from _read_feed(data, origin)
    else:
        try:
            text = decode(data)
        except _Unreadable:
            yield IngestError(origin, "binary or undecodable file, not text")
            return
        if kind == "jsonl":
            yield from _read_jsonl(text, origin)
        else:
            yield _read_text(text, origin)


def _kind(suffix: str, data: bytes) -> str | None:
    """The reader for these bytes: extension first, corrected by what the bytes are."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    sample = data[:8192]
    if b"\x00" in sample and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # JSON Lines are read line by line: a stray NUL costs only its line. Many
        # NULs are a binary file, whatever its name.
        lines_file = suffix in JSONL_EXTENSIONS or head.startswith(b"{")
        if not lines_file or sample.count(b"\x00") * 100 > len(sample):
            return None
    if head.startswith((b"<!doctype html", b"<html")) or (
        suffix not in FEED_EXTENSIONS and b"<body" in head
    ):
        return "html"
    if head.startswith(b"<?xml") or re.match(rb"<(rss|feed|rdf:rdf)\b", head):
        return "html" if b"<html" in head else "feed"
    if suffix in HTML_EXTENSIONS:
        return "html"
    if suffix in FEED_EXTENSIONS:
        return "feed"
    if suffix in JSONL_EXTENSIONS or head.startswith(b"{"):
        return "jsonl"
    return "text"


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return bool(line) and len(line) <= MAX_TITLE_CHARS and not line.endswith((".", ",", ";", ":"))


def _read_text(text: str, origin: str) -> RawDocument | IngestError:
    """First line is the title when it looks like one (short, no final period).

    A file of that one line and no sentence break is a title alone: it is read as a
    title with no text, which cleaning skips with the reason (issue 12).
    """
    lines = text.strip().split("\n")
    title = None
    if _looks_like_title(lines[0]) and (len(lines) > 1 or not _SENTENCE_BREAK.search(lines[0])):
        title = lines[0].strip()
        lines = lines[1:]
    body = "\n".join(lines).strip()
    return RawDocument(text=body, title=title, origin=origin)


_SENTENCE_BREAK = re.compile(r"[.!?…]\s")
