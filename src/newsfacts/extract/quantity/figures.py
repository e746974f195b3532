"""Figures: which numbers count, levels vs changes, qualifiers, ranges.

A level is "товарооборот составил 13,5 млн долларов"; a change is "вырос на 12,5%",
"в 2 раза", "вдвое" or "рост составил 5%"; "с 10 до 15 млн" makes the first figure
where the level started and the difference its change. Dates, phone numbers, clock
times, references ("статья 205") and titles are not figures.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsfacts.extract.numbers import Amount, measure_of, qualifier_after, qualifier_before, to_base
from newsfacts.extract.quantity.base import NOT_UNITS, Figure, Tok
from newsfacts.model import Span

_INCREASE = (
    r"вырос|выросл|вырас|выраст|возрос|увелич|рост|прирост|повыс|повыш|подня|превыс|прибав|подорож|"
    r"укрепи|расшир|нарасти|нарост|ускор|проиндекс|индексир|индексац"
)
_DECREASE = (
    r"сниз|сниж|пониз|пониж|сократ|сокращ|уменьш|упал|упад|падени|подешев|ослаб|потер|замедл|обвал|"
    r"опусти|просел|просед"
)
TRIGGER_RE = re.compile(rf"(?<![а-яё])(?:(?P<up>{_INCREASE})|(?P<down>{_DECREASE}))[а-яё]*", re.I)
_AFTER_CMP_RE = re.compile(r"^\s*(?:(?P<up>больше|выше)|(?P<down>меньше|ниже))\b", re.I)
_TIMES_RE = re.compile(r"^\s*раз(?:а)?\b", re.I)
_NA_RE = re.compile(r"(?:^|\s)на\s*$", re.I)
_V_RE = re.compile(r"(?:^|\s)в\s*$", re.I)
_SOSTAVIL_RE = re.compile(
    r"(?:(?P<up>рост|прирост)|(?P<down>снижени|сокращени|падени))[а-яё]*"
    r"(?:\s+[^\s,.;]+){0,3}\s+состав[а-яё]+\s*$",
    re.I,
)
TO_RE = re.compile(r"(?:^|\s)до\s*$", re.I)
FROM_RE = re.compile(r"(?:^|\s)с\s*$", re.I)


_CLAUSE_BREAK_RE = re.compile(r"[;:]\s|,\s|\s[–—-]\s|\(|\)")
PHONE_RE = re.compile(
    r"(?:\+\s?\d[\d\s()-]{7,}\d|\(\d{3,5}\)\s?\d[\d\s-]{4,}\d|\b\d{2,3}-\d{2}-\d{2}\b)"
)
TIME_RE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\s*(?:час|ч\b|мин|мск|по\s+москов)|\b\d{1,2}:\d{2}\b", re.I
)


FOOTER_RE = re.compile(
    r"гиперссылк|при\s+(?:использовании|перепечатке|цитировании)\s+(?:полного\s+)?материал"
    r"|использование\s+(?:лишь\s+|не\s+более\s+)?\d+\s*%\s+текста",
    re.I,
)
_REFERENCE_RE = re.compile(
    r"(?:(?<![а-яё])(?:стать|част|пункт|подпункт|глав|раздел|параграф|приложени)[а-яё]*"
    r"|(?<![а-яё])(?:ст|ч|п|пп|гл)\.|№)\s*$",
    re.I,
)


TMT_CONTEXT_RE = re.compile(r"туркмен", re.I)


def clause_around(text: str, sent: Span, offset: int) -> Span:
    """The comma/dash-delimited stretch of the sentence around `offset`."""
    s, e = sent
    start, end = s, e
    for m in _CLAUSE_BREAK_RE.finditer(text, s, e):
        if m.end() <= offset:
            start = m.end()
        elif m.start() >= offset:
            end = m.start()
            break
    return start, end


def skip_amount(text: str, a: Amount, blocked: list[Span]) -> bool:
    """Dates, phone numbers, clock times, ordinals ("30-летию"), model names ("Ан-124")."""
    if any(a.start < e and s < a.number_end for s, e in blocked):
        return True
    if _REFERENCE_RE.search(text, max(0, a.start - 12), a.start):
        return True  # "части 1 статьи 205", "№ 5", "пункт 3": references, not figures
    before = text[max(0, a.start - 2) : a.start]
    if before[-1:] in {"«", '"', "“"}:
        return True  # «16 тонн», «5 мыслей об индустрии»: a title, not a figure
    if (
        before[-1:].isalpha()
        or before[-1:] in {"№", "#"}
        or re.search(r"[A-Za-zА-Яа-яЁё]-$", before)
    ):
        return True
    after = text[a.number_end : a.number_end + 3]
    return bool(re.match(r"-?[А-Яа-яЁёA-Za-z]", after) and not re.match(r"\s", after))


def counted_noun(toks: list[Tok], end: int) -> tuple[Tok | None, list[Tok]]:
    """The noun a figure counts and its adjectives: "100 (крупных) предприятий"."""
    adjs: list[Tok] = []
    for t in toks:
        if t.start < end:
            continue
        if t.pos == "ADJ" and len(adjs) < 3 and t.text[:1].islower():
            adjs.append(t)
            continue
        if t.pos == "NOUN" and t.lemma not in NOT_UNITS and t.text[:1].islower():
            return t, adjs
        return None, []
    return None, []


_ELLIPTIC_RE = re.compile(
    r"\s*(?:(?:до|на|в|к)\s+)?(?:(?:около|порядка|почти|примерно|более|менее|свыше|"
    r"не\s+менее|не\s+более)\s+)?",
    re.I,
)


def previous_clause(text: str, sent: Span, clause: Span, pos: int) -> Span | None:
    """The stretch before a clause that is only the figure ("— до 22 440 рублей")."""
    if not _ELLIPTIC_RE.fullmatch(text, clause[0], pos):
        return None
    last = None
    for m in _CLAUSE_BREAK_RE.finditer(text, sent[0], clause[0]):
        if m.end() == clause[0]:
            last = m
    if last is None or last.group().strip() in {"(", ")"}:
        return None
    return clause_around(text, sent, last.start())


def classify(text: str, sent: Span, f: Figure) -> None:
    """Mark changes ("на 12,5%", "в 2 раза", "рост составил 5%") and their direction."""
    a = f.amount
    prefix = text[sent[0] : a.start]
    suffix = text[a.end : sent[1]]
    clause_start = clause_around(text, sent, a.start)[0]
    # The change verb must be in the figure's clause ("экспорт вырос, а контракты
    # подписаны на 5 млрд" is no change), unless the clause is elliptical: "ВРП вырос
    # на 6,2%, а объём производства — на 4%".
    window_start = clause_start
    if re.fullmatch(r"\s*(?:на|в)\s*", text[clause_start : a.start], re.I):
        window_start = max(sent[0], a.start - 90)
    window = text[window_start : a.start]
    if _NA_RE.search(prefix):
        cmp_after = _AFTER_CMP_RE.match(suffix)
        trig = None
        for m in TRIGGER_RE.finditer(window):
            trig = m
        if cmp_after or trig:
            f.role = "change"
            down = cmp_after.group("down") if cmp_after else trig.group("down")  # type: ignore[union-attr]
            f.sign = -1 if down else 1
            f.change_unit = f.unit
            if trig is not None:
                f.trigger_start = window_start + trig.start()
            return
    if _V_RE.search(prefix) and _TIMES_RE.match(text[a.number_end : sent[1]]):
        trig = None
        for m in TRIGGER_RE.finditer(window):
            trig = m
        cmp_after = _AFTER_CMP_RE.match(
            text[a.number_end : sent[1]][_TIMES_RE.match(text[a.number_end : sent[1]]).end() :]
        )  # type: ignore[union-attr]
        if trig or cmp_after:
            f.role = "change"
            down = (trig.group("down") if trig else None) or (
                cmp_after.group("down") if cmp_after else None
            )
            f.sign = -1 if down else 1
            f.change_unit = "x"
            if trig is not None:
                f.trigger_start = window_start + trig.start()
            return
    m = _SOSTAVIL_RE.search(text[clause_start : a.start])
    if m and f.unit in {"%", "п.п."}:
        f.role = "change"
        f.sign = -1 if m.group("down") else 1
        f.change_unit = f.unit
        f.trigger_start = clause_start + m.start()


_MULT_WORDS = {"вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вдесятеро": 10}
MULT_WORD_RE = re.compile(r"(?<![а-яё])(вдвое|втрое|вчетверо|впятеро|вдесятеро)(?![а-яё])", re.I)


def multiplier_words(text: str, sent: Span) -> list[Figure]:
    """ "вырос вдвое", "втрое меньше": a factor change written as one word."""
    out = []
    for m in MULT_WORD_RE.finditer(text, sent[0], sent[1]):
        window_start = max(sent[0], m.start() - 90)
        trig = None
        for t in TRIGGER_RE.finditer(text, window_start, m.start()):
            trig = t
        after = _AFTER_CMP_RE.match(text[m.end() : sent[1]])
        if trig is None and after is None:
            continue
        down = (after.group("down") if after else None) or (trig.group("down") if trig else None)
        amount = Amount(m.start(), m.end(), _MULT_WORDS[m.group(1).lower()], None, False, m.end())
        f = Figure(amount, role="change", sign=-1 if down else 1, change_unit="x")
        f.trigger_start = trig.start() if trig else None
        out.append(f)
    return out


_VERSUS_RE = re.compile(
    r"(?:против|вместо|(?:по\s+сравнению|в\s+сравнении)\s+с|(?:a|а)\s+не)\s*$", re.I
)


def share_elided_unit(text: str, levels: list[Figure]) -> None:
    """ "принял 1,2 млн туристов против 400 тыс. годом ранее": the compared figure
    counts the same thing, though the noun is not repeated."""
    for x, y in zip(levels, levels[1:], strict=False):
        if y.unit is not None or x.unit is None or x.noun is None:
            continue
        if not _VERSUS_RE.search(text[x.amount.end : y.amount.start]):
            continue
        if not y.amount.scaled and x.amount.scaled:
            y.amount.value = to_base(y.amount.value * x.amount.scale)
        y.unit, y.noun, y.adjs = x.unit, x.noun, x.adjs


def sentence_figures(
    text: str, sent: Span, toks: list[Tok], amounts: list[Amount], blocked: list[Span]
) -> list[Figure]:
    """The sentence's figures in text order, each with its unit and level/change role."""
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
    return figures


def qualify_levels(text: str, sent: Span, figures: list[Figure]) -> None:
    """Qualifiers of levels: "более 5 млн" is "gt"; "вырос до 15 млн" is the new level."""
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


def pair_ranges(text: str, sent: Span, figures: list[Figure]) -> None:
    """Ranges and starting points: "от 200 до 250 млн", "2-3%", "с 10 до 15 млн"."""
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
        if FROM_RE.search(text[sent[0] : x.amount.start]) and re.fullmatch(r"\s*до\s*", between):
            x.role = "from"
            if y.unit is None:
                y.unit = x.unit
            if x.unit is None:
                x.unit = y.unit
            y.qualifier = "eq"
            y.change = {"value": y.amount.value - x.amount.value, "unit": y.unit,
                        "against": None}  # fmt: skip
    share_elided_unit(text, levels)
