"""Choosing among lexicon hits: which indicator a figure belongs to.

First the hits that can measure the figure at all (`usable_hits`: money words do
not measure counts, people do not measure sums); then a word right before or right
after the figure, the tree's attachment (`syntax.attached`), and finally the nearest
hit of its clause (`pick`).
"""

from __future__ import annotations

import re

from newsfacts.extract.quantity.base import (
    CURRENCY_UNITS,
    MEASURES,
    Figure,
    IndicatorHit,
    Tok,
    fold,
    index_after,
)
from newsfacts.extract.quantity.syntax import governor
from newsfacts.extract.quantity.verbs import COUNTED_OUTPUT, DEVERBAL, deverbal_display
from newsfacts.model import Span

_IMMEDIATE_RE = re.compile(
    r"\s*(?:(?:около|порядка|почти|примерно|более|менее|свыше|до|не\s+менее|не\s+более)\s+)?",
    re.I,
)


# Indicators of people: never the measure of a sum of money.
_PEOPLE_HEADS = frozenset(
    {"население", "численность", "число", "количество", "безработные", "безработица",
     "занятость", "турпоток", "туристический поток", "пассажиропоток", "посещаемость"}
)  # fmt: skip


def usable_hits(
    text: str,
    hits: list[IndicatorHit],
    f: Figure,
    figures: list[Figure],
    toks: list[Tok] | None = None,
) -> list[IndicatorHit]:
    """Indicators that can measure this figure.

    "сумма"/"стоимость" measure money, not "12 соглашений"; a verb like "посетили"
    names the count only when the counted noun does not ("15 000 человек"); a noun
    right after a percentage is its base ("47% ВВП"), not what it measures; a count
    does not reach over a figure of another unit for its indicator ("протяжённость
    5 км и 5 велопарковок").
    """
    others = [
        g.amount.start for g in figures
        if g is not f and g.role == "level" and g.unit != f.unit
    ]  # fmt: skip
    money = f.unit in CURRENCY_UNITS
    counted = (f.noun is not None or f.unit_end is not None) and f.unit not in {None, "человек"}
    out = []
    for h in hits:
        if h.generic and not money:
            continue  # "сумма", "стоимость" alone: money only
        if (
            counted
            and h.in_pp
            and not (
                f.unit in MEASURES
                and h.end <= f.amount.start
                and _IMMEDIATE_RE.fullmatch(text[h.end : f.amount.start])
            )
        ):
            # "30 рабочих на заводе по производству ...": число рабочих; but "на
            # площади около 500 кв. м" measures the area.
            continue
        if money and h.verb is None and h.head in _PEOPLE_HEADS:
            continue  # "население накопило 20 трлн тенге": people are no sum
        if h.money and (counted or (f.unit is None and f.role == "level")):
            continue  # "стоимость контракта на поставку 10 локомотивов", "пенсия в 60 лет"
        if (
            counted
            and f.noun is not None
            and h.tok is not None
            and h.tok.pos == "VERB"
            and h.tok.id
            and f.noun.head == h.tok.id
            and f.noun.rel == "nsubj"
            and f.unit not in MEASURES
        ):
            continue  # "30 компаний экспортировали продукцию": who did it, counted
        if h.case is None and h.text.startswith("число ") and f.unit != "человек":
            # "посетили 15 000 человек", "работают 300 человек": a role names a count
            # of people only; "работал с 14 лет" is no count.
            continue
        if f.unit == "%" and 0 <= h.start - f.amount.end <= 2:
            continue
        if counted and any(h.end <= o < f.amount.start for o in others):
            continue
        if h.verb is not None and (
            deverbal_display(h, f, text) is None
            or (
                counted
                and f.unit not in MEASURES
                and DEVERBAL[h.verb.lemma][1] not in COUNTED_OUTPUT
            )
            or (
                toks is not None
                and h.verb.id
                and governor(toks, f) is not h.verb
                and _worth_of_object(text, toks, f) is not h.verb
                and not (
                    # "выплавили на 5% больше стали": the verb right before the change
                    f.role == "change"
                    and re.fullmatch(r"\s+(?:на|в)\s+", text[h.verb.stop : f.amount.start])
                )
            )
        ):
            # "ввели 12 школ" is a count ("число школ"); "построить завод в 110 км от
            # города" does not measure the building: the figure must hang on the verb.
            continue
        out.append(h)
    return out


def _worth_of_object(text: str, toks: list[Tok], f: Figure) -> Tok | None:
    """ "закупил оборудование на 200 млн долларов": the verb whose object the money
    figure prices; the verb's nominal ("закупки") then names the figure."""
    if f.unit not in CURRENCY_UNITS or not WORTH_RE.search(
        text, max(0, f.amount.start - 25), f.amount.start
    ):
        return None
    by_id = {t.id: t for t in toks if t.id}
    a = f.amount
    inside = [t for t in toks if a.start <= t.start < a.end]
    ids = {t.id for t in inside}
    top = next((t for t in inside if t.id and t.head not in ids), None)
    noun = by_id.get(top.head) if top is not None else None
    if noun is None or noun.pos != "NOUN" or noun.rel != "obj":
        return None
    verb = by_id.get(noun.head)
    return verb if verb is not None and verb.pos == "VERB" else None


def named_after(hits: list[IndicatorHit], text: str, f: Figure) -> IndicatorHit | None:
    """ "заработала 5 млрд тенге чистой прибыли", "привлечь 2 млрд евро инвестиций": a
    money word in the genitive right after the sum names it, whatever the verb."""
    if f.unit not in CURRENCY_UNITS:
        return None
    for h in hits:
        after = h.start >= f.amount.end and not text[f.amount.end : h.start].strip()
        if after and h.verb is None and h.case == "Gen":
            return h
    return None


def immediate_hit(hits: list[IndicatorHit], text: str, pos: int) -> IndicatorHit | None:
    """ "площадью 20 тыс. кв. м", "стоимостью около 50 млрд": a word right before the
    figure, not in a prepositional phrase, is what it measures, whatever the tree says."""
    for h in hits:
        if not h.in_pp and h.end <= pos and _IMMEDIATE_RE.fullmatch(text[h.end : pos]):
            return h
    return None


def pick(
    hits: list[IndicatorHit], clause: Span, pos: int, gap: int = 30, text: str | None = None
) -> IndicatorHit | None:
    """The indicator a figure belongs to.

    In its clause, the nearest before it; then close after it ("13,5 млн долларов
    составил товарооборот", but not "30 инициатив для выведения отношений на новый
    уровень"); then anywhere before it in the sentence. Words inside a prepositional
    phrase ("доля малого бизнеса в ВВП", "тариф для населения") and a bare
    "сумма"/"стоимость" are used only when nothing else is there.
    """
    if text is not None:
        # "стоимостью около 50 млрд долларов": a word right before the figure, not in a
        # prepositional phrase, is what it measures, however generic.
        immediate = immediate_hit(hits, text, pos)
        if immediate is not None:
            return immediate
    pools = (
        [h for h in hits if not h.generic and not h.in_pp],
        [h for h in hits if not h.generic],
        hits,
    )
    for pool in pools:
        found = _pick_from(pool, clause, pos, gap)
        if found is not None:
            return found
    return None


def _pick_from(hits: list[IndicatorHit], clause: Span, pos: int, gap: int) -> IndicatorHit | None:
    cs, ce = clause
    in_clause = [h for h in hits if h.start >= cs and h.end <= ce]
    before = [h for h in in_clause if h.end <= pos]
    if before:
        return max(before, key=lambda h: h.end)
    after = [h for h in in_clause if pos <= h.start <= pos + gap]
    if after:
        return min(after, key=lambda h: h.start)
    before = [h for h in hits if h.end <= pos]
    if before:
        return max(before, key=lambda h: h.end)
    return None


# Money "на" a sum, with nothing else saying what it measures, is what things are worth.
WORTH_RE = re.compile(
    r"(?:^|\s)на\s+(?:(?:около|порядка|почти|примерно|более|свыше|менее|до)\s+)?$", re.I
)


def noun_before_na(toks: list[Tok], pos: int) -> bool:
    """ "15 проектов на 700 млн евро" (things worth it), not "оштрафован на 15 тыс."."""
    k = index_after(toks, pos) - 1
    while k >= 0 and toks[k].pos in {"ADV", "ADP"} and fold(toks[k].text) != "на":
        k -= 1  # "на около", "на более чем"
    return k >= 1 and fold(toks[k].text) == "на" and toks[k - 1].pos == "NOUN"
