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
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from newsfacts.pipeline import Doc, TimeExpr, component

# --- vocabulary -------------------------------------------------------------------

_MONTH_STEMS = (
    ("январ", "ь"),
    ("феврал", "ь"),
    ("март", ""),
    ("апрел", "ь"),
    ("ма", "й"),
    ("июн", "ь"),
    ("июл", "ь"),
    ("август", ""),
    ("сентябр", "ь"),
    ("октябр", "ь"),
    ("ноябр", "ь"),
    ("декабр", "ь"),
)


def _month_alt(stem: str, nom: str) -> str:
    if stem == "ма":
        return r"ма(?:й|я|е|ю|ем)"
    if nom == "":
        return stem + r"(?:а|е|у|ом)?"
    return stem + r"(?:ь|я|е|ю|ем|ём)"


MONTH_RE = "|".join(f"(?P<m{i + 1}>{_month_alt(s, n)})" for i, (s, n) in enumerate(_MONTH_STEMS))
# The same alternation without named groups, for use twice in one pattern.
MONTH_ANY = "(?:" + "|".join(_month_alt(s, n) for s, n in _MONTH_STEMS) + ")"

YEAR = r"(?:19|20)\d{2}"
YEAR_WORD = r"(?:-?(?:го|м|й))?\s*(?:год[а-яё]*|гг?\.)"
DASH = r"\s*[-–—]\s*"

REL_YEAR = {
    "этот": 0, "этого": 0, "этом": 0, "текущий": 0, "текущего": 0, "текущем": 0,
    "нынешний": 0, "нынешнего": 0, "нынешнем": 0, "сего": 0,
    "прошлый": -1, "прошлого": -1, "прошлом": -1, "минувший": -1, "минувшего": -1,
    "минувшем": -1, "предыдущего": -1, "предыдущем": -1,
    "позапрошлый": -2, "позапрошлого": -2, "позапрошлом": -2,
    "следующий": 1, "следующего": 1, "следующем": 1, "будущий": 1, "будущего": 1,
    "будущем": 1, "наступающем": 1, "наступающего": 1,
}  # fmt: skip
REL_YEAR_RE = "|".join(sorted(REL_YEAR, key=len, reverse=True))

ORDINALS = {
    "перв": 1, "i": 1, "1": 1, "втор": 2, "ii": 2, "2": 2, "трет": 3, "iii": 3, "3": 3,
    "четверт": 4, "четвёрт": 4, "iv": 4, "4": 4,
}  # fmt: skip
ORD_RE = r"(?:перв|втор|трет|четв[её]рт)[а-яё]*|i{1,3}|iv|[1-4](?:-?(?:м|й|го))?"

COUNT_WORDS = {
    "два": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3, "четыре": 4, "четырех": 4,
    "четырёх": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6, "семь": 7, "семи": 7,
    "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
    "одиннадцать": 11, "одиннадцати": 11,
}  # fmt: skip
COUNT_RE = "|".join(sorted(COUNT_WORDS, key=len, reverse=True)) + r"|\d{1,2}"

# Prepositions that belong to the expression and set its kind.
PREFIX_RE = (
    r"(?P<pre>(?:по\s+итогам|по\s+результатам|в\s+течение|на\s+протяжении|с\s+начала|"
    r"до\s+конца|к\s+концу|в\s+конце|в\s+начале|по\s+состоянию\s+на|"
    r"за|с|со|до|к|ко|по|в|во|на)\s+)?"
)
PREFIX_KIND = {
    "по итогам": "period", "по результатам": "period", "за": "period",
    "в течение": "period", "на протяжении": "period",
    "с": "since", "со": "since", "с начала": "since",
    "до": "until", "к": "until", "ко": "until", "до конца": "until", "к концу": "until",
}  # fmt: skip


def month_number(word: str) -> int | None:
    w = word.lower()
    for i, (stem, nom) in enumerate(_MONTH_STEMS):
        if re.fullmatch(_month_alt(stem, nom), w):
            return i + 1
    return None


def parse_published(value: str | None) -> date | None:
    """The article's date, or None when missing or unreadable (never an exception)."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


# --- patterns ---------------------------------------------------------------------


@dataclass
class _Rule:
    """A pattern and the function that turns its match into (value, kind, relative)."""

    name: str
    regex: re.Pattern[str]
    build: Callable[[re.Match[str], date | None], tuple[str | None, str]]


def _pre_kind(m: re.Match[str], default: str = "point") -> str:
    pre = (m.group("pre") or "").strip().lower()
    pre = re.sub(r"\s+", " ", pre)
    return PREFIX_KIND.get(pre, default)


def _month_of(m: re.Match[str]) -> int:
    for i in range(1, 13):
        if m.group(f"m{i}"):
            return i
    raise ValueError("no month group matched")


def _rel_year(word: str, pub: date | None) -> int | None:
    if pub is None:
        return None
    return pub.year + REL_YEAR[word.lower()]


def _b_full_date(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    d = date(int(m.group("y")), _month_of(m), int(m.group("d")))
    return d.isoformat(), _pre_kind(m)


def _b_numeric_date(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    d = date(int(m.group("y")), int(m.group("mo")), int(m.group("d")))
    return d.isoformat(), _pre_kind(m)


def _b_day_month(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _rel_year(m.group("rel"), pub) if m.group("rel") else pub.year if pub else None
    if year is None:
        return None, _pre_kind(m)
    return date(year, _month_of(m), int(m.group("d"))).isoformat(), _pre_kind(m)


def _b_day_range(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _year_of(m, pub)
    if year is None:
        return None, "period"
    month = _month_of(m)
    a = date(year, month, int(m.group("d")))
    b = date(year, month, int(m.group("d2")))
    return f"{a.isoformat()}/{b.isoformat()}", "period"


_ABBR = {"янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "июн": 6, "июл": 7, "авг": 8,
         "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12}  # fmt: skip


def _b_day_month_abbr(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    # "МОСКВА, 1 авг — РИА Новости": the dateline of a wire story.
    year = int(m.group("y")) if m.group("y") else (pub.year if pub else None)
    if year is None:
        return None, _pre_kind(m)
    d = date(year, _ABBR[m.group("abbr").lower()], int(m.group("d")))
    return d.isoformat(), _pre_kind(m)


def _b_month_year(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    return f"{int(m.group('y')):04d}-{_month_of(m):02d}", _pre_kind(m)


def _b_month_rel(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _rel_year(m.group("rel"), pub)
    if year is None:
        return None, _pre_kind(m)
    return f"{year:04d}-{_month_of(m):02d}", _pre_kind(m)


def _b_month_bare(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    # "в сентябре" in a news story means the publication year's September.
    if pub is None:
        return None, _pre_kind(m)
    return f"{pub.year:04d}-{_month_of(m):02d}", _pre_kind(m)


def _year_of(m: re.Match[str], pub: date | None) -> int | None:
    if m.group("y"):
        return int(m.group("y"))
    if m.group("rel"):
        return _rel_year(m.group("rel"), pub)
    return pub.year if pub else None


def _b_quarter(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _year_of(m, pub)
    if year is None:
        return None, "period"
    key = m.group("q").lower()
    if key in ORDINALS:  # "i", "iv"
        q = ORDINALS[key]
    else:  # "первом", "3-м"
        key = key.rstrip("-мйго")
        q = ORDINALS.get(key) or next(
            v for k, v in ORDINALS.items() if len(k) > 2 and key.startswith(k)
        )
    first, last = 3 * q - 2, 3 * q
    return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}", "period"


def _b_half(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _year_of(m, pub)
    if year is None:
        return None, "period"
    first, last = (1, 6) if m.group("h").lower().startswith("перв") else (7, 12)
    return f"{year:04d}-{first:02d}/{year:04d}-{last:02d}", "period"


def _b_n_months(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _year_of(m, pub)
    n_text = m.group("n").lower()
    n = int(n_text) if n_text.isdigit() else COUNT_WORDS[n_text]
    if not 1 <= n <= 12:
        raise ValueError(f"{n} months is not a part of one year")
    if year is None:
        return None, "period"
    return f"{year:04d}-01/{year:04d}-{n:02d}", "period"


def _b_month_range(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _year_of(m, pub)
    a = month_number(m.group("ma"))
    b = month_number(m.group("mb"))
    if year is None or a is None or b is None:
        return None, "period"
    return f"{year:04d}-{a:02d}/{year:04d}-{b:02d}", "period"


def _b_year_range(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    return f"{m.group('y')}/{m.group('y2')}", "period"


def _b_year(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    return m.group("y"), _pre_kind(m)


def _b_year_rel(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _rel_year(m.group("rel"), pub)
    return (str(year) if year is not None else None), _pre_kind(m)


def _b_since_year_start(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    year = _year_of(m, pub)
    return (f"{year:04d}-01" if year is not None else None), "since"


def _b_year_edge(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    # "на начало года" is a moment: the stock of something on 1 January.
    year = _year_of(m, pub)
    until = (m.group("pre") or "").strip().lower() in {"до", "к"}
    if year is None:
        return None, "until" if until else "point"
    if until:  # "до конца года": by the end of the year
        return str(year), "until"
    day = "01-01" if m.group("edge").lower().startswith("начал") else "12-31"
    return f"{year:04d}-{day}", "point"


def _b_day_rel(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    if pub is None:
        return None, "point"
    shift = {"позавчера": -2, "вчера": -1, "сегодня": 0, "завтра": 1, "послезавтра": 2}
    return (pub + timedelta(days=shift[m.group("w").lower()])).isoformat(), "point"


def _b_week_rel(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    if pub is None:
        return None, "period"
    w = m.group("w").lower()
    shift = -7 if w.startswith("прошл") else 7 if w.startswith("следующ") else 0
    y, wk, _ = (pub + timedelta(days=shift)).isocalendar()
    return f"{y:04d}-W{wk:02d}", "period"


def _b_month_rel_word(m: re.Match[str], pub: date | None) -> tuple[str | None, str]:
    if pub is None:
        return None, _pre_kind(m)
    w = m.group("w").lower()
    shift = -1 if w.startswith(("прошл", "минувш")) else 1 if w.startswith("следующ") else 0
    month_index = pub.year * 12 + pub.month - 1 + shift
    return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}", _pre_kind(m)


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
