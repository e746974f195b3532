"""What taking one piece of an article's text would reveal, and taking it if it fits.

`Chooser` holds the pieces taken so far for one article and an `Exposure` (what the
sets of other articles already reveal, `policy.overlap`). A piece is weighed as the
whole stretch it joins: pieces that touch or overlap are one stretch of text to a
reader (a quote is the longest covered part of its evidence,
`Coverage.longest_covered`), so the runs across the joint count too. `policy.choose`
picks an article's pieces with it; `QuotableSet.within` keeps with it the prefix of
a stored set that a stricter policy allows.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from newsfacts.policy import title as loose
from newsfacts.policy.overlap import Exposure, SharedText, single
from newsfacts.policy.verbatim import Coverage, Span

# A title cut shorter than this is not shown at all.
MIN_TITLE = 12


class Piece(NamedTuple):
    """One span of the set. A named tuple rather than a frozen dataclass: a stored set
    is parsed into ~30 of them (most `near`), a page parses 200 sets, and a frozen
    dataclass's `__init__` cost three times as much as the tuple's (issue 13)."""

    kind: str  # name | title | quote | near (0, 0, the id of an article sharing text)
    start: int
    end: int
    ref: int | str | None = None  # fact seq for quotes, article id for near

    def to_list(self) -> list[Any]:
        return [self.kind, self.start, self.end, self.ref]


class Chooser:
    """Takes pieces of one article while every article they reveal stays within its
    allowance (`exposure` holds what other articles' sets already reveal)."""

    def __init__(self, aid: str, text: str, exposure: Exposure) -> None:
        self.aid = aid
        self.text = text
        self.exposure = exposure
        self.pieces: list[Piece] = []
        self.shown = Coverage(len(self.text))  # the union of the pieces taken

    def stretch(self, span: Span) -> Span:
        """`span` joined with the pieces it touches or overlaps: what it would show."""
        mask = self.shown.mask
        a, b = max(0, span[0]), min(len(mask), span[1])
        if b <= a:
            return span
        return mask.rfind(0, 0, a) + 1, (len(mask) if (end := mask.find(0, b)) < 0 else end)

    def revealed(self, span: Span) -> dict[str, list[Span]]:
        """What showing `span` reveals, counting the runs across its joints with the
        pieces it touches (a reader sees one stretch: issue 12)."""
        return self.exposure.shared.reveals(self.aid, self.stretch(span))

    def cost(self, span: Span) -> int:
        return self.exposure.cov[self.aid].cost(self.revealed(span)[self.aid])

    def room(self) -> int:
        return self.exposure.room(self.aid)

    def take(self, kind: str, span: Span, ref: int | None = None) -> bool:
        reveal = self.revealed(span)
        if not self.exposure.fits(reveal):
            return False
        self.exposure.add(reveal)
        self.pieces.append(Piece(kind, span[0], span[1], ref))
        self.shown.add(span)
        return True

    def take_loose(
        self, title: str, cap: int | None, within: list[Span] | None = None
    ) -> list[Span]:
        """Take a title the text does not hold (`policy.title`), weighed as the
        pseudo-text `policy.title.key(aid)`: its words left to right while what they
        reveal of every text fits, and of this article's text at most `cap`; a word
        that does not fit is elided. Returns the spans of `title` kept (a piece only
        when enough is left to recognise it)."""
        tk = loose.key(self.aid)
        spent = [0]

        def fits(span: Span) -> bool:
            reveal = self.exposure.shared.reveals(tk, span)
            if not self.exposure.fits(reveal):
                return False
            own = self.exposure.cov[self.aid].cost(reveal.get(self.aid, []))
            return cap is None or spent[0] + own <= cap

        def commit(span: Span) -> None:
            reveal = self.exposure.shared.reveals(tk, span)
            spent[0] += self.exposure.cov[self.aid].cost(reveal.get(self.aid, []))
            self.exposure.add(reveal)

        spans = loose.elide(title, fits, commit, within)
        if loose.usable(title, spans, MIN_TITLE):
            self.pieces.append(Piece("title", 0, 0, loose.encode(spans)))
        return spans

    def take_cut(self, kind: str, span: Span, minimum: int, ref: int | None = None) -> bool:
        """The longest word-bounded prefix of `span` that fits, if at least `minimum`."""
        a, b = span
        end = min(b, a + self.room())
        while end - a >= minimum:
            space = self.text.rfind(" ", a, end)
            cut = space if space > a + (end - a) // 2 else end
            cut = a + len(self.text[a:cut].rstrip(" ,;:-–—"))
            if cut - a >= minimum and self.take(kind, (a, cut), ref):
                return True
            end = cut - 1
        return False


def alone(aid: str, text: str, allowance: int | None, title: str | None) -> Exposure:
    """The exposure of one article alone, with its title when the text does not hold
    it (`policy.title`): the title's runs in the text count against it."""
    if not title or not loose.loose(title, text):
        return single(aid, text, allowance)
    return Exposure(SharedText({aid: text, loose.key(aid): title}), {aid: allowance})
