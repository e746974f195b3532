"""Tell Russian from Kazakh, English and anything else by script statistics alone.

A statistical language model would be overkill: the feeds we read are Russian,
Kazakh or English, and these differ in script or in a handful of letters. Kazakh
Cyrillic adds ә ғ қ ң ө ұ ү һ і; a Russian story quoting one Kazakh place name
("Оңтүстік") has a few of them, a Kazakh story has them in every sentence.
"""

from __future__ import annotations

import re

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
# Letters Kazakh has and its Cyrillic neighbours (Kyrgyz, Tajik, Uzbek) lack or vice versa.
KAZAKH_ONLY = frozenset("әұі")
OTHER_CYRILLIC = frozenset("ўҳҷӣӯїєґ")  # Uzbek, Tajik, Ukrainian
# Share of Cyrillic words that must carry a Kazakh-specific letter to call a text
# Kazakh: in Kazakh prose most words do, in Russian prose only the odd Kazakh name.
KAZAKH_SHARE = 0.25
# Words with Ukrainian, Uzbek or Tajik letters: these are rarer per word.
OTHER_SHARE = 0.05
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "for",
        "on",
        "that",
        "with",
        "was",
        "by",
        "as",
        "are",
        "at",
        "from",
        "has",
        "have",
        "be",
        "it",
        "this",
        "will",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str:
    """ "ru", "kk", "en" or "other" for the dominant script and letters of `text`."""
    cyrillic: list[str] = []
    latin: list[str] = []
    for word in _WORD.findall(text.lower()):
        if all("\u0400" <= ch <= "\u04ff" for ch in word):
            cyrillic.append(word)
        elif word.isascii():
            latin.append(word)
    if not cyrillic and not latin:
        return "other"
    if sum(map(len, cyrillic)) >= sum(map(len, latin)):
        n = len(cyrillic)
        if sum(not OTHER_CYRILLIC.isdisjoint(w) for w in cyrillic) / n > OTHER_SHARE:
            return "other"
        kazakh = [w for w in cyrillic if not KAZAKH_LETTERS.isdisjoint(w)]
        if len(kazakh) / n > KAZAKH_SHARE:
            # Kyrgyz shares ң ө ү with Kazakh but has none of ә ұ і.
            return "kk" if any(not KAZAKH_ONLY.isdisjoint(w) for w in kazakh) else "other"
        return "ru"
    function_words = sum(w in ENGLISH_WORDS for w in latin)
    return "en" if function_words / len(latin) > 0.08 else "other"
