"""Agreement inside a name phrase: which word is the head, and which case it is in.

The tagger reads words one by one in context and can disagree with itself inside
one name: a capitalised adjective tagged PROPN ("Оренбургской" taken for the head,
so "области" stays as written), or a noun whose genitive singular is spelled like a
nominative plural ("области") tagged Nom while its adjective is Gen. Russian
adjectives agree with their noun, so the reading both words share wins.
"""

from __future__ import annotations

from typing import Any

NOUNS = ("NOUN", "PROPN")
OC_CASES = {
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
    "Nom": "nomn",
}


def _vocab() -> Any:
    from newsfacts.nlp.natasha_pipe import models

    return models().morph_vocab


def _parses(word: str) -> list[Any]:
    return list(_vocab()(word.lower()))


def _adjective_reading(word: str, case: str | None) -> bool:
    oc = OC_CASES.get(case or "")
    return any(p.tag.POS == "ADJF" and (oc is None or oc in p.tag) for p in _parses(word))


def head_index(tokens: list[Any]) -> int | None:
    """The first noun of the phrase, passing over adjectives tagged as nouns:
    "Оренбургской(PROPN) области" -> 1, "Дворец Независимости" -> 0."""
    head = next((i for i, t in enumerate(tokens) if t.pos in NOUNS), None)
    while (
        head is not None
        and head + 1 < len(tokens)
        and tokens[head + 1].pos in NOUNS
        and tokens[head + 1].text[:1].islower()
        and _adjective_reading(tokens[head].text, tokens[head + 1].feats.get("Case"))
    ):
        head += 1
    return head


def head_case(tokens: list[Any], head: int) -> str | None:
    """The case the head is really in: its own, unless an adjective before it shows
    another case the head word can also be read in ("Оренбургской(Gen) области(Nom)")."""
    own = tokens[head].feats.get("Case")
    adjective_cases = [
        t.feats.get("Case")
        for t in tokens[:head]
        if t.pos in ("ADJ", *NOUNS) and t.feats.get("Case")
    ]
    for case in adjective_cases:
        oc = OC_CASES.get(case)
        if case != own and oc and any(oc in p.tag for p in _parses(tokens[head].text)):
            return case
    return own
