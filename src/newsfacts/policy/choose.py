"""Choosing an article's quotable set (`policy.quotable`) at ingest.

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
shared by two retellings is taken only if both stay within their allowance; each
piece is weighed as the whole stretch it joins (`policy.chooser`).
"""

from __future__ import annotations

from newsfacts.model import Policy, Record
from newsfacts.policy import title as loose
from newsfacts.policy.chooser import MIN_TITLE, Chooser, alone
from newsfacts.policy.overlap import Exposure
from newsfacts.policy.quotable import MIN_QUOTE, QuotableSet, allowance_of
from newsfacts.policy.verbatim import Span, windows

# Confidence bands: within a band the cheaper sentence goes first.
BAND = 0.1


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
    only these in other texts (`store.runlookup.scope`)."""
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
        exposure = alone(aid, text, allowance, hand)
    else:
        exposure.allowances[aid] = allowance
    ch = Chooser(aid, text, exposure)
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


def _widen_loose(ch: Chooser, title: str, first: list[Span]) -> None:
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


def _widen_title(ch: Chooser, title: Span) -> None:
    """Give the title what room the quotes left, in place of its first piece."""
    at = next((i for i, p in enumerate(ch.pieces) if p.kind == "title"), None)
    if at is None or ch.pieces[at].end >= title[1]:
        return
    if ch.take("title", title) or ch.take_cut("title", title, ch.pieces[at].end - title[0] + 1):
        ch.pieces[at] = ch.pieces.pop()


def _quotes(ch: Chooser, record: Record) -> None:
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
