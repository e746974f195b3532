"""`quantities(doc)`: figures to quantity facts, one sentence at a time, in named steps.

Per sentence: find the figures, qualify the levels, pair ranges ("с 10 до 15 млн"),
attach each change to its level, then give each level (and each change with no level)
its indicator, subjects and period. A count's noun carries over to the next sentence
("их число составляет 280").
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from newsfacts.extract.numbers import (
    find_amounts,
    measure_of,
    qualifier_after,
    qualifier_before,
    to_base,
)
from newsfacts.extract.quantity.base import (
    COUNT_HEADS,
    CURRENCY_UNITS,
    MEASURES,
    Figure,
    tokens_between,
)
from newsfacts.extract.quantity.figures import (
    FOOTER_RE,
    FROM_RE,
    MULT_WORD_RE,
    PHONE_RE,
    TIME_RE,
    TMT_CONTEXT_RE,
    TO_RE,
    TRIGGER_RE,
    YEAR_BEFORE_RE,
    change_dict,
    classify,
    clause_around,
    compared_period,
    counted_noun,
    multiplier_words,
    period_near,
    previous_clause,
    share_elided_unit,
    skip_amount,
)
from newsfacts.extract.quantity.hits import find_indicators
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
    prev_count: tuple[str, str, list[str]] | None = None  # unit, "число ...", subjects
    for sent in doc.sentences():
        if FOOTER_RE.search(text, sent[0], sent[1]):
            continue  # "разрешено использование лишь 30% текста": reuse terms, not news
        amounts = find_amounts(text[sent[0] : sent[1]])
        if not amounts and not MULT_WORD_RE.search(text, sent[0], sent[1]):
            continue
        toks = tokens_between(all_toks, starts, *sent)
        figures: list[Figure] = []
        for a in amounts:
            a = replace(a, start=a.start + sent[0], end=a.end + sent[0],
                        number_end=a.number_end + sent[0])  # fmt: skip
            if skip_amount(text, a, blocked):
                continue
            if (
                a.unit == "AZN"
                and TMT_CONTEXT_RE.search(text)
                and not re.search(r"азербайджан", text[a.start : a.end + 20] + text, re.I)
            ):
                a.unit = "TMT"  # a bare "манат" in a story about Turkmenistan
            f = Figure(a, unit=a.unit)
            rest = text[a.end : sent[1]]
            measure = measure_of(rest.lstrip()) if f.unit is None else None
            if measure is not None:
                f.unit = measure[0]  # "120 км", "2,5 млн кв. м"
                f.unit_end = a.end + len(rest) - len(rest.lstrip()) + measure[1]
            elif f.unit is None:
                f.noun, f.adjs = counted_noun(toks, a.end)
                if f.noun is not None:
                    f.unit = f.noun.lemma
            classify(text, sent, f)
            figures.append(f)
        figures += multiplier_words(text, sent)
        figures.sort(key=lambda f: f.amount.start)
        if not figures:
            continue
        # Qualifiers and counted nouns of levels.
        for f in figures:
            if f.role != "level":
                continue
            a = f.amount
            clause = clause_around(text, sent, a.start)
            f.qualifier = qualifier_before(text[clause[0] : a.start]) or qualifier_after(
                text[a.end : sent[1]]
            ) or "eq"  # fmt: skip
            if f.qualifier == "le" and TO_RE.search(text[clause[0] : a.start]):
                # "вырос до 15 млн", "понизил ставку на 0,5 п.п. — до 10%": "до" gives
                # the new level, not a bound.
                head = text[max(sent[0], a.start - 90) : a.start]
                if TRIGGER_RE.search(head) or re.search(r"достиг|доведен|довест", head, re.I):
                    f.qualifier = "eq"
        # "с 10 до 15 млн": the first figure is where the level started.
        levels = [f for f in figures if f.role == "level"]
        for x, y in zip(levels, levels[1:], strict=False):
            between = text[x.amount.end : y.amount.start]
            if (
                x.unit is None and y.unit is not None and not x.amount.scaled
                and re.fullmatch(r"\s*(?:до|[-–—])\s*", between)
            ):  # fmt: skip
                # "от 200 до 250 млн евро", "2-3% рынка": the first bound shares the
                # scale and unit of the second.
                x.amount.value = to_base(x.amount.value * y.amount.scale)
                x.unit = y.unit
                x.noun, x.adjs = y.noun, y.adjs
            if re.fullmatch(r"\s*[-–—]\s*", between) and x.qualifier == "eq":
                x.qualifier, y.qualifier = "ge", "le"
            if FROM_RE.search(text[sent[0] : x.amount.start]) and re.fullmatch(
                r"\s*до\s*", between
            ):
                x.role = "from"
                if y.unit is None:
                    y.unit = x.unit
                if x.unit is None:
                    x.unit = y.unit
                y.qualifier = "eq"
                y.change = {"value": y.amount.value - x.amount.value, "unit": y.unit,
                            "against": None}  # fmt: skip
        share_elided_unit(text, levels)
        spans = [(f.amount.start, f.amount.end) for f in figures]
        hits = find_indicators(doc, toks, spans)
        used_dates: set[int] = set()
        # Attach changes to the nearest level of the sentence (before it, else after).
        levels = [f for f in figures if f.role == "level"]
        changes = [f for f in figures if f.role == "change"]
        standalone: list[Figure] = []
        for c in changes:
            before = [lv for lv in levels if lv.amount.start < c.amount.start]
            after = [lv for lv in levels if lv.amount.start > c.amount.start]
            target = before[-1] if before else (after[0] if after else None)
            start_from = (
                target.amount.end if target and target.amount.end < c.amount.start else sent[0]
            )
            c.against = compared_period(doc, c, sent, start_from)
            if c.against is not None:
                used_dates.add(id(c.against))
            if target is None or target.change is not None:
                standalone.append(c)
            else:
                if c.change_unit is None:
                    c.change_unit = target.unit  # "1200 рабочих мест, что на 300 больше"
                target.change = change_dict(c)
        heads: list[tuple[int, str]] = []  # (figure start, head of its indicator)
        for f in levels + standalone:
            a = f.amount
            clause = clause_around(text, sent, a.start)
            f.clause = clause
            f.prev_clause = previous_clause(text, sent, clause, a.start)
            usable = usable_hits(text, hits, f, figures, toks)
            hit = (
                named_after(usable, text, f)
                or immediate_hit(usable, text, a.start)
                or attached(doc, toks, f, usable)
                or pick(usable, clause, a.start, text=text)
            )
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
            # "ВРП Алматы": the indicator is not a subject even when NER tags it.
            subjects = find_subjects(
                doc, toks, clause, sent, spans + [(h.start, h.end) for h in hits]
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
                indicator = count_indicator(morph, f.noun, f.adjs, toks)
            if f.unit == "%" and (
                ANNUAL_RE.match(text, a.end)
                or UNDER_RE.search(text, max(sent[0], a.start - 25), a.start)
            ):
                # "до 18% годовых", "ипотека под 7%": a rate, named by what the rate is
                # (spec, decision 4); "годовых" names no share.
                named = indicator if hit is None or not hit.money else None
                indicator = rate_indicator(text, sent, hits, a.start, named)
            elif (
                f.role == "level"
                and f.unit == "%"
                and (hit is None or not (clause[0] <= hit.start < a.start))
            ):
                share = owner_share(doc, toks, f) or share_of(toks, a.end, spans)
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
            if hit is not None and hit.verb is None and not hit.bare and hit.tok is not None:
                heads.append((a.start, hit.head))
            elided = elided_complement(text, toks, sent, a.start)
            earlier = [h for h in heads if h[0] < a.start]
            if elided and earlier:
                # "добыча нефти составит 90 млн тонн, а газа — 60 млрд кубометров"
                indicator = f"{max(earlier)[1]} {elided}"
            if f.role == "level" and f.unit is None and indicator is None:
                continue  # a bare number: nothing says what it measures
            period = period_near(doc, sent, clause, a.start, used_dates)
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
            facts.append(
                Fact(
                    "quantity",
                    args,
                    evidence=[sent],
                    confidence=min(conf, 0.95),
                    extractor="quantity",
                )  # fmt: skip
            )
            if f.role == "level" and f.noun is not None and count_unit and f.unit:
                prev_count = (f.unit, count_indicator(morph, f.noun, f.adjs, toks), subjects)
    return facts
