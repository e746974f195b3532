"""How much of each article a client has read, over any number of responses.

The check behind the reuse-policy guarantee (issue 12): every countable run of an
article's text (`policy.verbatim.windows`: 12 characters touching three words, or 20
characters) found in any response (JSON strings, page text, CSV or Parquet cells)
marks the article offsets it matches, every occurrence. The union of marks per
article, divided by its length, is the share a client who combined all those
responses has read. Used by the property and browser tests and by
`scripts/crawl_share.py`.

`strict` counts a run against every article holding it, wherever it was shown: two
retellings sharing a sentence both count it. The one exception is text of an
article served in full (its source allows it, or granted it): a run found in such a
`public` article counts for it alone, since that outlet's own text is shown whole. `attributed` (given each article's
quotable offsets) leaves out of an article's count a run that lies inside another
article's quotable set and not inside its own: it was shown as that other article's
text. Strict is the guarantee; attributed is reported to tell the two apart.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from newsfacts.policy.verbatim import windows

_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


class RevealMeter:
    """The union of article characters revealed by the responses fed to it."""

    def __init__(
        self,
        texts: dict[str, str],
        quotable: dict[str, bytearray] | None = None,
        public: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self.texts = texts
        self.public = public
        self.covered = {aid: bytearray(len(t)) for aid, t in texts.items()}
        self.attributed = {aid: bytearray(len(t)) for aid, t in texts.items()}
        self.grams: dict[str, list[tuple[str, int]]] = {}
        for aid, text in texts.items():
            for i, size in windows(text):
                self.grams.setdefault(text[i : i + size], []).append((aid, i))
        # Windows some article may show as its own text (inside its quotable set).
        self.owned: dict[str, set[str]] = {}
        for aid, mask in (quotable or {}).items():
            text = texts.get(aid, "")
            for i, size in windows(text):
                if mask[i : i + size].count(0) == 0:
                    self.owned.setdefault(text[i : i + size], set()).add(aid)

    def feed(self, value: str) -> None:
        grams, covered, owned = self.grams, self.covered, self.owned
        for i, size in windows(value):
            window = value[i : i + size]
            hits = grams.get(window)
            if not hits:
                continue
            owners = owned.get(window, ())
            if self.public and any(aid in self.public for aid, _ in hits):
                hits = [(aid, at) for aid, at in hits if aid in self.public]
            for aid, at in hits:
                covered[aid][at : at + size] = b"\x01" * size
                if not owners or aid in owners:
                    self.attributed[aid][at : at + size] = b"\x01" * size

    def feed_json(self, data: Any) -> None:
        for value in strings(data):
            self.feed(value)

    def feed_output(self, out: str) -> None:
        """A command's printed output (the CLI, an export file): the text as printed,
        and any JSON in it, the whole or a line at a time, read with strings unescaped."""
        self.feed(out)
        for chunk in [*out.splitlines(), out]:
            with contextlib.suppress(ValueError):
                self.feed_json(json.loads(chunk))

    def feed_html(self, page: str) -> None:
        """The page's text as a reader sees it: tags removed, entities decoded; the
        attribute values (titles, labels) too."""
        page = _SCRIPT.sub(" ", page)
        self.feed(html.unescape(_TAG.sub("", page)))
        for attr in re.findall(r'(?:title|aria-label|alt|content|value)="([^"]*)"', page):
            self.feed(html.unescape(attr))

    def feed_body(self, media_type: str, body: bytes) -> None:
        """A response of any kind the app sends: JSON, HTML, JSONL, CSV or Parquet."""
        media = media_type.split(";")[0].strip().lower()
        if "parquet" in media:
            import pyarrow.parquet as pq

            for row in pq.read_table(io.BytesIO(body)).to_pylist():
                self.feed_json(_unnest(row))
            return
        text = body.decode("utf-8", errors="replace")
        if media == "application/json":
            self.feed_json(json.loads(text))
        elif media == "application/x-ndjson":
            for line in text.splitlines():
                if line.strip():
                    self.feed_json(json.loads(line))
        elif media == "text/csv":
            for row in csv.reader(io.StringIO(text)):
                self.feed_json(_unnest(row))
        elif media == "text/html":
            self.feed_html(text)
        else:
            self.feed(text)

    def revealed(self, aid: str, *, strict: bool = True) -> int:
        return (self.covered if strict else self.attributed)[aid].count(1)

    def share(self, aid: str, *, strict: bool = True) -> float:
        n = len(self.texts[aid])
        return self.revealed(aid, strict=strict) / n if n else 0.0


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from strings(v)


def _unnest(value: Any) -> Any:
    """Cells holding JSON (args, entities in CSV and Parquet) are read as JSON too."""
    if isinstance(value, dict):
        return {k: _unnest(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unnest(v) for v in value]
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return [value, json.loads(value)]
        except ValueError:
            return value
    return value
