"""Pass 1 of `entities`, *clean*: what natasha tagged, trimmed to what is a name.

Why a module of its own: NER spans arrive with punctuation, lists, glued words, titles
and posts in front, and single words that name nothing ("СМИ", "Кипрское"); these
rules decide what survives as a candidate before anything is typed or merged.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from newsfacts.extract import gazetteer, lexicons, names
from newsfacts.extract.entity_candidates import (
    GLUED_RE,
    SEPARATORS,
    TITLE_RE,
    Candidate,
    _has_letters,
    _lemma,
    _make,
    _place_of,
)
from newsfacts.extract.entity_typing import _apply_gazetteer
from newsfacts.extract.gazetteer import normal_key
from newsfacts.nlp.natasha_pipe import models
from newsfacts.pipeline import Doc


# --- 1. clean ---------------------------------------------------------------------
def _split_span(doc: Doc, tokens: list[Any], etype: str) -> list[Candidate]:
    """Trim punctuation, split "Эль Сальвадор • Эфиопия", cut a glued left part."""
    groups: list[list[Any]] = [[]]
    for token in tokens:
        if groups[-1] and "\n" in doc.text[groups[-1][-1].stop : token.start]:
            groups.append([])  # a title line is its own sentence: "…Аскар Мамин\nНижняя…"
        if token.text in SEPARATORS or not (_has_letters(token.text) or token.text.isdigit()):
            if token.text in SEPARATORS:
                groups.append([])
            elif groups[-1] and token.text in {"-", "."}:
                groups[-1].append(token)  # "Ахмат - Хаджи", "Kapital.kz" pieces
            continue
        groups[-1].append(token)
    out = []
    for group in groups:
        while group and not _has_letters(group[-1].text) and not group[-1].text.isdigit():
            group.pop()
        if not group:
            continue
        kind = etype
        if len(groups) > 1 and _person_words(group):
            kind = "person"  # a name line cut from the line below: "Аскар Мамин"
        cand = _make(doc, group, kind, "ner")
        glued = GLUED_RE.match(group[0].text)
        if glued:
            # "сотрудничестваАким Алматы": the left part belongs to the previous
            # sentence; keep the rest only if it still names something
            rest = group[1:]
            tail = group[0].text[glued.end() :]
            if rest:
                cand = _make(doc, rest, etype, "ner")
            elif lexicons.is_position(tail) or not names.name_like(tail):
                continue
            else:
                cand.start += glued.end()
                cand.text = doc.text[cand.start : cand.end]
                cand.tokens = []
        out.append(cand)
    return out


def _person_words(group: list[Any]) -> bool:
    """2-3 capitalised words the tagger reads as animate proper names."""
    return (
        2 <= len(group) <= 3
        and all(TITLE_RE.match(t.text) and t.pos == "PROPN" for t in group)
        and all(t.feats.get("Animacy") == "Anim" for t in group)
    )


def _is_noise(cand: Candidate, person_words: set[str], text: str) -> bool:
    words = [t for t in cand.tokens if _has_letters(t.text)]
    if not _has_letters(cand.text):
        return True
    if cand.type == "person":
        if cand.place is not None:
            return False
        if words and all(names.is_initial(t.text) for t in words):
            return True  # "А. Б." alone names nobody
        if len(words) == 1 and words[0].text.lower() in person_words:
            return False  # a surname seen elsewhere in a full name
        if not words:
            return not names.name_like(cand.text)
        meaningful = [
            t
            for t in words
            if _lemma(t) not in lexicons.PERSON_STOP
            and not lexicons.is_position(_lemma(t))
            and names.name_like(t.text)
        ]
        return not meaningful
    if cand.type == "location" and len(words) == 1 and cand.place is None:
        if lexicons.is_position(_lemma(words[0])):
            return True  # "Хоким Ферганской области": the post tagged LOC on its own
        # "Кипрское", "Южная": an adjective on its own is not a place name
        if words[0].pos == "ADJ" and not names.name_like(words[0].text):
            return True
        # "Товарооборот" opening a sentence: capitalised by position alone, and a
        # dictionary noun that names no place ("Луну" mid-sentence stays a place)
        return _sentence_initial(text, words[0].start) and _common_noun(words[0].text)
    if cand.type == "organization" and len(words) == 1:
        lemma = _lemma(words[0])
        return (
            lemma in lexicons.ORG_STOP
            or words[0].text.lower() in lexicons.ORG_STOP
            or lexicons.is_position(lemma)
            or (words[0].text[:1].islower() and not words[0].text.isascii())  # not "eBay"
        )
    return False


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(' \t«"(')
    return not before or before[-1] in "\n.!?:"


@lru_cache(maxsize=65_536)
def _common_noun(word: str) -> bool:
    """Known to the dictionary only as a common noun: no reading as a place,
    a name or an organisation ("товарооборот" yes; "Орёл", "Бали", "Шымкент" no)."""
    if word.isupper():
        return False  # abbreviations: "США", "ОАЭ"
    parses = models().morph_vocab.parse(word.lower())
    proper = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr"}
    return bool(parses) and all(
        p.is_known and p.tag.POS == "NOUN" and not (proper & p.tag.grammemes) for p in parses
    )


def _close_quotes(cand: Candidate, doc: Doc) -> None:
    """NER stops before the closing quote of «Самрук-Казына»; take it in, so the
    mention and the name read as written."""
    if cand.text.count("«") > cand.text.count("»") and doc.text[cand.end : cand.end + 1] == "»":
        quote = next((t for t in doc.nlp.tokens if t.start == cand.end), None)
        cand.end += 1
        cand.text = doc.text[cand.start : cand.end]
        if quote is not None:
            cand.tokens = [*cand.tokens, quote]


def _in_domain(cand: Candidate, doc: Doc) -> bool:
    """ "в зоне .РФ", "Kapital.kz": a piece of a domain name is not a place."""
    return cand.start > 0 and doc.text[cand.start - 1] == "." and cand.type == "location"


def _strip_post(cand: Candidate, doc: Doc) -> Candidate:
    """ "Аким Туркестанской области" tagged LOC: the post is not part of the place."""
    tokens = list(cand.tokens)
    while len(tokens) > 1 and lexicons.is_position(_lemma(tokens[0])):
        tokens.pop(0)
    if len(tokens) == len(cand.tokens):
        return cand
    rest = _make(doc, tokens, cand.type, cand.source)
    _apply_gazetteer(rest)
    return rest


def _strip_titles(cand: Candidate, doc: Doc) -> list[Candidate]:
    """A PER span with a title or a place in front ("Господин Иванов", "Шымкента
    Нурлан Жумабеков"): keep the name part; a place cut off becomes a location."""
    tokens = list(cand.tokens)
    out = []
    while len(tokens) > 1:
        lemma = _lemma(tokens[0])
        if lemma in lexicons.PERSON_STOP or lexicons.is_position(lemma):
            tokens.pop(0)
            continue
        place = _place_of(tokens[0].text, tokens[:1])
        if place is not None and normal_key(tokens[0].text) not in gazetteer.AMBIGUOUS:
            loc = _make(doc, tokens[:1], place.entity_type, "ner")
            loc.place = place
            out.append(loc)
            tokens.pop(0)
            continue
        break
    if len(tokens) != len(cand.tokens):
        cand = _make(doc, tokens, cand.type, cand.source)
    return out + [cand]
