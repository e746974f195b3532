"""The one fixed set of an article's text that may ever be shown, chosen at ingest.

A per-response budget cannot keep a promise like "at most 30% of the article": ten
responses of 30% each can quote ten different thirds. So each article gets, once,
the spans that may ever leave the system, their union within `floor(share × len)`,
and every page, API response and export shows article text only from that set.
Whatever sequence of calls a client makes, the union of what it reads is the set.

The set is built in priority order, each piece kept only if the union still fits:
1. entity names long enough to be text (`verbatim.windows`) as they occur in the
   text (names are shown on every page);
2. the title (the text's first line), cut at a word if it does not fit whole; a
   title the text does not hold (a hand-built record) is weighed as a text of its
   own, its words that do not fit elided (`policy.title`);
3. one evidence sentence per fact, facts ranked by confidence and, within a band,
   by what their sentence adds (a sentence already in the set, or printed twice in
   the story, costs what it newly reveals), so most facts get a quote;
4. a shortened sentence for facts still without one, while room is left.
Evidence is skipped when the policy requires a link and the article has no URL.
"Fits" is judged on every article a piece reveals (`policy.overlap`): a sentence
shared by two retellings is taken only if both stay within their allowance.
Pieces that touch or overlap are one stretch of text to a reader (a quote is the
longest covered part of its evidence, `Coverage.longest_covered`), so a piece is
weighed as the whole stretch it joins: the runs across the joint count too.
The pieces are stored in order, so a stricter policy at serve time keeps a prefix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from math import floor
from typing import Any, NamedTuple

from newsfacts.model import Policy, Record
from newsfacts.policy import title as loose
from newsfacts.policy.overlap import Exposure, SharedText, single
from newsfacts.policy.verbatim import Coverage, Span, merge, windows

# 2: runs of 12 characters over three words (verbatim.windows), sets weighed across
# articles (policy.overlap); stores with older sets rebuild them on open.
# 3: what each set shows is kept as hashed runs (store.shown), filled by the rebuild.
# 4: entity names long enough to be text are stored short (policy.names); the rebuild
#    rewrites older stores' entity rows and re-chooses their sets without name pieces.
# 5: a piece is weighed with the pieces it touches (runs across their joint; a quote
#    spanning two pieces showed such runs, and their repeats elsewhere, unweighed).
VERSION = 5
# A cut-down quote shorter than this says nothing; better withheld than a stub.
MIN_QUOTE = 24
# A title cut shorter than this is not shown at all.
MIN_TITLE = 12
# A title piece with this ref: the title does not occur in the text (hand-made records),
# stored before such titles were weighed (`policy.title`): shown only when it holds
# no run of text. Titles weighed since carry their shown spans (`policy.title.encode`).
NOT_IN_TEXT = -1
# Where a stored set's first title piece starts (`QuotableSet._title_piece`).
_TITLE_START = '["title",'
_DECODER = json.JSONDecoder()
# Confidence bands: within a band the cheaper sentence goes first.
BAND = 0.1


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


@dataclass
class QuotableSet:
    """The spans of one article that may be shown, in the order they were chosen."""

    length: int
    allowance: int | None  # None: no limit (full text allowed)
    pieces: list[Piece] = field(default_factory=list)
    version: int = VERSION
    _coverage: Coverage | None = field(default=None, repr=False, compare=False)
    _near: list[str] | None = field(default=None, repr=False, compare=False)

    def to_json(self) -> str:
        return json.dumps([p.to_list() for p in self.pieces], separators=(",", ":"))

    @classmethod
    def from_row(cls, length: int, allowance: int | None, pieces: str, version: int) -> QuotableSet:
        """A stored set, its pieces parsed when first read (`_parse`): an entity page
        or a dossier reads the sets of its 200 articles and a page touches fewer than
        half of them (those of the cards it shows, and long aliases), issue 13."""
        out = cls(length, allowance, version=version)
        del out.pieces  # read through `__getattr__`, once
        out._raw = pieces or "[]"
        return out

    def __getattr__(self, name: str) -> Any:
        """Only `pieces` of a stored set not read yet (`from_row`) gets here."""
        raw = self.__dict__.pop("_raw", None) if name == "pieces" else None
        if raw is None:
            raise AttributeError(name)
        rows = self.__dict__.pop("_rows", None)
        self.pieces = self._parse(raw if rows is None else rows)
        return self.pieces

    def _stored_rows(self) -> list[list[Any]] | None:
        """The JSON rows of a stored set whose pieces are not built yet, parsed once;
        None when the pieces are built. `coverage` and `near` read them as they are:
        a set holds ~39 pieces, ~35 of them `near`, and building every piece was 60%
        of reading a set, for the answers that quote from it (issue 13)."""
        found = self.__dict__.get("_rows")
        if found is None:
            raw = self.__dict__.get("_raw")
            if raw is None:
                return None
            found = self.__dict__["_rows"] = json.loads(raw)
        return found

    @staticmethod
    def _parse(pieces: str | list[list[Any]]) -> list[Piece]:
        """Stored offsets are JSON integers (`to_json`), so the rows become pieces as
        they are; only a row holding anything else is converted field by field (an
        entity page parses 200 sets of ~35 pieces, most `near`, and the conversion was
        40% of that, issue 13)."""
        rows = json.loads(pieces) if isinstance(pieces, str) else pieces
        items = [Piece._make(row) for row in rows]
        if not all(type(p.start) is int and type(p.end) is int for p in items):
            items = [Piece(k, int(a), int(b), r) for k, a, b, r in rows]
        return items

    def within(self, allowance: int | None, text: str, title: str | None = None) -> QuotableSet:
        """The prefix of the pieces that fits `allowance` (a policy stricter at serve
        time than at ingest), each piece weighed as the chooser weighs it: the stretch
        it joins and every repeat of that stretch's runs in `text`; a title the text
        does not hold (`title`), by what its runs reveal of `text`."""
        if allowance is None or (self.allowance is not None and allowance >= self.allowance):
            return self
        ch = _Chooser("", text, _alone("", text, allowance, title))
        kept = [p for p in self.pieces if p.kind == "near"]
        for piece in self.pieces:
            if piece.kind == "near":
                continue
            spans = loose.decode(piece.ref) if piece.kind == "title" else None
            if spans is not None:  # kept as far as it fits; the quotes after it still may
                n = len(ch.pieces)
                if title and loose.key("") in ch.exposure.shared.texts:
                    ch.take_loose(title, None, within=spans)
                    kept += ch.pieces[n:]
                continue
            if not ch.take(piece.kind, (piece.start, piece.end), piece.ref):
                break
            kept.append(piece)
        return QuotableSet(self.length, allowance, kept, self.version)

    def stretches(self) -> list[Span]:
        """The text the set shows as a reader meets it: touching or overlapping pieces
        joined (any covered stretch can be one quote), in text order."""
        return merge((p.start, p.end) for p in self.pieces if p.end > p.start)

    def coverage(self) -> Coverage:
        if self._coverage is None:
            # `near` pieces are (0, 0): most of a set, and they cover nothing
            rows = self._stored_rows()
            if rows is None:
                spans = ((p.start, p.end) for p in self.pieces if p.end > p.start)
            else:  # the offsets as `_parse` makes them, without building the pieces
                spans = ((a, b) for a, b in ((int(r[1]), int(r[2])) for r in rows) if b > a)
            self._coverage = Coverage(self.length, spans)
        return self._coverage

    def title(self, title: str | None) -> str | None:
        """The title as far as the set holds it: whole, cut (with "…"), or None."""
        if not title or self.allowance is None:
            return title
        piece = self._title_piece()
        if piece is None:  # shown only when it holds no run of text
            return title if next(windows(title), None) is None else None
        spans = loose.decode(piece.ref)
        if spans is not None:
            return loose.render(title, spans)
        if piece.ref == NOT_IN_TEXT:  # stored unweighed: only a title holding no text
            return title if next(windows(title), None) is None else None
        shown = title[: piece.end - piece.start]
        return shown if len(shown) >= len(title) else shown.rstrip() + "…"

    def _title_piece(self) -> Piece | None:
        """The set's first title piece, read from the stored JSON alone while the
        pieces are not parsed yet: an entity page shows the titles of its 200
        sources and quotes from fewer of them (issue 13). Inside a JSON string a
        quote is escaped, so `["title",` starts the first title element and
        nothing else."""
        raw = self.__dict__.get("_raw")
        if raw is None:
            return next((p for p in self.pieces if p.kind == "title"), None)
        at = raw.find(_TITLE_START)
        if at < 0:
            return None
        row, _ = _DECODER.raw_decode(raw, at)
        return self._parse([row])[0]

    def quoted_facts(self) -> set[int]:
        return {p.ref for p in self.pieces if p.kind == "quote" and isinstance(p.ref, int)}

    def near(self) -> list[str]:
        """Articles sharing a run of text with this one (retellings), as the store's
        cross-article pass found them: wording composed later is checked on them too.
        Listed once per set (like `coverage`): a page asks it for every statement."""
        if self._near is None:
            rows = self._stored_rows()
            found = self.pieces if rows is None else rows  # (kind, start, end, ref) alike
            self._near = [str(p[3]) for p in found if p[0] == "near"]
        return list(self._near)

    def with_near(self, ids: list[str]) -> QuotableSet:
        pieces = [p for p in self.pieces if p.kind != "near"]
        pieces += [Piece("near", 0, 0, i) for i in ids]
        return QuotableSet(self.length, self.allowance, pieces, self.version)


def allowance_of(policy: Policy, length: int, granted: bool = False) -> int | None:
    """Characters of the text that may be shown in total; None when the whole text may."""
    if policy.full_text == "allowed" or (policy.full_text == "permission" and granted):
        return None
    return floor(min(max(policy.max_share, 0.0), 1.0) * length)


def title_span(record: Record) -> Span | None:
    """Where the title sits in the text (ingest makes it the first line)."""
    art = record.article
    title = (art.title or "").strip()
    if not title:
        return None
    at = art.text.find(title)
    return (at, at + len(title)) if at >= 0 else None


def candidate_spans(record: Record) -> list[Span]:
    """Every span `choose` may take a piece from (each piece lies inside one): the
    occurrences of entity names, the title, the facts' evidence. The store looks up
    only these in other texts (`store.shown.scope`)."""
    text = record.article.text
    n = len(text)
    out: list[Span] = []
    for ent in record.entities:
        at = text.find(ent.name) if ent.name else -1
        while at >= 0:
            out.append((at, at + len(ent.name)))
            at = text.find(ent.name, at + 1)
    title = title_span(record)
    if title:
        out.append(title)
    for fact in record.facts:
        out += [(max(0, a), min(n, b)) for a, b in fact.evidence if min(n, b) > max(0, a)]
    return out


class _Chooser:
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


def choose(
    record: Record, policy: Policy, *, has_url: bool, exposure: Exposure | None = None
) -> QuotableSet:
    """The quotable set of `record` under `policy` (grants are applied when serving).

    `exposure`: what the sets of other stored articles already reveal (the store's
    cross-article pass); alone, the article is measured against itself only."""
    text = record.article.text
    allowance = allowance_of(policy, len(text))
    if allowance is None:
        return QuotableSet(len(text), None)
    aid, heading = record.article.id, record.article.title
    hand = heading if heading and loose.loose(heading, text) else None
    if exposure is None:
        exposure = _alone(aid, text, allowance, hand)
    else:
        exposure.allowances[aid] = allowance
    ch = _Chooser(aid, text, exposure)
    for ent in sorted(record.entities, key=lambda e: (-len(e.mentions), e.id)):
        if next(windows(ent.name), None) is None:  # a name or a term, not text
            continue
        at = text.find(ent.name)
        while at >= 0:
            ch.take("name", (at, at + len(ent.name)))
            at = text.find(ent.name, at + 1)
    title = title_span(record)
    weighed = hand is not None and loose.key(aid) in exposure.shared.texts
    first: list[Span] = []
    if weighed and hand:  # a pass that did not hold the title shows none of it
        first = ch.take_loose(hand, max(MIN_TITLE, ch.room() // 3))
    if title:
        # A short article's share would go to its title alone: the title first gets a
        # third of the room (enough to recognise it), the rest after the quotes.
        cap = (title[0], title[0] + max(MIN_TITLE, ch.room() // 3))
        first = title if title[1] <= cap[1] else cap
        if not ch.take("title", first):
            ch.take_cut("title", first, MIN_TITLE)
    if has_url or not policy.link_required:
        _quotes(ch, record)
    if title:
        _widen_title(ch, title)
    if weighed and hand and first != loose.whole(hand):
        _widen_loose(ch, hand, first)
    return QuotableSet(len(text), allowance, ch.pieces)


def _alone(aid: str, text: str, allowance: int | None, title: str | None) -> Exposure:
    """The exposure of one article alone, with its title when the text does not hold
    it (`policy.title`): the title's runs in the text count against it."""
    if not title or not loose.loose(title, text):
        return single(aid, text, allowance)
    return Exposure(SharedText({aid: text, loose.key(aid): title}), {aid: allowance})


def _widen_loose(ch: _Chooser, title: str, first: list[Span]) -> None:
    """Give a loose title what room the quotes left, in place of its first form (the
    first form's runs stay counted: what is chosen after it is weighed conservatively)."""
    at = next((i for i, p in enumerate(ch.pieces) if p.kind == "title"), None)
    n = len(ch.pieces)
    wider = ch.take_loose(title, None)
    if len(ch.pieces) == n or loose.kept(wider) <= loose.kept(first):
        del ch.pieces[n:]
        return
    piece = ch.pieces.pop()
    if at is None:
        ch.pieces.insert(
            next((i for i, p in enumerate(ch.pieces) if p.kind != "name"), len(ch.pieces)), piece
        )
    else:
        ch.pieces[at] = piece


def _widen_title(ch: _Chooser, title: Span) -> None:
    """Give the title what room the quotes left, in place of its first piece."""
    at = next((i for i, p in enumerate(ch.pieces) if p.kind == "title"), None)
    if at is None or ch.pieces[at].end >= title[1]:
        return
    if ch.take("title", title) or ch.take_cut("title", title, ch.pieces[at].end - title[0] + 1):
        ch.pieces[at] = ch.pieces.pop()


def _quotes(ch: _Chooser, record: Record) -> None:
    n = len(record.article.text)
    # Nothing is taken until the candidates are ranked, so each span's cost is
    # weighed once for picking and ranking (half the `reveals` calls of a set).
    costs: dict[Span, int] = {}

    def cost(span: Span) -> int:
        if span not in costs:
            costs[span] = ch.cost(span)
        return costs[span]

    candidates: list[tuple[int, Span]] = []
    for seq, fact in enumerate(record.facts):
        spans = [(max(0, a), min(n, b)) for a, b in fact.evidence if min(n, b) > max(0, a)]
        if spans:
            candidates.append((seq, min(spans, key=cost)))

    def rank(item: tuple[int, Span]) -> tuple[int, int, int]:
        seq, span = item
        band = -int(float(record.facts[seq].confidence) / BAND + 1e-9)
        return (band, cost(span), seq)

    left = []
    for seq, span in sorted(candidates, key=rank):
        if not ch.take("quote", span, seq):
            left.append((seq, span))
    for seq, span in left:
        if ch.room() < MIN_QUOTE:
            break
        ch.take_cut("quote", span, MIN_QUOTE, seq)
