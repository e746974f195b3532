"""The indicator lexicon (`data/indicators.txt`): which nouns are indicators.

The lexicon says which nouns are indicators, not which words an indicator may have:
adjectives, genitive phrases and governed prepositional phrases are added from the
sentence (`phrases`). A line is "<words> [+] [$] [>prep ...] | <trigger verbs>":
`+` takes the genitive phrase that follows, `$` measures money only, `>от` governs an
"от" phrase ("доход от экспорта"), and a trigger verb names the same measure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from newsfacts.extract.quantity.base import fold


@dataclass(frozen=True)
class Indicator:
    display: str
    lemmas: tuple[frozenset[str], ...]  # each word's possible lemmas (pymorphy may disagree)
    complement: bool = False  # takes the genitive phrase that follows
    money: bool = False  # measures money: not used for counted things
    preps: frozenset[str] = frozenset()  # prepositions it governs: "доход от экспорта"


@dataclass(frozen=True)
class Lexicon:
    by_first: dict[str, list[Indicator]]  # entries by each lemma of their first word
    triggers: dict[str, tuple[str, bool]]  # verb lemma -> (display, money)
    preps: dict[str, frozenset[str]]  # head lemma -> prepositions it governs


def _word_lemmas(morph: Any, word: str) -> frozenset[str]:
    """Every lemma pymorphy offers for a lexicon word, and the word itself.

    The first parse is not always the nominative one ("валовой" parses first as a
    genitive of "валовый"), while natasha lemmatises the same word in context to
    "валовой"; accepting any of them keeps a lexicon line from silently never matching.
    """
    return frozenset({fold(p.normal_form) for p in morph(word)} | {fold(word)})


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The indicator lexicon (`data/indicators.txt`), read once."""
    from newsfacts.nlp.natasha_pipe import models

    morph = models().morph_vocab
    text = resources.files("newsfacts").joinpath("data/indicators.txt").read_text("utf-8")
    entries: list[Indicator] = []
    triggers: dict[str, tuple[str, bool]] = {}
    preps: dict[str, frozenset[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, trig = line.partition("|")
        words = phrase.split()
        flags = {w for w in words if w in {"+", "$"}}
        governs = frozenset(w[1:] for w in words if w.startswith(">"))
        display = " ".join(w for w in words if w not in flags and not w.startswith(">"))
        lemmas = tuple(_word_lemmas(morph, w) for w in display.split())
        entries.append(Indicator(display, lemmas, "+" in flags, "$" in flags, governs))
        if governs:
            for lemma in lemmas[-1]:
                preps[lemma] = preps.get(lemma, frozenset()) | governs
        for t in trig.split(","):
            if t.strip():
                triggers[fold(t.strip())] = (display, "$" in flags)
    entries.sort(key=lambda e: -len(e.lemmas))
    by_first: dict[str, list[Indicator]] = {}
    for e in entries:
        for lemma in e.lemmas[0]:
            by_first.setdefault(lemma, []).append(e)
    return Lexicon(by_first, triggers, preps)


def indicators() -> tuple[dict[str, list[Indicator]], dict[str, tuple[str, bool]]]:
    """Lexicon entries by first lemma (longest first) and trigger lemma -> (display, money)."""
    lex = lexicon()
    return lex.by_first, lex.triggers
