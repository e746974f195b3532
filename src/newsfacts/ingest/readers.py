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
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from newsfacts.ingest.clean import domain_of
from newsfacts.model import RawDocument
from newsfacts.policy.footer import detect_footer, is_footer_sentence
from newsfacts.timebudget import OverBudget, time_limit

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


@dataclass
class IngestError:
    origin: str  # "path", "path:line" (JSONL) or "path#entry" (feeds)
    message: str  # one line, fit to print after the origin


class _Unreadable(Exception):
    """Internal: the bytes are not text in any encoding we accept."""


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


def shown(path: Path | str) -> str:
    """A path as messages and origins name it: `printable`, so a file name holding a
    newline or an ESC sequence can neither forge nor colour a line of output."""
    return printable(str(path))


def printable(text: str) -> str:
    """`text` with each non-printable character (controls, bidi overrides, the lone
    surrogates Python makes of undecodable bytes in file names) as its Python
    escape: repr-like, but printable text (Cyrillic included) is left alone."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


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


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are UTF-8, else the encoding charset-normalizer detects."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # a lone surrogate half
            raise _Unreadable from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Legacy Russian files are cp1251 far more often than anything else; prefer it
    # when it decodes, since short texts make charset detection ambiguous.
    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic"]).best()
    if best is None or best.encoding is None:
        raise _Unreadable
    text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) / 100:
        raise _Unreadable
    return text


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


def _read_html(data: bytes, origin: str) -> RawDocument | IngestError:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_images=False
        )
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura raise many kinds on junk
        return IngestError(origin, f"cannot parse HTML: {type(exc).__name__}")
    if doc is None:
        return IngestError(origin, "no article text found in HTML")
    meta: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    text = (meta.get("text") or "").strip()
    if not text:
        return IngestError(origin, "no article text found in HTML")
    title = (meta.get("title") or "").strip() or None
    if title and text.split("\n", 1)[0].strip() == title:
        text = text.split("\n", 1)[1].strip() if "\n" in text else ""
        if not text:
            return IngestError(origin, "no article text found in HTML")
    url = meta.get("url") or None
    text = _with_page_policy(text, data)
    return RawDocument(
        text=text,
        title=title,
        url=url,
        published=meta.get("date") or None,
        source=domain_of(url) or meta.get("hostname") or meta.get("sitename") or None,
        origin=origin,
    )


def _with_page_policy(text: str, data: bytes) -> str:
    """The article text, followed by the page's reuse-policy lines when it has none.

    Sites print their reuse policy in the page footer, which the main-text
    extractor rightly drops; without it the article would get the permissive
    default policy. The cleaner cuts these lines off again as the footer.
    """
    if detect_footer(text) is not None:
        return text
    try:
        page = html_to_text(decode(data))
    except (_Unreadable, UnicodeDecodeError):
        return text
    found: list[str] = []
    for line in page.split("\n"):
        if len(line) <= 400 and is_footer_sentence(line) and line not in found:
            found.append(line)
    policy_lines = [line for line in found if not line.lstrip().startswith(("©", "(c)"))]
    return "\n".join([text, *policy_lines]) if policy_lines else text


class _HtmlText(HTMLParser):
    """Text of an HTML fragment (feed entries) with block elements as line breaks."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "blockquote",
            "section",
            "article",
        ]
    )
    SKIP = frozenset({"script", "style", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    parser = _HtmlText()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _entry_date(entry: Any) -> str | None:
    """The entry's date as the feed wrote it (local time kept), ISO-8601."""
    for key in ("published", "updated", "created"):
        value = entry.get(key)
        if not value:
            continue
        try:
            return parsedate_to_datetime(value).isoformat()
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
        except ValueError:
            pass
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    return None


def _read_feed(data: bytes, origin: str) -> Iterator[RawDocument | IngestError]:
    import feedparser

    feed = feedparser.parse(data)
    if not feed.entries:
        reason = f": {feed.bozo_exception}" if feed.get("bozo") else ""
        yield IngestError(origin, f"no entries in RSS/Atom feed{reason}".split("\n")[0])
        return
    feed_link = feed.feed.get("link")
    entity = _unexpanded_entity(data)
    for n, entry in enumerate(feed.entries, 1):
        where = f"{origin}#{n}"
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else entry.get("summary", "")
        text = _drop(entity, html_to_text(html or ""))
        if not text:
            yield IngestError(where, "feed entry has no text (unexpanded XML entities dropped)")
            continue
        url = entry.get("link") or None
        yield RawDocument(
            text=text,
            title=_drop(entity, html_to_text(entry.get("title", ""))) or None,
            url=url,
            published=_entry_date(entry),
            source=domain_of(url) or domain_of(feed_link),
            origin=where,
        )


# An entity reference that survived parsing: feedparser never expands DTD entities
# (good: no billion laughs, no XXE), but leaves "&lol9" or "&xxe" in the text. An
# undeclared "&name;" is one too; "&" before a space or a digit is prose ("AT & T").
_ENTITY_REF = r"&[A-Za-z_][\w.-]*;"
_DECLARED = re.compile(rb"<!ENTITY\s+(?:%\s*)?([A-Za-z_][\w.-]*)")


def _unexpanded_entity(data: bytes) -> re.Pattern[str]:
    """A pattern for the entity references left unexpanded in this feed's text."""
    names = {m.decode("ascii", "replace") for m in _DECLARED.findall(data[:65536])}
    declared = [rf"&{re.escape(name)}\b;?" for name in sorted(names)]
    return re.compile("|".join([*declared, _ENTITY_REF]))


def _drop(entity: re.Pattern[str], text: str) -> str:
    """`text` without unexpanded entity references, single-spaced again."""
    if "&" not in text:
        return text
    lines = (" ".join(entity.sub(" ", line).split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _read_jsonl(text: str, origin: str) -> Iterator[RawDocument | IngestError]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        if "\x00" in line:
            yield IngestError(where, "invalid JSON: the line holds a NUL byte")
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:  # '[[[[…' a hundred thousand deep: the decoder recurses
            yield IngestError(where, "invalid JSON: nested too deeply")
            continue
        if not isinstance(item, dict):
            yield IngestError(where, f"expected a JSON object, got {type(item).__name__}")
            continue
        bad = _surrogate_field(item)
        if bad is not None:
            yield IngestError(
                where, f"invalid text: '{bad}' holds a lone surrogate (\\ud800-\\udfff escape)"
            )
            continue
        body = item.get("text")
        if not isinstance(body, str) or not body.strip():
            yield IngestError(where, "no 'text' field with article text")
            continue
        url = _str(item.get("url"))
        yield RawDocument(
            text=body,
            title=_str(item.get("title")),
            url=url,
            published=_str(item.get("published")),
            source=domain_of(url) or _str(item.get("source")),
            origin=where,
        )


def _surrogate_field(item: dict[str, Any]) -> str | None:
    """The first field whose string holds a lone surrogate ("\\ud800" is valid JSON
    but not Unicode text: it can be neither stored nor printed as UTF-8)."""
    for key, value in item.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return key.encode("ascii", "backslashreplace").decode()
    return None


def _str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
