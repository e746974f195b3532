"""Turning one date match into its ISO-8601 value and kind, against the publication date.

Why a module of its own: each pattern of `date_rules` has a builder here that resolves
what it matched ("в прошлом году", "в первом квартале", "вчера") into a value such as
"2021", "2022-01/2022-03" or "2022-W16"; the arithmetic is one job, apart from
finding the text.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsfacts.extract.date_vocabulary import (
    COUNT_WORDS,
    ORDINALS,
    PREFIX_KIND,
    REL_YEAR,
    month_number,
)


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
