"""How much of each article a client has read, over any number of responses.

The check behind the reuse-policy guarantee (issue 12): every run of `MIN_RUN` or
more characters of an article's text found in any response (JSON strings, page
text, CSV or Parquet cells) marks the article offsets it matches, every occurrence.
The union of marks per article, divided by its length, is the share a client who
combined all those responses has read. Used by the property and browser tests and
by `scripts/crawl_share.py`.

Stories retold by several outlets share phrases: a quote of article B inside B's
quotable set may match A's text too. `strict` counts such a run against A as well;
`attributed` (given each article's quotable offsets) counts it only against the
articles whose quotable set holds it, since it was shown as their text, under their
policy and with their link. Both are reported.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from newsfacts.policy.verbatim import MIN_RUN

_TAG = re.compile(r"<[^>]*>")
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


class RevealMeter:
    """The union of article characters revealed by the responses fed to it."""

    def __init__(
        self,
        texts: dict[str, str],
        min_run: int = MIN_RUN,
        quotable: dict[str, bytearray] | None = None,
    ) -> None:
        self.texts = texts
        self.k = min_run
        self.covered = {aid: bytearray(len(t)) for aid, t in texts.items()}
        self.attributed = {aid: bytearray(len(t)) for aid, t in texts.items()}
        self.grams: dict[str, list[tuple[str, int]]] = {}
        for aid, text in texts.items():
            for i in range(len(text) - min_run + 1):
                self.grams.setdefault(text[i : i + min_run], []).append((aid, i))
        # Windows some article may show as its own text (inside its quotable set).
        # Keyed by the window less one character: a page puts a space or a "·" next
        # to a shown title, and that character is not what makes it article text.
        self.owned: dict[str, set[str]] = {}
        k1 = min_run - 1
        for aid, mask in (quotable or {}).items():
            text = texts.get(aid, "")
            for i in range(len(text) - k1 + 1):
                if mask[i : i + k1].count(0) == 0:
                    self.owned.setdefault(text[i : i + k1], set()).add(aid)

    def feed(self, value: str) -> None:
        k, grams, covered, owned = self.k, self.grams, self.covered, self.owned
        for i in range(len(value) - k + 1):
            window = value[i : i + k]
            hits = grams.get(window)
            if hits:
                tail, head = owned.get(window[1:], ()), owned.get(window[:-1], ())
                for aid, at in hits:
                    covered[aid][at : at + k] = b"\x01" * k
                    mine = self.attributed[aid]
                    if aid in tail:  # the article's own shown text, less the edge character
                        mine[at + 1 : at + k] = b"\x01" * (k - 1)
                    elif aid in head:
                        mine[at : at + k - 1] = b"\x01" * (k - 1)
                    elif not tail and not head:
                        mine[at : at + k] = b"\x01" * k

    def feed_json(self, data: Any) -> None:
        for value in strings(data):
            self.feed(value)

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
