"""What a displayed string reveals of an article's text, and how to show it revealing less.

The reuse policy limits how much of the article anyone can *read*, whatever field it
comes in: a quote, a title, a topic copied from a sentence, an entity alias. We call
a run of `MIN_RUN` or more characters that also occurs in the article verbatim; a
shorter run is a word or a name, not reuse of the text. `revealed` maps a string to
the article offsets such runs cover (every occurrence, so a sentence printed twice in
the story is revealed twice), and `Coverage` keeps the union of what an article may
ever show, so any string can be checked against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

Span = tuple[int, int]

# The shortest run of characters counted as verbatim text (the crawl in
# scripts/crawl_share.py measures with the same length).
MIN_RUN = 20
# Above this the per-window `str.find` scan replaces the n-gram table (memory).
MAX_INDEXED = 400_000
ELLIPSIS = "…"
# The run checked in phrases shown outside quotes (arguments, aliases).
ARG_RUN = 12

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class Coverage:
    """A set of character offsets of one text, as a byte mask (1 = may be shown)."""

    def __init__(self, length: int, spans: Iterable[Span] = ()) -> None:
        self.length = length
        self.mask = bytearray(length)
        for span in spans:
            self.add(span)

    def _clip(self, span: Span) -> Span:
        return max(0, span[0]), min(self.length, span[1])

    def add(self, span: Span) -> None:
        a, b = self._clip(span)
        if b > a:
            self.mask[a:b] = b"\x01" * (b - a)

    def cost(self, spans: Iterable[Span]) -> int:
        """Offsets of `spans` not yet covered (overlaps among `spans` counted once)."""
        seen = bytearray(self.mask)
        n = 0
        for span in spans:
            a, b = self._clip(span)
            if b > a:
                n += seen[a:b].count(0)
                seen[a:b] = b"\x01" * (b - a)
        return n

    def covers(self, spans: Iterable[Span]) -> bool:
        return all(self.mask[a:b].count(0) == 0 for a, b in map(self._clip, spans))

    def size(self) -> int:
        return self.length - self.mask.count(0)

    def longest_covered(self, start: int, end: int) -> Span | None:
        """The longest covered run inside [start, end), or None."""
        best: Span | None = None
        i = max(0, start)
        end = min(self.length, end)
        while i < end:
            if not self.mask[i]:
                i += 1
                continue
            j = self.mask.find(0, i, end)
            j = end if j < 0 else j
            if best is None or j - i > best[1] - best[0]:
                best = (i, j)
            i = j
        return best


class TextIndex:
    """Where each `MIN_RUN`-character window of a text occurs."""

    def __init__(self, text: str, *, table: bool = True) -> None:
        """`table=False` scans with `str.find` instead: cheaper for a few short strings."""
        self.text = text
        self._grams: dict[str, list[int]] | None = None
        if table and len(text) <= MAX_INDEXED:
            grams: dict[str, list[int]] = {}
            for i in range(len(text) - MIN_RUN + 1):
                grams.setdefault(text[i : i + MIN_RUN], []).append(i)
            self._grams = grams

    def occurrences(self, window: str) -> list[int]:
        if self._grams is not None:
            return self._grams.get(window, [])
        out, i = [], self.text.find(window)
        while i >= 0:
            out.append(i)
            i = self.text.find(window, i + 1)
        return out

    def revealed(self, value: str) -> list[Span]:
        """Article spans covered by runs of `value` of at least MIN_RUN characters."""
        spans: list[Span] = []
        for i in range(len(value) - MIN_RUN + 1):
            for at in self.occurrences(value[i : i + MIN_RUN]):
                spans.append((at, at + MIN_RUN))
        return merge(spans)

    def first_leak(self, value: str, coverage: Coverage, run: int = MIN_RUN) -> int | None:
        """Start of the first `run`-character window of `value` that reveals text
        outside `coverage`."""
        for i in range(len(value) - run + 1):
            window = value[i : i + run]
            if self._grams is not None and run == MIN_RUN:
                found = self.occurrences(window)
            else:
                found, at = [], self.text.find(window)
                while at >= 0:
                    found.append(at)
                    at = self.text.find(window, at + 1)
            for at in found:
                if coverage.mask[at : at + run].count(0):
                    return i
        return None


def merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


@lru_cache(maxsize=65536)
def _lemma(word: str) -> str:
    from newsfacts.ingest.morph import morph

    parses = morph().parse(word)
    return parses[0].normal_form if parses else word.lower()


def lemma_form(value: str) -> str:
    """Each word replaced by its dictionary form: the phrase's meaning without its wording."""
    return _WORD.sub(lambda m: _lemma(m.group(0)), value)


def cut(value: str, at: int, run: int = MIN_RUN) -> str:
    """`value` cut before offset `at + run - 1`, so no verbatim run survives there."""
    keep = value[: at + run - 1]
    space = keep.rfind(" ")
    if space > len(keep) // 2:
        keep = keep[:space]
    return keep.rstrip(" ,;:-–—") + ELLIPSIS


def clip(value: str) -> str:
    """A string whose source article is not at hand, cut below one verbatim run."""
    if len(value) < MIN_RUN:
        return value
    return value[: MIN_RUN - 2].rstrip() + ELLIPSIS


def safe_form(value: str, index: TextIndex, coverage: Coverage, run: int = ARG_RUN) -> str:
    """`value` itself if all it reveals is covered, else its lemmas, else cut to fit.

    Checked with runs shorter than `MIN_RUN`: pages set a phrase next to other words
    ("неделя итальянского кино" + "в Алматы"), which can complete a longer run."""
    if index.first_leak(value, coverage, run) is None:
        return value
    lemmas = lemma_form(value)
    for _ in range(8):  # each pass shortens the string; a few suffice in practice
        at = index.first_leak(lemmas, coverage, run)
        if at is None:
            return lemmas
        lemmas = cut(lemmas, at, run)
    return lemmas[: run - 1] + ELLIPSIS
