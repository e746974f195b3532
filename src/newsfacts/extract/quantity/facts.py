"""`quantities(doc)`: figures to quantity facts, one sentence at a time, in named steps.

Per sentence: find the figures, qualify the levels, pair ranges ("с 10 до 15 млн"),
attach each change to its level, then give each level (and each change with no level)
its indicator, subjects and period. A count's noun carries over to the next sentence
("их число составляет 280").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from newsfacts.extract.numbers import find_amounts
from newsfacts.extract.quantity.base import (
    COUNT_HEADS,
    CURRENCY_UNITS,
    MEASURES,
    Figure,
    IndicatorHit,
    Tok,
    tokens_between,
)
from newsfacts.extract.quantity.changes import (
    YEAR_BEFORE_RE,
    attach_changes,
    change_dict,
    period_near,
)
from newsfacts.extract.quantity.figures import (
    FOOTER_RE,
    MULT_WORD_RE,
    PHONE_RE,
    TIME_RE,
    clause_around,
    pair_ranges,
    previous_clause,
    qualify_levels,
    sentence_figures,
)
from newsfacts.extract.quantity.hits import find_indicators
from newsfacts.extract.quantity.modality import modality
from newsfacts.extract.quantity.phrases import count_indicator, elided_complement
from newsfacts.extract.quantity.pick import (
    WORTH_RE,
    immediate_hit,
    named_after,
    noun_before_na,
    pick,
    usable_hits,
)
from newsfacts.extract.quantity.shares import (
    ANNUAL_RE,
    UNDER_RE,
    owner_share,
    rate_indicator,
    share_of,
)
from newsfacts.extract.quantity.subjects import find_subjects, is_country_id
from newsfacts.extract.quantity.syntax import (
    attached,
    indicator_text,
    inside_argument,
    syntactic_indicator,
)
from newsfacts.model import Fact, Span
from newsfacts.pipeline import Doc

_THEIR_RE = re.compile(r"(?:^|\s)(?:их|таких|этих)\s+(?:общее\s+)?$", re.I)

# A count a later sentence may refer to ("их число"): unit, "число ...", subjects.
_Count = tuple[str, str, list[str]]


@dataclass
class _Sentence:
    """One sentence's figures and hits, handed from step to step."""

    doc: Doc
    sent: Span
    toks: list[Tok]
    figures: list[Figure]
    morph: Any
    hits: list[IndicatorHit] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)  # the figures' own spans
    used_dates: set[int] = field(default_factory=set)  # ids of dates a change compares to
    heads: list[tuple[int, str]] = field(default_factory=list)  # (figure start, its head)


def quantities(doc: Doc) -> list[Fact]:
    """All quantity facts of a doc that has been through "natasha" (and, ideally, "dates")."""
    from newsfacts.nlp.natasha_pipe import analyse, models

    if doc.nlp is None:
        doc.nlp = analyse(doc.text, syntax=False)
    morph = models().morph_vocab
    text = doc.text
    blocked: list[Span] = [(d.start, d.end) for d in doc.dates]
    blocked += [m.span() for m in PHONE_RE.finditer(text)]
    blocked += [m.span() for m in TIME_RE.finditer(text)]
    all_toks = doc.nlp.tokens
    starts = [t.start for t in all_toks]
    facts: list[Fact] = []
    prev_count: _Count | None = None
    for sent in doc.sentences():
        if FOOTER_RE.search(text, sent[0], sent[1]):
            continue  # "разрешено использование лишь 30% текста": reuse terms, not news
        amounts = find_amounts(text[sent[0] : sent[1]])
        if not amounts and not MULT_WORD_RE.search(text, sent[0], sent[1]):
            continue
        toks = tokens_between(all_toks, starts, *sent)
        figures = sentence_figures(text, sent, toks, amounts, blocked)
        if not figures:
            continue
        ctx = _Sentence(doc, sent, toks, figures, morph)
        qualify_levels(text, sent, figures)
        pair_ranges(text, sent, figures)
        ctx.spans = [(f.amount.start, f.amount.end) for f in figures]
        ctx.hits = find_indicators(doc, toks, ctx.spans)
        levels = [f for f in figures if f.role == "level"]
        standalone = attach_changes(doc, sent, figures, levels, ctx.used_dates)
        for f in levels + standalone:
            fact, prev_count = _figure_fact(ctx, f, prev_count)
            if fact is not None:
                facts.append(fact)
    return facts


def _figure_fact(
    ctx: _Sentence, f: Figure, prev_count: _Count | None
) -> tuple[Fact | None, _Count | None]:
    """A level's (or a standalone change's) fact, and the count a later "их число" means.

    The fact is None for a bare number: nothing says what it measures.
    """
    doc, toks, sent, text, a = ctx.doc, ctx.toks, ctx.sent, ctx.doc.text, f.amount
    clause = clause_around(text, sent, a.start)
    f.clause = clause
    f.prev_clause = previous_clause(text, sent, clause, a.start)
    hit = _hit(ctx, f, clause)
    indicator = _tree_indicator(ctx, f, hit)
    # "ВРП Алматы": the indicator is not a subject even when NER tags it.
    subjects = find_subjects(
        doc, toks, clause, sent, ctx.spans + [(h.start, h.end) for h in ctx.hits]
    )
    if (
        f.role == "level" and f.unit is None and hit is not None
        and hit.noun_lemma and hit.head in COUNT_HEADS
    ):  # fmt: skip
        f.unit = hit.noun_lemma  # "число рейсов выросло с 14 до 21"
        if f.change is not None and f.change.get("unit") is None:
            f.change["unit"] = f.unit
    count_unit = f.unit not in CURRENCY_UNITS and f.unit not in {"%", "п.п.", "x"}
    if (
        f.role == "level" and f.unit is None and hit is not None
        and hit.text in COUNT_HEADS and prev_count is not None
        and _THEIR_RE.search(text[max(sent[0], hit.start - 20) : hit.start])
    ):  # fmt: skip
        # "их число составляет 280": the noun counted just before.
        f.unit = prev_count[0]
        indicator = prev_count[1].replace("число", hit.text, 1)
        subjects = subjects + [
            s for s in prev_count[2] if s not in subjects and is_country_id(doc, s)
        ]
    if indicator is None and f.noun is not None and count_unit and f.unit not in MEASURES:
        indicator = count_indicator(ctx.morph, f.noun, f.adjs, toks)
    indicator = _percent_or_worth(ctx, f, hit, clause, indicator)
    indicator = _elided(ctx, f, hit, indicator)
    if f.role == "level" and f.unit is None and indicator is None:
        return None, prev_count  # a bare number: nothing says what it measures
    fact = _fact(ctx, f, clause, hit, indicator, subjects)
    if f.role == "level" and f.noun is not None and count_unit and f.unit:
        prev_count = (f.unit, count_indicator(ctx.morph, f.noun, f.adjs, toks), subjects)
    return fact, prev_count


def _hit(ctx: _Sentence, f: Figure, clause: Span) -> IndicatorHit | None:
    """The lexicon hit (or verb) the figure measures: a money word right after it, a
    word right before it, the tree's attachment, then the nearest in its clause."""
    text, a = ctx.doc.text, f.amount
    usable = usable_hits(text, ctx.hits, f, ctx.figures, ctx.toks)
    return (
        named_after(usable, text, f)
        or immediate_hit(usable, text, a.start)
        or attached(ctx.doc, ctx.toks, f, usable)
        or pick(usable, clause, a.start, text=text)
    )


def _tree_indicator(ctx: _Sentence, f: Figure, hit: IndicatorHit | None) -> str | None:
    """The hit's indicator, unless natasha's tree names a better one."""
    doc, toks = ctx.doc, ctx.toks
    indicator = indicator_text(doc, toks, f, hit) if hit else None
    if hit is not None and inside_argument(doc, toks, f, hit):
        # "Дефицит (республиканского бюджета) составит": the lexicon word is a
        # complement of the noun the figure is about.
        indicator = syntactic_indicator(doc, toks, f) or indicator
    if (
        indicator is None
        and (f.role == "change" or f.unit is not None)
        and (f.noun is None or f.unit in MEASURES)
    ):
        # No lexicon word: the noun the figure's verb is about.
        indicator = syntactic_indicator(doc, toks, f)
    return indicator


def _percent_or_worth(
    ctx: _Sentence, f: Figure, hit: IndicatorHit | None, clause: Span, indicator: str | None
) -> str | None:
    """Rates and shares name a percentage; money "на" a sum is what things are worth."""
    doc, toks, sent, text, a = ctx.doc, ctx.toks, ctx.sent, ctx.doc.text, f.amount
    if f.unit == "%" and (
        ANNUAL_RE.match(text, a.end) or UNDER_RE.search(text, max(sent[0], a.start - 25), a.start)
    ):
        # "до 18% годовых", "ипотека под 7%": a rate, named by what the rate is
        # (spec, decision 4); "годовых" names no share.
        named = indicator if hit is None or not hit.money else None
        indicator = rate_indicator(text, sent, ctx.hits, a.start, named)
    elif (
        f.role == "level"
        and f.unit == "%"
        and (hit is None or not (clause[0] <= hit.start < a.start))
    ):
        share = owner_share(doc, toks, f) or share_of(toks, a.end, ctx.spans)
        if share:
            indicator = share  # "не менее 30% закупок госкомпаний"
    if (
        indicator is None
        and f.role == "level"
        and f.unit in CURRENCY_UNITS
        and WORTH_RE.search(text, max(sent[0], a.start - 25), a.start)
        and noun_before_na(toks, a.start)
    ):
        indicator = "стоимость"  # "реализовали 15 проектов на 700 млн евро"
    return indicator


def _elided(
    ctx: _Sentence, f: Figure, hit: IndicatorHit | None, indicator: str | None
) -> str | None:
    """ ", а газа — 60 млрд": an earlier figure's head with this figure's genitive."""
    a = f.amount
    if hit is not None and hit.verb is None and not hit.bare and hit.tok is not None:
        ctx.heads.append((a.start, hit.head))
    elided = elided_complement(ctx.doc.text, ctx.toks, ctx.sent, a.start)
    earlier = [h for h in ctx.heads if h[0] < a.start]
    if elided and earlier:
        # "добыча нефти составит 90 млн тонн, а газа — 60 млрд кубометров"
        indicator = f"{max(earlier)[1]} {elided}"
    return indicator


def _fact(
    ctx: _Sentence,
    f: Figure,
    clause: Span,
    hit: IndicatorHit | None,
    indicator: str | None,
    subjects: list[str],
) -> Fact:
    """The fact's args (see the package docstring's conventions), period and confidence."""
    doc, sent, text, a = ctx.doc, ctx.sent, ctx.doc.text, f.amount
    period = period_near(doc, sent, clause, a.start, ctx.used_dates)
    if f.role == "change":
        args: dict[str, Any] = {
            "indicator": indicator, "subjects": subjects, "value": None,
            "unit": None, "qualifier": None,
        }  # fmt: skip
        args["change"] = change_dict(f)
    else:
        args = {
            "indicator": indicator, "subjects": subjects, "value": a.value,
            "unit": f.unit, "qualifier": f.qualifier,
        }  # fmt: skip
        if f.change is not None:
            args["change"] = f.change
    args["value_span"] = [a.start, a.end]  # the figure itself, inside the evidence
    if period is not None:
        args["period"] = period.value
        if not period.resolved:
            args["period_resolved"] = False
        elif f.role == "level" and YEAR_BEFORE_RE.match(text, a.end, sent[1]):
            # "1,2 млн против 400 тыс. годом ранее": the compared figure is the
            # year before the sentence's period.
            args["period"] = re.sub(r"\d{4}", lambda m: str(int(m[0]) - 1), period.value)
    conf = 0.55
    conf += 0.15 if hit is not None else 0.0
    conf += 0.1 if f.unit in CURRENCY_UNITS or f.unit == "%" else 0.0
    conf += 0.05 if period is not None else 0.0
    conf += 0.05 if subjects else 0.0
    return Fact(
        "quantity",
        args,
        evidence=[sent],
        confidence=min(conf, 0.95),
        modality=modality(text, sent, a.start, ctx.morph),
        extractor="quantity",
    )  # fmt: skip
