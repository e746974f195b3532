"""The date patterns, and the cheap probes that decide which of them to run on a text.

Why a module of its own: the regexes (one `_Rule` per shape of date, each with its
builder from `date_values`) and the probe table that skips most of them for most
articles are what `find_dates` runs; keeping them here leaves `dates` with the
choice between overlapping matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from newsfacts.extract.date_values import (
    _b_day_month,
    _b_day_month_abbr,
    _b_day_range,
    _b_day_rel,
    _b_full_date,
    _b_half,
    _b_month_bare,
    _b_month_range,
    _b_month_rel,
    _b_month_rel_word,
    _b_month_year,
    _b_n_months,
    _b_numeric_date,
    _b_quarter,
    _b_since_year_start,
    _b_week_rel,
    _b_year,
    _b_year_edge,
    _b_year_range,
    _b_year_rel,
)
from newsfacts.extract.date_vocabulary import (
    COUNT_RE,
    DASH,
    MONTH_ANY,
    MONTH_RE,
    ORD_RE,
    PREFIX_RE,
    REL_YEAR_RE,
    YEAR,
    YEAR_WORD,
)


@dataclass
class _Rule:
    """A pattern and the function that turns its match into (value, kind, relative)."""

    name: str
    regex: re.Pattern[str]
    build: Callable[[re.Match[str], date | None], tuple[str | None, str]]


_YEAR_TAIL = rf"(?:\s+(?:(?P<y>{YEAR}){YEAR_WORD}|(?P<rel>{REL_YEAR_RE})\s+года))?"
_B = r"(?<![\w-])"
_E = r"(?![\w])"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(_B + pattern + _E, re.IGNORECASE)


RULES: tuple[_Rule, ...] = (
    _Rule(
        "full_date",
        _rx(PREFIX_RE + rf"(?P<d>[0-3]?\d)\s+(?:{MONTH_RE})\s+(?P<y>{YEAR})(?:{YEAR_WORD})?"),
        _b_full_date,
    ),
    _Rule(
        "numeric_date",
        _rx(PREFIX_RE + rf"(?P<d>[0-3]?\d)\.(?P<mo>[01]?\d)\.(?P<y>{YEAR})(?:{YEAR_WORD})?"),
        _b_numeric_date,
    ),
    _Rule(
        "quarter",
        _rx(
            PREFIX_RE + rf"(?P<q>{ORD_RE})\s+квартал[а-яё]*"
            rf"(?:\s+(?:(?P<y>{YEAR}){YEAR_WORD}|(?P<rel>{REL_YEAR_RE})\s+года))?"
        ),
        _b_quarter,
    ),
    _Rule(
        "half",
        _rx(
            PREFIX_RE + r"(?P<h>перв[а-яё]*|втор[а-яё]*)\s+полугоди[а-яё]*"
            rf"(?:\s+(?:(?P<y>{YEAR}){YEAR_WORD}|(?P<rel>{REL_YEAR_RE})\s+года))?"
        ),
        _b_half,
    ),
    _Rule(
        "n_months",
        _rx(
            PREFIX_RE + rf"(?P<n>{COUNT_RE})\s+месяц[а-яё]*"
            rf"(?:\s+(?:(?P<y>{YEAR}){YEAR_WORD}|(?P<rel>{REL_YEAR_RE})\s+года))"
        ),
        _b_n_months,
    ),
    _Rule(
        "n_months_bare",
        re.compile(
            _B + r"(?P<pre>(?:за|по\s+итогам)\s+)(?P<n>" + COUNT_RE + r")\s+месяц[а-яё]*"
            r"(?P<y>)?(?P<rel>)?" + _E,
            re.IGNORECASE,
        ),
        _b_n_months,
    ),
    _Rule(
        "month_range",
        _rx(
            PREFIX_RE + rf"(?P<ma>{MONTH_ANY}){DASH}(?P<mb>{MONTH_ANY})"
            rf"(?:\s+(?:(?P<y>{YEAR}){YEAR_WORD}|(?P<rel>{REL_YEAR_RE})\s+года))?"
        ),
        _b_month_range,
    ),
    _Rule(
        "day_range",
        _rx(
            PREFIX_RE + rf"(?P<d>[0-3]?\d){DASH}(?P<d2>[0-3]?\d)\s+(?:{MONTH_RE})"
            rf"(?:\s+(?:(?P<y>{YEAR}){YEAR_WORD}|(?P<rel>{REL_YEAR_RE})\s+года))?"
        ),
        _b_day_range,
    ),
    _Rule(
        "day_month",
        _rx(
            PREFIX_RE + rf"(?P<d>[0-3]?\d)\s+(?:{MONTH_RE})"
            rf"(?:\s+(?P<rel>{REL_YEAR_RE})\s+года)?"
        ),
        _b_day_month,
    ),
    _Rule(
        "day_month_abbr",
        _rx(
            PREFIX_RE + r"(?P<d>[0-3]?\d)\s+(?P<abbr>янв|фев|февр|мар|апр|июн|июл|авг|сен|сент"
            r"|окт|ноя|нояб|дек)\.?(?:\s+(?P<y>" + YEAR + r")(?:" + YEAR_WORD + r")?)?"
        ),
        _b_day_month_abbr,
    ),
    _Rule(
        "month_year",
        _rx(PREFIX_RE + rf"(?:{MONTH_RE})\s+(?P<y>{YEAR})(?:{YEAR_WORD})?"),
        _b_month_year,
    ),
    _Rule(
        "month_rel",
        _rx(PREFIX_RE + rf"(?:{MONTH_RE})\s+(?P<rel>{REL_YEAR_RE})\s+года"),
        _b_month_rel,
    ),
    _Rule(
        "year_range",
        _rx(PREFIX_RE + rf"(?P<y>{YEAR})(?:{DASH}|\s+по\s+)(?P<y2>{YEAR}){YEAR_WORD}"),
        _b_year_range,
    ),
    _Rule("year", _rx(PREFIX_RE + rf"(?P<y>{YEAR}){YEAR_WORD}"), _b_year),
    _Rule(
        "since_year_start",
        _rx(
            r"(?P<pre>)(?:с\s+начала|с\s+января)\s+(?:(?P<y>"
            + YEAR
            + r")\s+года|(?P<rel>"
            + REL_YEAR_RE
            + r")\s+года|года)"
        ),
        _b_since_year_start,
    ),
    _Rule(
        "year_edge",
        _rx(
            r"(?P<pre>(?:на|до|к)\s+)?(?P<edge>начал[оау]|конец|конца|концу)\s+(?:(?P<y>"
            + YEAR
            + r")\s+года|(?P<rel>"
            + REL_YEAR_RE
            + r")\s+года|года)"
        ),
        _b_year_edge,
    ),
    _Rule(
        "year_rel",
        _rx(PREFIX_RE + rf"(?P<rel>{REL_YEAR_RE})\s+(?:год[а-яё]*)"),
        _b_year_rel,
    ),
    _Rule(
        "day_rel",
        _rx(r"(?P<w>позавчера|вчера|сегодня|послезавтра|завтра)"),
        _b_day_rel,
    ),
    _Rule(
        "week_rel",
        _rx(r"(?:на|в)\s+(?P<w>прошлой|минувшей|этой|текущей|нынешней|следующей)\s+неделе"),
        _b_week_rel,
    ),
    _Rule(
        "month_rel_word",
        _rx(
            PREFIX_RE
            + r"(?P<w>прошл[а-яё]+|минувш[а-яё]+|эт(?:ом|от|ого)|текущ[а-яё]+|следующ[а-яё]+)"
            r"\s+месяц[а-яё]*"
        ),
        _b_month_rel_word,
    ),
    _Rule(
        "month_bare",
        re.compile(
            _B + r"(?P<pre>(?:по\s+итогам|в|во|с|со|до|к|ко|по|на\s+протяжении|в\s+течение)\s+)"
            rf"(?:{MONTH_RE})" + _E,
            re.IGNORECASE,
        ),
        _b_month_bare,
    ),
)

# What every match of a rule must contain. Each rule's regex is tried at every
# position of the text (its optional preposition defeats the regex engine's fast
# scan), so a rule runs only when one cheap probe per requirement finds its part
# somewhere in the text: the same matches, most rules skipped for most articles.
# A probe is searched with the rule's own flags, so "found by the rule" implies
# "found by the probe". Rules as cheap as their probe would be have none.
_PROBES: dict[str, re.Pattern[str]] = {
    # every rule's month stands between a space (or its expression's start) and a
    # space, a dash or the expression's end
    "month": re.compile(r"(?<![\w-])" + MONTH_ANY + r"(?!\w)", re.IGNORECASE),
    "года": re.compile("года", re.IGNORECASE),
    "year": re.compile(YEAR),
    "year_word": re.compile(YEAR + YEAR_WORD, re.IGNORECASE),
    "dash": re.compile(r"[-–—]"),
    "dotted": re.compile(r"\d\.\d"),
    "abbr": re.compile(
        r"\d\s+(?:янв|фев|февр|мар|апр|июн|июл|авг|сен|сент|окт|ноя|нояб|дек)(?!\w)",
        re.IGNORECASE,
    ),
    "квартал": re.compile("квартал", re.IGNORECASE),
    "полугоди": re.compile("полугоди", re.IGNORECASE),
    "месяц": re.compile("месяц", re.IGNORECASE),
    "неделе": re.compile("неделе", re.IGNORECASE),
    "год": re.compile("год", re.IGNORECASE),
    "year_start": re.compile(r"с\s+(?:начала|января)\s", re.IGNORECASE),
}
_NEEDS: dict[str, tuple[str, ...]] = {
    "full_date": ("year", "month"),
    "numeric_date": ("dotted", "year"),
    "quarter": ("квартал",),
    "half": ("полугоди",),
    "n_months": ("месяц",),
    "n_months_bare": ("месяц",),
    "month_range": ("dash", "month"),
    "day_range": ("dash", "month"),
    "day_month": ("month",),
    "day_month_abbr": ("abbr",),
    "month_year": ("year", "month"),
    "month_rel": ("года", "month"),
    "year_range": ("year_word",),
    "year": ("year_word",),
    "since_year_start": ("year_start",),
    "year_rel": ("год",),
    "week_rel": ("неделе",),
    "month_rel_word": ("месяц",),
    "month_bare": ("month",),
}


def _rules_for(text: str) -> list[_Rule]:
    """The rules that can match somewhere in `text` (see `_PROBES`)."""
    seen: dict[str, bool] = {}

    def has(probe: str) -> bool:
        if probe not in seen:
            seen[probe] = _PROBES[probe].search(text) is not None
        return seen[probe]

    return [r for r in RULES if all(has(p) for p in _NEEDS.get(r.name, ()))]


_NEEDS_PUB = {
    "day_month_abbr",
    "day_month",
    "month_rel",
    "month_bare",
    "year_rel",
    "day_rel",
    "week_rel",
    "month_rel_word",
}


def _relative(rule: str, m: re.Match[str]) -> bool:
    """Whether the expression needs the publication date to be resolved."""
    if rule in _NEEDS_PUB:
        return True
    if rule in {"quarter", "half", "n_months", "n_months_bare", "month_range", "day_range",
                "year_edge",
                "since_year_start"}:  # fmt: skip
        return not m.group("y")
    return False
