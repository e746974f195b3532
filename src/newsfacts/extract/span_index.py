"""Indexes that keep the entity passes linear in the length of the text.

The entity layer asks two questions over and over: "does this span overlap a mention
already taken?" and "which known people could this name word belong to?". Asked of a
plain list, each answer costs a scan of everything found so far, so a long text with
many names took quadratic time (issue 12: 400k characters took 122 s and 0.96 GB).
These answer the same questions with the same results, in time proportional to the
span or to the few names that share a first letter.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable
from typing import Generic, TypeVar

Span = tuple[int, int]
T = TypeVar("T")


class Taken:
    """Character spans claimed by mentions: a coverage map of the text.

    `overlaps(span)` is true when some claimed span shares at least one character
    with `span` (what `any(a < e and s < b for s, e in spans)` says of non-empty
    spans); it costs the length of `span`, whatever was claimed before."""

    def __init__(self, size: int, spans: Iterable[Span] = ()) -> None:
        self._covered = bytearray(size)
        for span in spans:
            self.add(span)

    def add(self, span: Span) -> None:
        start, end = max(span[0], 0), min(span[1], len(self._covered))
        if end > start:
            self._covered[start:end] = b"\x01" * (end - start)

    def overlaps(self, span: Span) -> bool:
        start, end = max(span[0], 0), min(span[1], len(self._covered))
        return end > start and self._covered.find(1, start, end) != -1


def initial(word: str) -> str:
    """The bucket of a name word: its first letter, lower case, ё as е.

    `names.stem_match(a, b)` holds only when `b` starts with a stem of `a` that is
    at least one letter long, or when the two are equal, so two words it pairs
    always share this letter."""
    return word.lower().replace("ё", "е")[:1]


class ByInitial(Generic[T]):
    """Items filed under the initial of a name word, each bucket in insertion order,
    so a scan of one bucket meets matches in the order a scan of all items would."""

    def __init__(self) -> None:
        self._buckets: dict[str, list[T]] = {}

    def add(self, word: str, item: T) -> None:
        self._buckets.setdefault(initial(word), []).append(item)

    def get(self, word: str) -> list[T]:
        return self._buckets.get(initial(word), [])


class LastBefore:
    """The latest start before an offset among one entity's mentions, by bisection."""

    def __init__(self) -> None:
        self._starts: dict[int, list[int]] = {}

    def add(self, key: int, start: int) -> None:
        insort(self._starts.setdefault(key, []), start)

    def get(self, key: int, offset: int) -> int:
        starts = self._starts.get(key, [])
        i = bisect_left(starts, offset)
        return starts[i - 1] if i else -1
