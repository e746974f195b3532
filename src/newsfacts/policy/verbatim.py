"""What a displayed string reveals of an article's text, and how to show it revealing less.

The reuse policy limits how much of the article anyone can *read*, whatever field it
comes in: a quote, a title, a topic copied from a sentence, an entity alias. A shown
string reveals the article's text where a *run* of it occurs there verbatim:

- any `MIN_RUN` (12) characters that touch at least `MIN_WORDS` (3) words, or
- any `LONG_RUN` (20) characters, whatever they touch,
each from a letter (or digit) to a letter (or digit).

Why: three words in the article's own order are a phrase of its text ("Досаев и
посол", "центра креативных индустрий"); one or two words are a name or a term
("Ерболат Досаев", "креативных индустрий"), which facts must be able to show. Twelve
characters keep three one-letter words ("и в г") from counting; twenty characters
catch long two-word runs ("Министерства иностранных") as the older measure did, so
this one counts everything that one counted and more. `revealed` maps a string to
the article offsets its runs cover (every occurrence, so a sentence printed twice in
the story is revealed twice), and `Coverage` keeps the union of what an article may
ever show. The crawl (`policy.measure`) counts with the same `windows`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

Span = tuple[int, int]

# The shortest run counted as verbatim text, and the words it must touch.
MIN_RUN = 12
MIN_WORDS = 3
# A run this long counts whatever it touches.
LONG_RUN = 20
RUNS = (MIN_RUN, LONG_RUN)
# Above this the per-window `str.find` scan replaces the n-gram table (memory).
MAX_INDEXED = 400_000
ELLIPSIS = "…"
# The run checked in phrases shown outside quotes (arguments, aliases): any 12
# characters, words or not, since a page may set the phrase next to other words.
ARG_RUN = 12

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def countable(window: str) -> bool:
    """Whether a run of text this long counts as verbatim reuse (see the module doc)."""
    if len(window) >= LONG_RUN:
        return True
    return len(window) >= MIN_RUN and next(windows(window[:MIN_RUN]), None) is not None


def windows(value: str) -> Iterator[tuple[int, int]]:
    """(start, length) of every countable window of `value`: each `MIN_RUN` window
    touching `MIN_WORDS` words and each `LONG_RUN` window from a letter to a letter.
    Their union is what a string showing `value` can reveal of any text holding the
    same characters.

    Every window starts and ends inside a word: a space, a line break or a full stop
    next to a name adds nothing a reader learns. A one-letter piece at a window's
    edge is not counted as a word: it may be the first letter of any word ("Саидов
    п" matches "Саидов персона" and "Саидов подчеркнул").

    All `MIN_RUN` windows come first, then all `LONG_RUN` windows, each in order of
    start. Long strings are scanned with numpy (every text, every set and the crawl
    call this: issue 12, `choose` spent half its time here); short ones (names,
    phrases) in plain Python, where numpy's set-up would cost more. Both give the
    same windows (tests/policy/test_verbatim_windows.py)."""
    if len(value) < MIN_RUN:
        return iter(())
    if LONG_RUN < len(value) <= _REMEMBERED:
        short, long = _starts(value)
        return chain(zip(short, repeat(MIN_RUN)), zip(long, repeat(LONG_RUN)))
    if len(value) < _NUMPY_FROM:
        return _windows_py(value)
    return iter(_windows_np(value))


# Strings at least this long are scanned with numpy.
_NUMPY_FROM = 64
# Strings up to this long (statements, arguments, titles) keep their windows.
_REMEMBERED = 256


@lru_cache(maxsize=2048)
def _starts(value: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The starts of `value`'s `MIN_RUN` and `LONG_RUN` windows, remembered: a page
    asks for each statement's windows 3-4 times (its article, the edge strings of
    `hyphen_edged`, the run index's look-up, `is_text`) and for an argument's once
    per article showing it (issue 13). Starts below 256 are Python's shared small
    integers, so an entry costs ~8 bytes a window."""
    wins = _windows_py(value) if len(value) < _NUMPY_FROM else _windows_np(value)
    short: list[int] = []
    long: list[int] = []
    for start, size in wins:
        (short if size == MIN_RUN else long).append(start)
    return tuple(short), tuple(long)


def _windows_py(value: str) -> Iterator[tuple[int, int]]:
    n = len(value)
    # word characters (hyphens between letters join words)
    word = [c.isalnum() for c in value]
    for i in range(1, n - 1):
        if value[i] == "-" and word[i - 1] and word[i + 1]:
            word[i] = True
    starts = [0] * (n + 1)  # starts[i]: word starts in value[:i]
    for i in range(n):
        starts[i + 1] = starts[i] + (word[i] and (i == 0 or not word[i - 1]))
    for i in range(n - MIN_RUN + 1):
        j = i + MIN_RUN
        touched = starts[j] - starts[i + 1] + word[i]
        touched -= word[i] and not word[i + 1]  # one letter at the left edge
        touched -= word[j - 1] and not word[j - 2]  # one letter at the right edge
        if touched >= MIN_WORDS and word[i] and word[j - 1]:
            yield i, MIN_RUN
    for i in range(n - LONG_RUN + 1):
        if word[i] and word[i + LONG_RUN - 1]:
            yield i, LONG_RUN


@lru_cache(maxsize=1)
def _alnum_table() -> Any:
    """isalnum of every code point of the Basic Multilingual Plane, as a numpy table."""
    import numpy as np

    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def _word_mask(value: str, cps: Any) -> Any:
    import numpy as np

    word = _alnum_table()[np.minimum(cps, 0xFFFF)]
    high = np.nonzero(cps > 0xFFFF)[0]
    for i in high.tolist():  # outside the table: rare (emoji, old scripts)
        word[i] = value[i].isalnum()
    hyphen = cps == ord("-")
    word[1:-1] |= hyphen[1:-1] & word[:-2] & word[2:]
    return word


def window_starts(value: str) -> tuple[Any, Any, Any]:
    """The code points of `value` and the starts of its `MIN_RUN` and `LONG_RUN`
    windows, as numpy arrays (what `windows` lists, for vectorised callers)."""
    import numpy as np

    n = len(value)
    cps = np.frombuffer(value.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if n < MIN_RUN:
        empty = np.zeros(0, dtype=np.int64)
        return cps, empty, empty
    word = _word_mask(value, cps)
    first = word.copy()
    first[1:] &= ~word[:-1]
    starts = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(first, out=starts[1:])
    i = np.arange(n - MIN_RUN + 1)
    j = i + MIN_RUN
    w = word.astype(np.int32)
    touched = starts[j] - starts[i + 1] + w[i]
    touched -= w[i] & ~w[i + 1] & 1
    touched -= w[j - 1] & ~w[j - 2] & 1
    short = np.nonzero((touched >= MIN_WORDS) & word[i] & word[j - 1])[0]
    long = np.zeros(0, dtype=np.int64)
    if n >= LONG_RUN:
        long = np.nonzero(word[: n - LONG_RUN + 1] & word[LONG_RUN - 1 :])[0]
    return cps, short, long


def _windows_np(value: str) -> list[tuple[int, int]]:
    _, short, long = window_starts(value)
    return [(k, MIN_RUN) for k in short.tolist()] + [(k, LONG_RUN) for k in long.tolist()]


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
    """Where each countable window (`windows`) of a text occurs."""

    def __init__(self, text: str, *, table: bool = True) -> None:
        """`table=False` scans with `str.find` instead: cheaper for a few short strings."""
        self.text = text
        self._grams: dict[str, list[int]] | None = None
        if table and len(text) <= MAX_INDEXED:
            grams: dict[str, list[int]] = {}
            for i, size in windows(text):
                grams.setdefault(text[i : i + size], []).append(i)
            self._grams = grams

    def occurrences(self, window: str) -> list[int]:
        if self._grams is not None:
            return self._grams.get(window, [])
        out, i = [], self.text.find(window)
        while i >= 0:
            out.append(i)
            i = self.text.find(window, i + 1)
        return out

    def revealed(self, value: str, wins: Iterable[tuple[int, int]] | None = None) -> list[Span]:
        """Text spans covered by the countable runs of `value`, every occurrence;
        `wins` is `windows(value)` when the caller already has it."""
        spans: list[Span] = []
        text, grams = self.text, self._grams
        for i, size in windows(value) if wins is None else wins:
            window = value[i : i + size]
            if grams is not None:
                if countable(window):
                    spans.extend((at, at + size) for at in grams.get(window, ()))
                continue
            # `occurrences` inlined: most windows are not in the text, and a page runs
            # ~10^6 of these look-ups (issue 13).
            at = text.find(window)
            while at >= 0:
                spans.append((at, at + size))
                at = text.find(window, at + 1)
        return merge(spans)

    def first_leak(self, value: str, coverage: Coverage, run: int = ARG_RUN) -> int | None:
        """Start of the first `run`-character window of `value` (any words) that
        reveals text outside `coverage`."""
        text, mask = self.text, coverage.mask
        for i in range(len(value) - run + 1):
            window = value[i : i + run]
            at = text.find(window)
            while at >= 0:  # each occurrence checked as found, none listed first
                if mask[at : at + run].count(0):
                    return i
                at = text.find(window, at + 1)
        return None


def hyphen_edged(value: str) -> list[str]:
    """Strings that a text holding a countable run of `value` (`windows`) starting or
    ending with a hyphen holds too: the `MIN_RUN` characters from that hyphen on, or
    up to it (one per edge, however many runs share it).

    A hyphen is part of a word only between two letters, so the same characters in
    another text ("… -западный край …" for "северо-западный край") need not be a
    countable run there: a look-up of runs by hash (`store.runlookup.holding`) does not
    find that text, and a wording check looks for these strings themselves (issue 13).
    Every other run of `value` is a countable run of any text holding it: whether a
    character belongs to a word depends only on its neighbours, inside the run."""
    out: set[str] = set()
    for i, n in windows(value):
        if value[i] == "-":
            out.add(value[i : i + MIN_RUN])
        if value[i + n - 1] == "-":
            out.add(value[i + n - MIN_RUN : i + n])
    return sorted(out)


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
    from newsfacts.nlp.morph import morph

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


def clip_phrase(label: str) -> str:
    """A label "kind: names — <phrase from a text> (period)" whose article is not at
    hand (KB events): the phrase cut below one verbatim run, the names kept."""
    head, sep, tail = label.partition(" — ")
    if sep:
        return f"{head}{sep}{clip(tail)}"
    return label if ":" in label else clip(label)


def is_text(value: str) -> bool:
    """Whether `value` is long enough to reveal text (holds a countable run)."""
    return next(windows(value), None) is not None


def lacks_own_run(text: str, value: str) -> bool:
    """Whether `value` holds a countable run (`windows`) that `text` does not: then
    showing it beside `text`'s article can repeat some other text's words."""
    return any(text.find(value[i : i + n]) < 0 for i, n in windows(value))


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
