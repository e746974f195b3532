"""Pass 2 of `entities`, *type*: the gazetteer types candidates and adds the names NER missed.

Why a module of its own: typing a candidate (city, country, organisation, a building
that is a place, a person in capitals) and scanning for places and people the NER
model did not tag both rest on the gazetteer and the name dictionary, not on NER.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.extract import gazetteer, lexicons, names
from newsfacts.extract.entity_candidates import (
    TITLE_RE,
    Candidate,
    _has_letters,
    _lemma,
    _make,
    _place_of,
)
from newsfacts.extract.gazetteer import Place, normal_key
from newsfacts.extract.span_index import Taken
from newsfacts.pipeline import Doc

# --- 2. type and add places ----------------------------------------------------------
# surname endings of the region, for a surname printed in capitals after a first name
_CAPS_SURNAME_RE = re.compile(r"(?:о|е|ё)ва?$|ина?$|ск(?:ий|ая)$|зода$|заде$|уулу$|кызы$|ли$")


def _apply_gazetteer(cand: Candidate) -> None:
    place = _place_of(cand.text, cand.tokens)
    if place is None:
        words = [t.text for t in cand.tokens if _has_letters(t.text)]
        # "Уктам ХОЛМАТОВ" tagged ORG: a first name and a surname in capitals
        caps = (
            cand.type == "organization"
            and len(words) in (2, 3)
            and words[-1].isupper()
            and words[0][:1].isupper()
            and words[0][1:].islower()
        )
        if caps and _CAPS_SURNAME_RE.search(words[-1].lower()):
            cand.type = "person"  # "Уктам ХОЛМАТОВ", "Сафарали НАЗРИЕВ"
        elif (cand.type == "location" or caps) and names.looks_like_person(words):
            cand.type = "person"
        return
    if cand.type == "person" and normal_key(cand.text) in gazetteer.AMBIGUOUS:
        return
    cand.place = place
    cand.type = place.entity_type


def _seat_as_place(cand: Candidate, doc: Doc) -> None:
    """ "Кремль заявил" is an organisation, "в Кремле" the building it sits in."""
    place = cand.place
    if place is None or place.name not in lexicons.SEATS:
        return
    before = doc.text[max(0, cand.start - 4) : cand.start].split()
    if before and before[-1].lower() in {"в", "во", "на"}:
        cand.place = Place(place.name, "other", country=place.country)
        cand.type = "location"


def _facility_as_place(cand: Candidate, previous: Any | None) -> None:
    """ "Дворце молодёжи", "аэропорту Домодедово" tagged ORG are buildings, i.e. places.
    `previous` is the token before the mention."""
    if cand.type != "organization" or cand.place is not None or not cand.tokens:
        return
    words = [t for t in cand.tokens if _has_letters(t.text)]
    head = next((t for t in words if t.pos in ("NOUN", "PROPN")), None)
    if head is not None and _lemma(head) in lexicons.FACILITY_HEADS:
        cand.type = "location"
        return
    if previous is not None and _lemma(previous) in lexicons.FACILITY_HEADS:
        cand.type = "location"  # "аэропорт «Домодедово»": the name of the facility


def _name_scan(doc: Doc, taken: Taken) -> list[Candidate]:
    """People the NER model missed: a dictionary first name followed by a surname
    ("Ерболат Досаев" at the start of a paragraph), both capitalised, untagged."""
    out: list[Candidate] = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i in range(len(tokens) - 1):
            pair = tokens[i : i + 2]
            span = (pair[0].start, pair[1].stop)
            # the cheap test first: most pairs are not two capitalised words
            if not all(TITLE_RE.match(t.text) for t in pair) or taken.overlaps(span):
                continue
            if not names.looks_like_person([t.text for t in pair]):
                continue
            if any(
                _lemma(t) in lexicons.PERSON_STOP or lexicons.is_position(_lemma(t)) for t in pair
            ):
                continue
            if _place_of(pair[1].text, pair[1:]) is not None:
                continue
            out.append(_make(doc, pair, "person", "name-scan"))
            taken.add(span)
    return out


def _may_start_place(token: Any) -> bool:
    """Whether any gazetteer window from `token` can match, asked once, not per window.

    Both keys a window is looked up by (its text and its lemmas, through
    `normal_key`) begin with the key of this first token alone: a token holds no
    space, and `normal_key` maps characters one by one and only rewrites spaces.
    The exceptions are checked: a capital sigma lowercases by context, and a
    text or lemma with a space could join a " - " with the next word; then every
    window is tried as before."""
    text, lemma = token.text, _lemma(token)
    if "Σ" in text or len(text.split()) != 1 or len(lemma.split()) != 1:
        return True
    return gazetteer.has_prefix(normal_key(text)) or gazetteer.has_prefix(normal_key(lemma))


def _gazetteer_scan(doc: Doc, taken: Taken) -> list[Candidate]:
    """Places the NER model missed: longest gazetteer match over capitalised tokens."""
    out: list[Candidate] = []
    longest = gazetteer.max_words()
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        i = 0
        while i < len(tokens):
            first = tokens[i]
            if not first.text[:1].isupper() or not _may_start_place(first):
                i += 1
                continue
            found = None
            for n in range(min(longest, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                if not window[-1].text[:1].isalnum():
                    continue
                text = doc.text[window[0].start : window[-1].stop]
                if n == 1 and normal_key(text) in gazetteer.AMBIGUOUS:
                    continue
                place = _place_of(text, window)
                if place is not None:
                    found = (window, place)
                    break
            if found is None:
                i += 1
                continue
            window, place = found
            span = (window[0].start, window[-1].stop)
            if not taken.overlaps(span):
                cand = _make(doc, window, place.entity_type, "gazetteer")
                cand.place = place
                out.append(cand)
                taken.add(span)
            i += len(window)
    return out
