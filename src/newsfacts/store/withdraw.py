"""What the cross-article pass takes back from other articles' sets to make room.

When the sets of other articles already reveal more of a changed article than its
share (`store.quotable.reconcile`), their lowest-priority pieces revealing it go
first, one at a time until it fits. A piece counts with the stretch it shows with
the pieces it touches. A title its text does not hold (`policy.title`) is not
dropped whole: it is elided, inside what it showed, until no run of it reveals the
article (the analyst keeps what of the headline reveals nothing of that text).
"""

from __future__ import annotations

from newsfacts.policy import title as loose
from newsfacts.policy.chooser import MIN_TITLE
from newsfacts.policy.overlap import SharedText
from newsfacts.policy.quotable import Piece, QuotableSet


def without(
    sets: dict[str, QuotableSet], other: str, at: int, aid: str, shared: SharedText
) -> QuotableSet:
    """`other`'s set without its piece `at`, or with it elided if it is a loose
    title (weighed as `policy.title.key(other)` in `shared`), to make room for `aid`."""
    qs = sets[other]
    keep = qs.pieces[:at] + qs.pieces[at + 1 :]
    spans = loose.decode(qs.pieces[at].ref) if qs.pieces[at].kind == "title" else None
    title = shared.texts.get(loose.key(other))
    if spans is not None and title:
        narrower = _elide_for(aid, title, spans, shared, loose.key(other))
        if narrower:
            keep.insert(at, Piece("title", 0, 0, loose.encode(narrower)))
    return QuotableSet(qs.length, qs.allowance, keep, qs.version)


def last_revealing(
    aid: str,
    by_rank: list[str],
    sets: dict[str, QuotableSet],
    shared: SharedText,
    skip: set[str],
) -> tuple[str, int] | None:
    """The lowest-priority piece of another article that reveals text of `aid`, as
    part of the stretch it shows with the pieces it touches (`QuotableSet.stretches`)."""
    near = shared.neighbours(aid)
    for other in by_rank:
        tk = loose.key(other)
        if other == aid or other in skip or (other not in near and tk not in near):
            continue
        pieces = sets[other].pieces
        stretches = sets[other].stretches()
        for at in range(len(pieces) - 1, -1, -1):
            piece = pieces[at]
            spans = loose.decode(piece.ref) if piece.kind == "title" else None
            if spans is not None and tk in shared.texts:
                if any(aid in shared.reveals(tk, s) for s in spans):
                    return other, at
                continue
            if piece.end <= piece.start:
                continue
            whole = next(s for s in stretches if s[0] <= piece.start and piece.end <= s[1])
            if aid in shared.reveals(other, whole):
                return other, at
    return None


def loose_spans(qs: QuotableSet) -> list[tuple[int, int]]:
    """The shown spans of a set's loose title (`policy.title`), or []."""
    for p in qs.pieces:
        if p.kind == "title":
            return loose.decode(p.ref) or []
    return []


def _elide_for(
    aid: str, title: str, spans: list[tuple[int, int]], shared: SharedText, tk: str
) -> list[tuple[int, int]]:
    """A loose title (pseudo-text `tk`), inside what it showed, elided until no run of
    it reveals `aid`; [] when too little is left to recognise it."""
    kept = loose.elide(title, lambda s: aid not in shared.reveals(tk, s), lambda s: None, spans)
    return kept if loose.usable(title, kept, MIN_TITLE) else []
