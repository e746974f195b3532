"""Changes and periods: which level a change belongs to, and which dates go where.

A change is attached to the nearest level of its sentence (before it, else after);
"с 10 до 15 млн" already gave the level its change. A change's compared period
(`against`) is a date after a comparison cue ("по сравнению с 2022 годом") or
between its verb and the figure; a figure's own period is the nearest date of its
clause, else of its sentence, a date used as `against` excepted.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.extract.quantity.base import Figure
from newsfacts.model import Span
from newsfacts.pipeline import Doc, TimeExpr

_CMP_CUE_RE = re.compile(
    r"(?:по\s+сравнению\s+с|в\s+сравнении\s+с|относительно|против|чем|к\s+уровню|"
    r"от\s+уровня|(?:(?:аналогичн[а-яё]+|т[еоа][мйг]?\s+же)\s+)?(?:показател|период|уровн)[а-яё]*"
    r"|к)\s*$",
    re.I,
)


def _change_value(f: Figure) -> int | float:
    v = f.amount.value
    if f.change_unit == "x":
        return round(1 / v, 4) if f.sign < 0 and v else v
    return -v if f.sign < 0 else v


def compared_period(doc: Doc, f: Figure, sent: Span, start_from: int) -> TimeExpr | None:
    """The compared period of a change: a date near it, after a comparison cue."""
    text = doc.text
    best = None
    for d in doc.dates_in(*sent):
        if d.start < start_from:
            continue
        cue = _CMP_CUE_RE.search(text[max(sent[0], d.start - 40) : d.start])
        between = f.trigger_start is not None and f.trigger_start <= d.start < f.amount.start
        if cue or between:
            dist = abs(d.start - f.amount.start)
            if best is None or dist < abs(best.start - f.amount.start):
                best = d
    return best


def period_near(doc: Doc, sent: Span, clause: Span, pos: int, used: set[int]) -> TimeExpr | None:
    dates = [d for d in doc.dates_in(*sent) if id(d) not in used]
    cs, ce = clause
    same = [d for d in dates if d.start >= cs and d.end <= ce]
    if same:
        return min(same, key=lambda d: abs(d.start - pos))
    before = [d for d in dates if d.end <= pos]
    if before:
        return max(before, key=lambda d: d.end)
    after = [d for d in dates if d.start >= pos]
    return min(after, key=lambda d: d.start) if after else None


YEAR_BEFORE_RE = re.compile(
    r"\s*(?:[а-яё]+\s+){0,2}?(?:годом\s+(?:ранее|раньше)|год\s+назад|в\s+предыдущем\s+году)",
    re.I,
)


def change_dict(c: Figure) -> dict[str, Any]:
    return {
        "value": _change_value(c),
        "unit": c.change_unit,
        "against": c.against.value if c.against is not None else None,
    }


def attach_changes(
    doc: Doc, sent: Span, figures: list[Figure], levels: list[Figure], used_dates: set[int]
) -> list[Figure]:
    """Attach changes to the nearest level of the sentence (before it, else after).

    Returns the changes left standalone: no level, or the level already has a change.
    """
    changes = [f for f in figures if f.role == "change"]
    standalone: list[Figure] = []
    for c in changes:
        before = [lv for lv in levels if lv.amount.start < c.amount.start]
        after = [lv for lv in levels if lv.amount.start > c.amount.start]
        target = before[-1] if before else (after[0] if after else None)
        start_from = target.amount.end if target and target.amount.end < c.amount.start else sent[0]
        c.against = compared_period(doc, c, sent, start_from)
        if c.against is not None:
            used_dates.add(id(c.against))
        if target is None or target.change is not None:
            standalone.append(c)
        else:
            if c.change_unit is None:
                c.change_unit = target.unit  # "1200 рабочих мест, что на 300 больше"
            target.change = change_dict(c)
    return standalone
