"""Turning what a user typed into a safe full-text query for either backend.

Users type names in any case ("Досаевым", "Алматы AND ("); neither FTS5 nor
`to_tsquery` syntax may ever reach them as an error. So a query is reduced to its
letter/digit words, and each word becomes a quoted prefix term: FTS5 and tsquery
operators can no longer appear, and the result is bound as a parameter.

SQLite's FTS5 has no Russian stemmer, so each word is cut back to a crude stem
(common inflectional endings removed) and searched as a prefix: "Досаевым" →
"досаев"*, which also finds "Досаева". PostgreSQL's `russian` configuration stems
the query itself; there each word becomes `word:*` (or its cut-back stem).
"""

from __future__ import annotations

import re

from newsfacts.store.keys import fold

MAX_TERMS = 12
_WORD = re.compile(r"[^\W_]+")

# Longest first; a stem keeps at least MIN_STEM characters so short names survive.
_ENDINGS = sorted(
    [
        "иями",
        "ями",
        "ами",
        "ого",
        "его",
        "ому",
        "ему",
        "ыми",
        "ими",
        "ой",
        "ей",
        "ий",
        "ый",
        "ая",
        "яя",
        "ое",
        "ее",
        "ом",
        "ем",
        "ам",
        "ям",
        "ах",
        "ях",
        "ую",
        "юю",
        "ов",
        "ев",
        "ым",
        "им",
        "ию",
        "ия",
        "ие",
        "ии",
        "ью",
        "а",
        "я",
        "о",
        "е",
        "ы",
        "и",
        "у",
        "ю",
        "ь",
        "й",
    ],
    key=len,
    reverse=True,
)
MIN_STEM = 4


# Upper-case operator words are someone trying query syntax, not words to find.
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


def words(query: str) -> list[str]:
    """Folded letter/digit words of a query, at most MAX_TERMS of them."""
    found = [w for w in _WORD.findall(query or "") if w not in _OPERATORS]
    return [fold(w) for w in found][:MAX_TERMS]


def stem(word: str) -> str:
    """A prefix that the word's other case forms share (crude, by design)."""
    if word.isdigit() or len(word) <= MIN_STEM:
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def sqlite_match(query: str) -> str | None:
    """An FTS5 MATCH expression (implicit AND of quoted prefix terms), or None."""
    terms = [f'"{stem(w)}"*' for w in words(query)]
    return " ".join(terms) or None


def pg_tsquery(query: str) -> str | None:
    """A `to_tsquery('russian', ...)` argument (AND of prefix terms), or None.

    Each word is tried as typed and cut back by `stem`: snowball stems
    "Айтеновым" to "айтенов" but "Айтенов" to "айтен", so the typed form alone
    would miss the nominative."""
    terms = []
    for w in words(query):
        short = stem(w)
        terms.append(f"{w}:*" if short == w else f"({w}:* | {short}:*)")
    return " & ".join(terms) or None


def like_pattern(text: str) -> str:
    """A LIKE '%...%' pattern for `text` with wildcards escaped (escape char '\\')."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
