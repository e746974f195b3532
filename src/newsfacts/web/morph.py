"""Just enough Russian morphology for statements: case forms of place names, gender
of a subject, a counted noun agreeing with its number.

natasha's pymorphy2 vocabulary (loaded once, ~0.2 s, no NER models) does the work;
anything it is unsure of is left as written, since a wrong case reads worse than
the nominative.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _vocab() -> Any:
    from natasha import MorphVocab

    return MorphVocab()


def preload() -> None:
    """Load the vocabulary now (`newsfacts serve` at start-up) rather than on the first
    page that inflects a name."""
    _vocab()


def _forms(word: str, grams: set[str], want: str | None = None) -> str | None:
    """`word` inflected to `grams`, choosing a parse tagged `want` (e.g. Geox) if any."""
    return _inflected(word, frozenset(grams), want)


@lru_cache(maxsize=4096)
def _inflected(word: str, grams: frozenset[str], want: str | None) -> str | None:
    # Cached as `place_case` and `gender` are: a dossier agrees ~25 counted nouns per
    # figure list («3 предприятия»), each a pymorphy2 parse and lexeme (issue 13).
    vocab = _vocab()
    parses = [p for p in vocab.parse(word) if "nomn" in p.tag]
    if want is not None:
        parses = [p for p in parses if want in p.tag]
    if not parses:
        return None
    found = vocab._inflect(parses[0], set(grams))  # MorphForm.inflect wants UD names
    return found[0].word if found else None


@lru_cache(maxsize=4096)
def place_case(name: str, case: str) -> str | None:
    """«Казахстан», gent → «Казахстана»; None when the name is not one known place word."""
    if " " in name or "-" in name or not name[:1].isupper() or name.isupper():
        return None
    form = _forms(name, {case}, want="Geox")
    if form is None:
        return None
    return name[0] + form[1:] if form[:1].lower() == name[:1].lower() else None


@lru_cache(maxsize=4096)
def gender(name: str, entity_type: str | None) -> str:
    """masc | femn | neut for a subject's verb or adjective: «Италия готова», «банк готов»."""
    words = name.replace("«", " ").replace("»", " ").split()
    if not words:
        return "masc"
    vocab = _vocab()
    # a person's first name carries gender; an organisation's or place's head noun does
    head = words[0]
    for p in vocab.parse(head):
        tag = p.tag
        if entity_type == "person" and "Name" not in tag and "Surn" not in tag:
            continue
        for g in ("femn", "neut", "masc"):
            if g in tag:
                return g
    return "masc"


def agree(noun: str, count: float, scaled: bool = False) -> str:
    """A counted noun after its number: 1 предприятие, 3 предприятия, 1200 предприятий.

    `scaled` figures («1,2 млн») and fractions take the genitive, as in print.
    """
    if " " in noun or not noun.isalpha() or not noun.islower() or noun == "человек":
        return noun  # «5 млн человек», never «людей»
    if scaled or not float(count).is_integer():
        grams = {"gent", "plur"} if scaled else {"gent", "sing"}
    else:
        n = abs(int(count))
        if n % 10 == 1 and n % 100 != 11:
            return noun
        grams = (
            {"gent", "sing"} if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else {"gent", "plur"}
        )
    return _forms(noun, grams) or noun
