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
# Share of Cyrillic letters that must be Kazakh-specific to call a text Kazakh:
# Kazakh prose runs at 5-9%, Russian prose with Kazakh names well under 1%.
KAZAKH_SHARE = 0.02
OTHER_SHARE = 0.01
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
_LATIN_WORD = re.compile(r"[a-z]+")


def detect_language(text: str) -> str:
    """ "ru", "kk", "en" or "other" for the dominant script and letters of `text`."""
    cyrillic = latin = kazakh = kazakh_only = other = 0
    for ch in text.lower():
        if not ch.isalpha():
            continue
        if "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
            if ch in KAZAKH_LETTERS:
                kazakh += 1
                if ch in KAZAKH_ONLY:
                    kazakh_only += 1
            elif ch in OTHER_CYRILLIC:
                other += 1
        elif "a" <= ch <= "z":
            latin += 1
    letters = cyrillic + latin
    if letters == 0:
        return "other"
    if cyrillic >= latin:
        if other / cyrillic > OTHER_SHARE:
            return "other"
        if kazakh / cyrillic > KAZAKH_SHARE:
            # Kyrgyz shares ң ө ү with Kazakh but has none of ә ұ і.
            return "kk" if kazakh_only else "other"
        return "ru"
    words = _LATIN_WORD.findall(text.lower())
    function_words = sum(w in ENGLISH_WORDS for w in words)
    return "en" if words and function_words / len(words) > 0.08 else "other"
