"""The words and regex pieces of Russian news dates: months, years, ordinals, prefixes.

Why a module of its own: the month stems, relative-year words ("прошлого",
"текущем"), ordinals of quarters and the prepositions that set a date's kind are the
vocabulary both the patterns (`date_rules`) and the value builders (`date_values`)
are written in; keeping it apart lets each of those be read alone.
"""

from __future__ import annotations

import re
from datetime import date

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
