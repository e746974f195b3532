"""Text that articles share, and what all quotable sets together reveal of each one.

Retellings of one story share sentences, and a run shown as article A's quote also
reveals article B wherever B holds the same characters. A client combining every
response reads the union over all articles' sets, so the guarantee is per article
over that union: the *exposure* of B (its own set, plus every run of any other
article's set that occurs in B) stays within B's allowance (issue 12).

`SharedText` finds, for a group of texts, every countable run (`verbatim.windows`)
that occurs more than once, within one text or across texts. `Exposure` keeps each
article's revealed offsets and answers whether showing one more span keeps every
article it touches within its allowance. The chooser (`policy.chooser`) takes a
span only when it does, so sets chosen one after another, each against the
exposure left by those before, keep the union within every share.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from typing import Any

from newsfacts.policy.runhash import code_points, hash_table
from newsfacts.policy.verbatim import (
    _NUMPY_FROM,
    LONG_RUN,
    MIN_RUN,
    Coverage,
    Span,
    merge,
    window_starts,
    windows,
)

Reveal = dict[str, list[Span]]


class SharedText:
    """Every countable run occurring more than once in a group of texts."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        # Most runs occur once: only runs whose hash repeats (`_maybe_repeated`, all
        # texts hashed at once with numpy) are compared as strings, in the order
        # `windows` lists them, so the groups are those (and in the order) of listing
        # every run's places (issue 13: slicing and counting every run of every text
        # as a string was most of the pass's time).
        found = _maybe_repeated(texts)
        counts = Counter(run for _, wins in found for _, run in wins)
        places: dict[str, list[tuple[str, int]]] = {}
        for aid, wins in found:
            for start, run in wins:
                if counts[run] > 1:
                    places.setdefault(run, []).append((aid, start))
        self.groups: list[tuple[int, list[tuple[str, int]]]] = []
        self.at: dict[str, dict[int, list[int]]] = {}
        self.linked: set[str] = set()
        self._starts: dict[str, list[int]] = {}
        for window, where in places.items():
            gid = len(self.groups)
            self.groups.append((len(window), where))
            owners = {aid for aid, _ in where}
            if len(owners) > 1:
                self.linked.update(owners)
            for aid, i in where:
                self.at.setdefault(aid, {}).setdefault(i, []).append(gid)

    def neighbours(self, aid: str) -> set[str]:
        """The other articles sharing at least one countable run with `aid`."""
        out: set[str] = set()
        for gids in self.at.get(aid, {}).values():
            for gid in gids:
                out.update(other for other, _ in self.groups[gid][1])
        out.discard(aid)
        return out

    def reveals(self, aid: str, span: Span) -> Reveal:
        """What showing `span` of `aid` reveals: the span itself, and every occurrence
        (in `aid` or any other text) of each countable run inside it."""
        a, b = span
        out: Reveal = {aid: [span]}
        at = self.at.get(aid)
        if not at or b - a < MIN_RUN:
            return out
        # Each run's occurrences once per call: a run repeated all along a long word
        # ("жжж…", 2,000 letters) is one group of ~2,000 places met at each of ~2,000
        # offsets, and listing them at every offset made saving that article cost
        # minutes (issue 12). The spans are a union, so listing a run once is the same.
        listed: set[int] = set()
        starts = self._starts.get(aid)
        if starts is None:  # offsets where a repeated run starts, sorted, once per text
            starts = self._starts[aid] = sorted(at)
        for i in starts[bisect_left(starts, a) : bisect_right(starts, b - MIN_RUN)]:
            for gid in at[i]:
                size, where = self.groups[gid]
                if i + size > b or gid in listed:
                    continue
                listed.add(gid)
                for other, j in where:
                    out.setdefault(other, []).append((j, j + size))
        return out


class Exposure:
    """The offsets of each article revealed so far, against its allowance."""

    def __init__(self, shared: SharedText, allowances: dict[str, int | None]) -> None:
        self.shared = shared
        self.allowances = allowances
        self.cov = {aid: Coverage(len(text)) for aid, text in shared.texts.items()}

    def room(self, aid: str) -> int:
        allowance = self.allowances.get(aid)
        if allowance is None:
            return len(self.shared.texts[aid])
        return allowance - self.cov[aid].size()

    def fits(self, reveal: Reveal) -> bool:
        for aid, spans in reveal.items():
            if self.allowances.get(aid) is None:
                continue
            if self.cov[aid].cost(spans) > self.room(aid):
                return False
        return True

    def add(self, reveal: Reveal) -> None:
        for aid, spans in reveal.items():
            cov = self.cov[aid]
            for span in spans:
                cov.add(span)

    def show(self, aid: str, spans: Iterable[Span]) -> None:
        """Count pieces already chosen (a stored set) as revealed: touching pieces as
        the one stretch a reader meets (the runs across their joint count too)."""
        for span in merge(spans):
            self.add(self.shared.reveals(aid, span))

    def over(self, aid: str) -> bool:
        allowance = self.allowances.get(aid)
        return allowance is not None and self.cov[aid].size() > allowance


def _maybe_repeated(texts: dict[str, str]) -> list[tuple[str, list[tuple[int, str]]]]:
    """Per text, in `windows` order, the (start, run) of each countable run whose
    hash occurs more than once over all `texts` (equal runs hash alike, so every run
    occurring twice is among them; a collision only adds a run the caller counts)."""
    import numpy as np

    spots: list[tuple[str, int, Any, Any]] = []  # aid, offset in the joined text, starts
    chunks: list[str] = []
    at = 0
    for aid, text in texts.items():
        if len(text) < MIN_RUN:
            continue
        if len(text) < _NUMPY_FROM:  # `windows` lists short strings in plain Python
            wins = list(windows(text))
            short = np.array([i for i, n in wins if n == MIN_RUN], dtype=np.int64)
            long = np.array([i for i, n in wins if n == LONG_RUN], dtype=np.int64)
        else:
            _, short, long = window_starts(text)
        spots.append((aid, at, short, long))
        chunks.append(text)
        at += len(text)
    if not spots:
        return []
    cps = code_points("".join(chunks))
    table = hash_table(cps, (MIN_RUN, LONG_RUN))
    repeats: dict[int, Any] = {}
    for k, size in enumerate((MIN_RUN, LONG_RUN)):
        where = np.concatenate([off + starts[k] for _, off, *starts in spots])
        hashes = table[size][where]
        _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
        repeats[size] = counts[inverse] > 1
    out: list[tuple[str, list[tuple[int, str]]]] = []
    seen = {MIN_RUN: 0, LONG_RUN: 0}
    for aid, _, short, long in spots:
        text = texts[aid]
        wins: list[tuple[int, str]] = []
        for size, starts in ((MIN_RUN, short), (LONG_RUN, long)):
            first = seen[size]
            seen[size] = first + len(starts)
            hit = starts[repeats[size][first : seen[size]]].tolist()
            wins += [(i, text[i : i + size]) for i in hit]
        if wins:
            out.append((aid, wins))
    return out


def single(aid: str, text: str, allowance: int | None) -> Exposure:
    """The exposure of one article alone (its own repeated runs still count twice)."""
    return Exposure(SharedText({aid: text}), {aid: allowance})
