"""The quantity's subjects: the places and organisations a figure is about.

Named entities of the figure's clause, countries named by an adjective ("казахстанский
экспорт"), both countries of a bilateral figure ("товарооборот между странами") and
the country of "по стране". The gazetteer is optional: without it subjects come from
NER only, and a gazetteer error never loses the figure.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.extract.quantity.base import Tok, gazetteer_module
from newsfacts.model import Entity, Span
from newsfacts.pipeline import Doc

_COUNTRY_GROUP_RE = re.compile(
    r"между\s+(?:двумя\s+|обеими\s+|нашими\s+)?странами|двух\s+стран|обеих\s+стран|"
    r"двусторонн[а-яё]+|взаимн[а-яё]+\s+(?:товарооборот|торгов)",
    re.I,
)
_ONE_COUNTRY_RE = re.compile(r"по\s+стране|в\s+стране|по\s+республике|в\s+республике", re.I)


def _place(name: str) -> Any:
    """The gazetteer's place for a name, or None (also when the gazetteer fails)."""
    gz = gazetteer_module()
    if gz is None:
        return None
    try:
        return gz.lookup(name)
    except Exception:  # a gazetteer bug must not lose the figure
        return None


def _is_country(e: Entity) -> bool:
    if e.type != "location":
        return False
    if e.subtype is not None:
        return e.subtype == "country"
    place = _place(e.name)
    return bool(place and place.kind == "country")


def is_country_id(doc: Doc, entity_id: str) -> bool:
    e = doc.entity(entity_id)
    return e is not None and _is_country(e)


def _country_code(e: Entity) -> str | None:
    if e.code:
        return e.code
    place = _place(e.name)
    return place.code if place and place.kind == "country" else None


def _entity_for_code(doc: Doc, code: str) -> Entity | None:
    for e in doc.entities:
        if e.type == "location" and _country_code(e) == code:
            return e
    return None


def find_subjects(
    doc: Doc, toks: list[Tok], clause: Span, sent: Span, skip: list[Span]
) -> list[str]:
    text = doc.text
    out: list[str] = []

    def add(e: Entity | None) -> None:
        if e is not None and e.id not in out:
            out.append(e.id)

    cs, ce = clause
    if re.match(r"\s*котор", text[cs:ce], re.I):
        # "Бали, который посещают до 10 тыс. человек": the antecedent is before the comma.
        near = [m for m in doc.mentions if sent[0] <= m.end <= cs and cs - m.end <= 3]
        for m in near:
            e = doc.entity(m.entity_id)
            if e is not None and e.type in {"location", "organization"}:
                add(e)
    for m in doc.mentions:
        if not (m.start >= cs and m.end <= ce):
            continue
        if any(m.start < e and s < m.end for s, e in skip):
            continue  # "США" in "долларов США" is the currency, not a subject
        e = doc.entity(m.entity_id)
        if e is not None and e.type in {"location", "organization"}:
            add(e)
    gz = gazetteer_module()
    if gz is not None:
        for t in toks:
            if cs <= t.start < ce and t.pos == "ADJ":
                try:
                    place = gz.country_by_adjective(t.lemma)
                except Exception:  # a gazetteer bug must not lose the figure
                    place = None
                if place is not None and place.code:
                    add(_entity_for_code(doc, place.code))
    clause_text = text[cs:ce]
    if _COUNTRY_GROUP_RE.search(clause_text):
        recent: list[Entity] = []
        for m in sorted(doc.mentions, key=lambda m: -m.start):
            if m.start >= sent[1] or any(m.start < e and s < m.end for s, e in skip):
                continue
            e = doc.entity(m.entity_id)
            if e is not None and _is_country(e) and e not in recent:
                recent.append(e)
            if len(recent) == 2:
                break
        for e in recent:
            add(e)
    elif _ONE_COUNTRY_RE.search(clause_text):
        country = None
        for m in doc.mentions:
            if sent[0] <= m.start < sent[1]:
                e = doc.entity(m.entity_id)
                if e is not None and e.country:
                    country = _entity_for_code(doc, e.country)
                    if country:
                        break
        if country is None:
            for m in sorted(doc.mentions, key=lambda m: -m.start):
                e = doc.entity(m.entity_id)
                if m.start < sent[0] and e is not None and _is_country(e):
                    country = e
                    break
        add(country)
    return out
