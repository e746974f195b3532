"""The mention candidate every entity pass works on, and the small helpers they share.

Why a module of its own: cleaning, typing, extending, normalising and merging
(`entities` lists the passes) each read and write `Candidate`s; keeping the type and
its helpers here lets each pass live in its own module without importing another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsfacts.extract import gazetteer
from newsfacts.extract.gazetteer import Place
from newsfacts.pipeline import Doc

NER_TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
LETTER_RE = re.compile(r"[A-Za-zА-Яа-яЁё]")
TITLE_RE = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?$")
GLUED_RE = re.compile(r"^[а-яё]{3,}(?=[А-ЯЁ][а-яё])")
SEPARATORS = frozenset({"•", "·", ";", "|", "/", "—", "–", ",", "(", ")", "[", "]"})
ABBR_SKIP = frozenset({"и", "по", "о", "в", "на", "для", "за", "де"})


@dataclass
class Candidate:
    """One mention before merging: where it is, what it is, its nominative name."""

    start: int
    end: int
    type: str  # person | organization | location
    tokens: list[Any]  # natasha tokens it covers
    source: str  # ner | gazetteer | org-head | name-scan | repeat
    place: Place | None = None
    normal: str = ""
    text: str = ""


def _has_letters(text: str) -> bool:
    return bool(LETTER_RE.search(text))


def _lemma(token: Any) -> str:
    return (token.lemma or token.text).lower().replace("ё", "е")


def _place_of(text: str, tokens: list[Any]) -> Place | None:
    place = gazetteer.lookup(text)
    if place is None and tokens:
        place = gazetteer.lookup(" ".join(_lemma(t) for t in tokens))
    return place


def _make(doc: Doc, tokens: list[Any], etype: str, source: str) -> Candidate:
    start, end = tokens[0].start, tokens[-1].stop
    return Candidate(start, end, etype, tokens, source, text=doc.text[start:end])
