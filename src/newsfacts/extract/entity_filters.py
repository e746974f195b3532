"""Mention candidates that name no entity, and places typed as people.

Each rule here is a property of Russian news prose, not of one article:

- a currency's country ("долларов США", "долл. США") is part of the unit's name, so
  it adds no place to the story;
- a generic governing body ("Совет директоров", "правление", "наблюдательный совет")
  names no organisation until it is tied to one ("совет директоров «Казатомпрома»");
- an economic indicator opening a sentence is capitalised by position alone
  ("Товарооборот Казахстана вырос"): the indicator is no part of a name, the place is;
- a post word in an oblique case opening an organisation span ("Вице-министром
  энергетики") is a post, not a name;
- a known place right after a post word ("аким Алматы", "мэр Москвы") is the post's
  territory, never a person, whatever the NER model tagged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from newsfacts.extract import gazetteer, lexicons
from newsfacts.extract.gazetteer import normal_key

# Governing bodies every company or agency has: on their own they name nothing.
GENERIC_BODIES = frozenset(
    {
        "совет директоров",
        "наблюдательный совет",
        "правление",
        "общее собрание акционеров",
        "собрание акционеров",
        "общее собрание",
        "ревизионная комиссия",
        "рабочая группа",
        "межведомственная комиссия",
        "дирекция",
        "совет акционеров",
        "совет директоров компании",
    }
)

# Words whose next capitalised word is the currency's country, not a place in the story.
CURRENCY_WORDS = ("доллар", "долл", "цент", "фунт", "франк", "крон")


def _lemma(token: Any) -> str:
    return (token.lemma or token.text).lower().replace("ё", "е")


def _word_before(doc: Any, start: int) -> str:
    words = doc.text[max(0, start - 30) : start].split()
    return words[-1].lower() if words else ""


def currency_country(doc: Any, cand: Any) -> bool:
    """ "300 млн долларов США": the country names the currency."""
    if cand.type != "location":
        return False
    return _word_before(doc, cand.start).startswith(CURRENCY_WORDS)


def generic_body(cand: Any) -> bool:
    """ "Совет директоров одобрил сделку": a body of some unnamed organisation."""
    if cand.type != "organization" or cand.place is not None:
        return False
    return normal_key(cand.normal or cand.text).strip('«»" ') in GENERIC_BODIES


def _indicator_word(token: Any) -> bool:
    from newsfacts.extract.quantity.lexicon import lexicon

    return _lemma(token) in lexicon().by_first and not token.text.isupper()


def _sentence_initial(doc: Any, start: int) -> bool:
    before = doc.text[:start].rstrip(' \t«"(')
    return not before or before[-1] in "\n.!?:"


def indicator_head(doc: Any, cand: Any, make: Callable[..., Any]) -> Any | None:
    """ "Товарооборот Казахстана" opening a sentence (or a title) -> "Казахстана";
    returns the candidate to keep, None to drop it, or `cand` unchanged."""
    if cand.type == "person" or cand.place is not None or not cand.tokens:
        return cand
    words = [t for t in cand.tokens if any(ch.isalpha() for ch in t.text)]
    if not words or not _indicator_word(words[0]) or not _sentence_initial(doc, cand.start):
        return cand
    rest = [t for t in cand.tokens if t.start > words[0].start]
    if not rest:
        return None
    return _known_place(doc, cand, rest, make)


def _known_place(doc: Any, cand: Any, rest: list[Any], make: Callable[..., Any]) -> Any | None:
    """The tokens left after a dropped lead word, kept as a location when the gazetteer
    knows them (as written, or by their lemmas), else nothing."""
    place = gazetteer.lookup(doc.text[rest[0].start : rest[-1].stop]) or gazetteer.lookup(
        " ".join(_lemma(t) for t in rest)
    )
    if place is None:
        return None
    out = make(doc, rest, place.entity_type, cand.source)
    out.place = place
    return out


def post_phrase(doc: Any, cand: Any, make: Callable[..., Any]) -> Any | None:
    """ "Вице-министром энергетики Казахстана назначена …": a capitalised post word in
    an oblique case opening an ORG span is the post, not an organisation's name; a
    known place after it is kept ("Послом Италии" -> "Италии"), the rest dropped."""
    if cand.type != "organization" or cand.place is not None or len(cand.tokens) < 2:
        return cand
    first = cand.tokens[0]
    case = (getattr(first, "feats", None) or {}).get("Case")
    if case in (None, "Nom") or not lexicons.is_position(_lemma(first)):
        return cand
    rest = cand.tokens[1:]
    return _known_place(doc, cand, rest, make)


def place_not_person(doc: Any, cand: Any) -> None:
    """ "аким Алматы заявил": a known place after a post word is a location."""
    if cand.type != "person" or len(cand.tokens) != 1:
        return
    token = cand.tokens[0]
    place = gazetteer.lookup(token.text) or gazetteer.lookup(_lemma(token))
    if place is None:
        return
    if not lexicons.is_position(_lemma_of_previous(doc, cand)):
        return
    cand.type = place.entity_type
    cand.place = place
    cand.normal = place.name


def _lemma_of_previous(doc: Any, cand: Any) -> str:
    previous = None
    for token in doc.nlp.tokens:
        if token.start >= cand.start:
            break
        previous = token
    return _lemma(previous) if previous is not None else ""


def clean_candidates(
    doc: Any, cands: list[Any], make: Callable[..., Any], normalize: Callable[[Any], str]
) -> list[Any]:
    """Drop or repair the candidates the rules above catch; the rest pass unchanged."""
    out = []
    for cand in cands:
        if currency_country(doc, cand) or generic_body(cand):
            continue
        kept = indicator_head(doc, cand, make)
        if kept is cand:
            kept = post_phrase(doc, cand, make)
        if kept is None:
            continue
        if kept is not cand:
            kept.normal = normalize(kept)
        place_not_person(doc, kept)
        out.append(kept)
    return out
