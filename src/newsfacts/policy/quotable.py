"""The one fixed set of an article's text that may ever be shown, chosen at ingest.

A per-response budget cannot keep a promise like "at most 30% of the article": ten
responses of 30% each can quote ten different thirds. So each article gets, once,
the spans that may ever leave the system, their union within `floor(share × len)`,
and every page, API response and export shows article text only from that set.
Whatever sequence of calls a client makes, the union of what it reads is the set.

`policy.choose` picks the pieces; this module holds the set as it is stored and
read. The pieces are stored in the order they were chosen, so a stricter policy at
serve time keeps a prefix (`QuotableSet.within`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from math import floor
from typing import Any

from newsfacts.model import Policy
from newsfacts.policy import title as loose
from newsfacts.policy.chooser import Chooser, Piece, alone
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
# A title piece with this ref: the title does not occur in the text (hand-made records),
# stored before such titles were weighed (`policy.title`): shown only when it holds
# no run of text. Titles weighed since carry their shown spans (`policy.title.encode`).
NOT_IN_TEXT = -1
# Where a stored set's first title piece starts (`QuotableSet._title_piece`).
_TITLE_START = '["title",'
_DECODER = json.JSONDecoder()


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
        ch = Chooser("", text, alone("", text, allowance, title))
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
