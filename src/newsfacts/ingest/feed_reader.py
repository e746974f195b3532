"""Articles from RSS/Atom feeds, one per entry, with unexpanded XML entities dropped.

Why a module of its own: a feed is many articles in one file, each with its own link,
date and errors, and its text must be cleaned of entity references feedparser leaves
unexpanded (it never expands DTD entities, which is what keeps it safe).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from newsfacts.ingest.clean import domain_of
from newsfacts.ingest.html_reader import html_to_text
from newsfacts.ingest.read_errors import IngestError
from newsfacts.model import RawDocument


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
