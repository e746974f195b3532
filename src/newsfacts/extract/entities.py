"""Typed, normalized, merged entities from natasha's NER spans, a gazetteer and syntax.

natasha's NER is good at finding names but leaves four jobs to us, each a short
pass in a module of its own:

1. *clean*: drop what is not a name (a capitalised adjective tagged PER, a glued
   "сотрудничестваАким" tagged ORG, a lone "СМИ"), trim punctuation, split lists;
2. *type*: the gazetteer says "Алматы" is a city in KZ, "ЕС" an organisation, and
   adds the places NER missed ("Европы");
3. *extend*: "правительство Китая", "пресс-служба акима Алматы" are organisations
   named after a place or a post; the place stays a mention of its own;
4. *merge*: "Марко Альберти", "Альберти" and "М. Альберти" are one person;
   "Организация Объединённых Наций" and "ООН" one organisation.

`Entity.mentions` holds the name mentions only; nominal mentions ("посол") are
added to `doc.mentions` by the coref component, so a mention-level evaluation that
reads entities sees names, and fact extractors that read `doc.mentions` see both.

Each pass lives in its own module: `entity_candidates` (the candidate type),
`entity_cleaning` (1), `entity_typing` (2), `entity_org_heads` (3), `entity_normal`
(normal names) and `entity_merge` (4 and the repeats); this module runs them in order
and registers the `entities` component.
"""

from __future__ import annotations

from newsfacts.extract import entity_filters, names, org_aliases
from newsfacts.extract.entity_candidates import (
    NER_TYPES,
    Candidate,
    _make,
)
from newsfacts.extract.entity_cleaning import (
    _close_quotes,
    _in_domain,
    _is_noise,
    _split_span,
    _strip_post,
    _strip_titles,
)
from newsfacts.extract.entity_merge import (
    _display_name,
    _merge_others,
    _merge_people,
    _org_key,
    _repeats,
    _retype_people,
)
from newsfacts.extract.entity_normal import _normalize, syntax_normalize
from newsfacts.extract.entity_org_heads import _org_heads, _services_of
from newsfacts.extract.entity_typing import (
    _apply_gazetteer,
    _facility_as_place,
    _gazetteer_scan,
    _name_scan,
    _seat_as_place,
)
from newsfacts.extract.span_index import Taken
from newsfacts.model import Entity
from newsfacts.pipeline import Doc, Mention, component

__all__ = [
    "Candidate",
    "entities_layer",
    "extract_candidates",
    "syntax_normalize",
]


def extract_candidates(doc: Doc) -> list[Candidate]:
    """Cleaned, typed and normalized mention candidates (before merging)."""
    cands: list[Candidate] = []
    for span in doc.nlp.spans:
        for cand in _split_span(doc, list(span.tokens), NER_TYPES[span.type]):
            _apply_gazetteer(cand)
            if cand.type == "organization":
                _close_quotes(cand, doc)
            if cand.type == "person" and cand.tokens:
                cands += _strip_titles(cand, doc)
            elif cand.type == "location" and cand.place is None and len(cand.tokens) > 1:
                cands.append(_strip_post(cand, doc))
            else:
                cands.append(cand)
    person_words = {
        t.text.lower()
        for c in cands
        if c.type == "person" and len(c.tokens) > 1
        for t in c.tokens
        if names.name_like(t.text)
    }
    cands = [
        c for c in cands if not _is_noise(c, person_words, doc.text) and not _in_domain(c, doc)
    ]
    previous = {t.start: p for p, t in zip(doc.nlp.tokens, doc.nlp.tokens[1:], strict=False)}
    for cand in cands:
        _seat_as_place(cand, doc)
        _facility_as_place(cand, previous.get(cand.start))
    taken = Taken(len(doc.text), ((c.start, c.end) for c in cands))
    cands += [c for c in _gazetteer_scan(doc, taken) if not _in_domain(c, doc)]
    cands += _name_scan(doc, taken)
    cands += _org_heads(doc, cands)
    cands += _services_of(doc, cands)
    for cand in cands:
        cand.normal = _normalize(cand)
    cands = entity_filters.clean_candidates(doc, cands, _make, _normalize)
    # "Самрук-Казына сообщает" tagged PER after «Самрук-Казына» was an organisation
    org_keys = {_org_key(c.normal) for c in cands if c.type == "organization"}
    for cand in cands:
        if cand.type == "person" and _org_key(cand.text) in org_keys:
            cand.type = "organization"
            cand.normal = cand.text
    cands.sort(key=lambda c: (c.start, -c.end))
    return cands


@component("entities")
def entities_layer(doc: Doc) -> None:
    if doc.nlp is None:  # the natasha component did not run: nothing to read
        return
    cands = extract_candidates(doc)
    people = _merge_people([c for c in cands if c.type == "person"])
    others = _merge_others([c for c in cands if c.type != "person"], doc)
    for ent in people:
        ent.name = _display_name(ent)
    ents = _retype_people(people + org_aliases.merge_aliases(others))
    _repeats(doc, ents, Taken(len(doc.text), ((c.start, c.end) for c in cands)))
    ents.sort(key=lambda e: e.first_start)
    doc.entities = []
    doc.mentions = []
    for number, ent in enumerate(ents, start=1):
        entity = Entity(id=f"E{number}", type=ent.type, name=ent.name)
        if ent.place is not None:
            entity.subtype = ent.place.subtype
            if ent.place.kind == "country":
                entity.code = ent.place.code
            elif ent.place.kind != "organization":  # the schema gives places a country
                entity.country = ent.place.country
        elif ent.type == "location":
            entity.subtype = "other"
        seen: set[tuple[int, int]] = set()
        for cand in sorted(ent.mentions, key=lambda c: c.start):
            span = (cand.start, cand.end)
            if span in seen:
                continue
            seen.add(span)
            entity.mentions.append(span)
            if cand.text not in entity.aliases and cand.text != entity.name:
                entity.aliases.append(cand.text)
            doc.mentions.append(Mention(cand.start, cand.end, entity.id, "name"))
        doc.entities.append(entity)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
