"""The "dates" component: dates and periods, resolved against `article.published`.

Regular expressions rather than natasha's DatesExtractor because news time is mostly
relative ("с июня текущего года", "в прошлом году", "в первом квартале") and the
resolution needs the publication date, which a grammar cannot see; the patterns are
also an order of magnitude faster than a yargy parser over every sentence.

Values are ISO-8601 strings:
- a year "2021", a month "2022-06", a day "2022-06-01";
- a span of months (quarter, half-year, "за девять месяцев", "январь – март") as an
  ISO-8601 interval "2022-01/2022-03"; a span of years "2020/2021";
- a week "2022-W16" (ISO week of "на прошлой неделе").
`kind` is "point" (a moment or the period something happened in), "period" (a
reporting period: "по итогам 2021 года", "за 2021 год", quarters), "since" ("с июня")
or "until" ("до 2025 года", "к 2030 году"). Relative expressions with no
publication date keep the text as `value` with `resolved=False`, as the fact schema
asks.

The vocabulary lives in `date_vocabulary`, the patterns and their probes in
`date_rules`, the value of each match in `date_values`; this module picks among
overlapping matches and registers the component.
"""

from __future__ import annotations

import re

from newsfacts.extract.date_rules import RULES, _relative, _rules_for
from newsfacts.extract.date_vocabulary import month_number, parse_published
from newsfacts.pipeline import Doc, TimeExpr, component

__all__ = ["RULES", "dates_layer", "find_dates", "month_number", "parse_published"]


def find_dates(text: str, published: str | None = None) -> list[TimeExpr]:
    """All time expressions in `text`, longest first where they overlap."""
    pub = parse_published(published)
    found: list[tuple[int, int, str, re.Match[str]]] = []
    for rule in _rules_for(text):
        for m in rule.regex.finditer(text):
            found.append((m.start(), m.end(), rule.name, m))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []
    by_name = {r.name: r for r in RULES}
    for start, end, name, m in found:
        if any(start < b and a < end for a, b in taken):
            continue
        try:
            value, kind = by_name[name].build(m, pub)
        except (ValueError, KeyError, StopIteration):
            continue  # "31 февраля", a quarter we cannot number: not a date
        pre = m.groupdict().get("pre") or ""
        if kind == "since" and re.search(r"годом$", text[start:end], re.I):
            # "по сравнению с 2021 годом": "с" + instrumental compares, it does not start.
            start, kind = start + len(pre), "point"
        surface = text[start:end]
        if value is None:
            if not _relative(name, m):
                continue
            out.append(TimeExpr(start, end, surface, surface, resolved=False, kind=kind))
        else:
            out.append(TimeExpr(start, end, surface, value, resolved=True, kind=kind))
        taken.append((start, end))
    out.sort(key=lambda t: t.start)
    return out


@component("dates")
def dates_layer(doc: Doc) -> None:
    doc.dates = find_dates(doc.text, doc.article.published)
