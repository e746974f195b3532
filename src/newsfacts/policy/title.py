"""A title its article's text does not hold (hand-built records), weighed like text.

Ingest makes the title the text's first line, so it is a span of the text and is
chosen as one (`policy.choose`). A `Record` built by hand may carry a title its
text does not hold, and such a title still reveals every text holding its runs: its
own article's (a headline paraphrasing the lead) or another stored article's (a
headline copied from a retelling). Shown whole and unweighed, it read 9 of the 33
articles of a hand-made store beyond their share (`scripts/crawl_share.py`).

So the title is weighed as a text of its own (`key`, a pseudo-article with no
allowance in `policy.overlap.SharedText`): each of its countable runs that occurs in
a text counts against that text's share, like any shown span. What does not fit is
elided a word at a time («Сагинтаев провёл … по отопительному сезону»): the analyst
keeps a recognisable title, and no run of what is shown reveals more than the shares
allow. Dropping the word where a run would cross (rather than only marking the join)
removes the text from the page, so a reader cannot join the runs back.

The set keeps the shown spans of the title string in its title piece (`encode`:
"t0:16,27:50"); the store writes their runs to `shown_runs` (kind 't') so a later
article holding them finds this one (`store.runlookup.scope`) and the cross-article pass
can elide further. An older piece with ref -1 (`NOT_IN_TEXT`, stored unweighed) is
shown only when the title holds no run of text at all, until the set is chosen again
(`newsfacts policy rebuild`, or any re-save).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsfacts.policy.verbatim import ELLIPSIS, Span

# The pseudo-article a loose title is weighed as, after its article's id.
KEY = "\x00title:"
_WORD = re.compile(r"\S+")
_EDGE = " ,;:-–—"


def key(aid: str) -> str:
    return KEY + aid


def loose(title: str | None, text: str) -> bool:
    """Whether `title` is shown but not a span of `text` (only hand-built records)."""
    stripped = (title or "").strip()
    return bool(stripped) and text.find(stripped) < 0


def encode(spans: list[Span]) -> str:
    return "t" + ",".join(f"{a}:{b}" for a, b in spans)


def decode(ref: object) -> list[Span] | None:
    """The shown spans a title piece's ref holds; None for any other ref."""
    if not isinstance(ref, str) or not ref.startswith("t"):
        return None
    out: list[Span] = []
    for part in ref[1:].split(","):
        a, _, b = part.partition(":")
        if not (a.isdigit() and b.isdigit()):
            return None
        out.append((int(a), int(b)))
    return out


def words(title: str, within: list[Span] | None = None) -> list[Span]:
    """The words of `title` (runs of non-space), those inside `within` if given."""
    found = [(m.start(), m.end()) for m in _WORD.finditer(title)]
    if within is None:
        return found
    return [w for w in found if any(a <= w[0] and w[1] <= b for a, b in within)]


def whole(title: str) -> list[Span]:
    """The spans of the title shown whole (first word to last)."""
    found = words(title)
    return [(found[0][0], found[-1][1])] if found else []


def kept(spans: list[Span]) -> int:
    return sum(b - a for a, b in spans)


def usable(title: str, spans: list[Span], minimum: int) -> bool:
    """Enough of the title is left to recognise it (`minimum` characters, or all)."""
    return bool(spans) and kept(spans) >= min(minimum, len(title.strip()))


def elide(
    title: str,
    fits: Callable[[Span], bool],
    commit: Callable[[Span], None],
    within: list[Span] | None = None,
) -> list[Span]:
    """The longest word-by-word segments of `title` (inside `within`) each of which
    `fits`, left to right; a word that would make the segment it joins not fit is
    dropped, and the next segment starts after it. `commit` is told each segment
    kept, so a caller counting what is shown sees the earlier ones."""
    out: list[Span] = []
    cur: Span | None = None
    for w in words(title, within):
        adjacent = cur is not None and title[cur[1] : w[0]].strip() == ""
        if cur is not None and adjacent and fits((cur[0], w[1])):
            cur = (cur[0], w[1])
            continue
        if cur is not None:
            commit(cur)
            out.append(cur)
            cur = None
        if adjacent:  # `w` would make the segment reveal too much: dropped
            continue
        cur = w if fits(w) else None  # after a gap or a dropped word: a new segment
    if cur is not None:
        commit(cur)
        out.append(cur)
    return out


def render(title: str, spans: list[Span]) -> str | None:
    """The title as shown: the kept segments, "…" where words were dropped."""
    if not spans or any(b > len(title) or a >= b for a, b in spans):
        return None  # stored for another title
    parts = [title[a:b].strip(_EDGE) for a, b in spans]
    parts = [p for p in parts if p]
    if not parts:
        return None
    all_words = words(title)
    shown = f" {ELLIPSIS} ".join(parts)
    if all_words and spans[0][0] > all_words[0][0]:
        shown = f"{ELLIPSIS} {shown}"
    if all_words and spans[-1][1] < all_words[-1][1]:
        shown = f"{shown}{ELLIPSIS}"
    return shown
