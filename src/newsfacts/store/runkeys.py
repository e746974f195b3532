"""The hashes a text's runs are stored and looked up under (`store.shown`).

Every countable run (`verbatim.windows`: 12 characters over three words, and 20) is
kept as a 64-bit hash: `text_runs` rows hold each stored text's runs, found by
their `probe` hash, and `shown_runs` rows hold what the quotable sets and entity
names show (`shown_hashes`). Hashing is numpy over a whole text at once; strings
shorter than `_VECTOR_FROM` are hashed in plain Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsfacts.policy.runhash import code_points, hash_table, run_hash, run_hashes
from newsfacts.policy.verbatim import LONG_RUN, MIN_RUN, Span, merge, window_starts, windows

# A 20-character run holding a countable 12-character one at these offsets (its
# neighbours inside too, so countable in any text holding the 20) is found by that one.
_INSIDE = range(1, LONG_RUN - MIN_RUN)
# Strings shorter than this are hashed run by run in plain Python.
_VECTOR_FROM = 80


def text_runs(text: str) -> list[tuple[int, int, int]]:
    """(start, size, hash) of every countable run of `text`, in `windows` order."""
    import numpy as np

    cps, short, long = window_starts(text)
    table = hash_table(cps.astype(np.int64), (MIN_RUN, LONG_RUN))
    out: list[tuple[int, int, int]] = []
    for size, starts in ((MIN_RUN, short), (LONG_RUN, long)):
        if len(starts):
            hashes = table[size][starts]
            out += zip(starts.tolist(), [size] * len(starts), hashes.tolist(), strict=True)
    return out


def shown_hashes(
    value: str, spans: Iterable[Span], table: dict[int, Any] | None = None
) -> set[int]:
    """The hashes of the runs each span of `value` shows (runs of the shown string,
    as a reader meets them: touching spans as one stretch, their joint's runs too),
    hashed over `value` at once (`table`: that hashing, done already by `TextRuns`)."""

    spans = [s for s in merge(s for s in spans if s[1] > s[0]) if s[1] - s[0] >= MIN_RUN]
    if not spans:
        return set()
    if len(value) < _VECTOR_FROM:  # a name, a short title: numpy's set-up costs more
        return {
            run_hash(value[a + i : a + i + n]) for a, b in spans for i, n in windows(value[a:b])
        }
    if table is None:
        table = hash_table(code_points(value), (MIN_RUN, LONG_RUN))
    out: set[int] = set()
    for a, b in spans:
        for i, size in windows(value[a:b]):
            out.add(int(table[size][a + i]))
    return out


def probe_hashes(value: str) -> list[int]:
    """`TextRuns(value).probe` as a list; a short string (a statement, ~40 characters)
    in plain Python, where numpy's set-up cost ~250 µs a statement (issue 13)."""
    if len(value) >= _VECTOR_FROM:
        return list(TextRuns(value).probe.tolist())
    found = list(windows(value))
    short = {i for i, n in found if n == MIN_RUN}
    runs = [(i, n) for i, n in found if n == MIN_RUN]
    for i, n in found:
        if n == LONG_RUN:  # probed by the nearest countable 12 inside, as `TextRuns`
            inner = next((i + d for d in _INSIDE if i + d in short), None)
            runs.append((inner, MIN_RUN) if inner is not None else (i, LONG_RUN))
    return run_hashes(value, runs)


class TextRuns:
    """The countable runs of one text as numpy arrays: start, size and hash of each,
    the hash it is found by in `text_runs` (`probe`: a 20-character run's countable
    12 strictly inside, if any, whose neighbours are inside too), and the hashes the
    text is stored under (`findable`: its 12s, and its 20s without such a 12)."""

    def __init__(self, text: str) -> None:
        import numpy as np

        cps, short, long = window_starts(text)
        self.text = text
        self.table = hash_table(cps.astype(np.int64), (MIN_RUN, LONG_RUN))
        h12, h20 = self.table[MIN_RUN], self.table[LONG_RUN]
        self.starts = np.concatenate([short, long]).astype(np.int64)
        self.sizes = np.concatenate(
            [np.full(len(short), MIN_RUN), np.full(len(long), LONG_RUN)]
        ).astype(np.int64)
        self.hashes = np.concatenate([h12[short], h20[long]]).astype(np.int64)
        is_short = np.zeros(len(text) + LONG_RUN, dtype=bool)
        is_short[short] = True
        inner = np.full(len(long), -1, dtype=np.int64)
        for d in reversed(_INSIDE):  # the nearest one wins
            inner[is_short[long + d]] = long[is_short[long + d]] + d
        has = inner >= 0
        own = h20[long]
        self.probe = np.concatenate([h12[short], np.where(has, h12[np.maximum(inner, 0)], own)])
        self.findable = set(h12[short].tolist()) | set(own[~has].tolist())


class Runs:
    """Each text's `TextRuns`, computed once per pass."""

    def __init__(self) -> None:
        self._runs: dict[str, TextRuns] = {}

    def of(self, aid: str, text: str) -> TextRuns:
        found = self._runs.get(aid)
        if found is None:
            found = self._runs[aid] = TextRuns(text)
        return found

    def table(self, aid: str, text: str) -> dict[int, Any] | None:
        """The hashes of every run of `text` if `aid`'s was hashed already as is."""
        found = self._runs.get(aid)
        return found.table if found is not None and found.text == text else None
