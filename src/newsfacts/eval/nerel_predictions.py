"""Our extraction output mapped onto NEREL types: entities, posts, relations, numbers.

Why a module of its own: which of our entities, facts and dates become which NEREL
mention or relation (person → PERSON, an occupation's post → PROFESSION, WORKS_AS,
WORKPLACE, OWNER_OF, MONEY/PERCENT/NUMBER) is a translation the scorer and the command
need not know; the natasha baseline is mapped here too.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.eval.nerel_gold import (
    Annotation,
    Mention,
    Relation,
    Span,
)

LOCATION_SUBTYPES = {"country": "COUNTRY", "city": "CITY", "region": "STATE_OR_PROVINCE"}


# ---------------------------------------------------------------------------- our output


def locate(text: str, span: Span, phrase: str) -> Span | None:
    """Where `phrase` (a normalized form, e.g. "аким") is written inside `span`.

    Each word is matched by its stem, so an inflected form in the text ("акима",
    "министром") is found too.
    """
    words = re.findall(r"\w+", phrase.lower())
    if not words:
        return None
    parts = [re.escape(w[: max(3, len(w) - 2)]) + r"\w*" for w in words]
    pattern = re.compile(r"(?<!\w)" + r"[\s\-]+".join(parts), re.IGNORECASE)
    m = pattern.search(text, span[0], span[1])
    return (m.start(), m.end()) if m else None


def position_span(text: str, args: dict[str, Any], evidence: list[Span]) -> Span | None:
    """Where the occupation's post is written: an explicit span, else the surface
    text the extractor saw (`position_text`), else the normalized post by its stems."""
    given = args.get("position_span")
    if isinstance(given, list | tuple) and len(given) == 2:
        return (int(given[0]), int(given[1]))
    surface = args.get("position_text")
    if isinstance(surface, str) and surface:
        for lo, hi in evidence:
            at = text.find(surface, lo, hi)
            if at >= 0:
                return (at, at + len(surface))
    if isinstance(args.get("position"), str):
        return next((s for e in evidence if (s := locate(text, e, args["position"]))), None)
    return None


def _entity_type(entity: Any) -> str | None:
    if entity.type == "person":
        return "PERSON"
    if entity.type == "organization":
        return "ORGANIZATION"
    if entity.type == "location":
        return LOCATION_SUBTYPES.get(entity.subtype or "", "LOCATION")
    return None


def _named(doc: Any) -> list[tuple[Any, Span]]:
    """(entity, span) of every named mention; nominal ones ("посол") are not NEREL names."""
    ents = {e.id: e for e in doc.entities}
    if doc.mentions:
        return [
            (ents[m.entity_id], (m.start, m.end))
            for m in doc.mentions
            if m.entity_id in ents and getattr(m, "kind", "name") == "name"
        ]
    return [(e, (s[0], s[1])) for e in doc.entities for s in e.mentions]


def _mention_near(doc: Any, entity_id: Any, near: Span, within: list[Span]) -> Span | None:
    """The entity's mention inside the fact's evidence closest to `near`."""
    if not isinstance(entity_id, str):
        return None
    mine = [m for m in doc.mentions if m.entity_id == entity_id]
    # NEREL's arguments are names: a post phrase coreference resolved to the person
    # ("директор компании") is no argument span while a name of it is in reach
    ent = doc.entity(entity_id)
    person = ent is not None and ent.type == "person"
    named = [m for m in mine if person and getattr(m, "kind", "name") == "name"]
    spans = [(m.start, m.end) for m in (named or mine)]
    if not spans:
        ent = doc.entity(entity_id)
        spans = [tuple(s) for s in ent.mentions] if ent else []
    inside = [s for s in spans if any(e[0] <= s[0] and s[1] <= e[1] for e in within)]
    pool = inside or spans
    if not pool:
        return None
    return min(pool, key=lambda s: abs(s[0] - near[0]))


def _quantity_type(unit: Any) -> str:
    if unit == "%":
        return "PERCENT"
    if isinstance(unit, str) and re.fullmatch(r"[A-Z]{3}", unit):
        return "MONEY"
    return "NUMBER"


def predictions(doc: Any) -> Annotation:
    ann = Annotation()
    for ent, span in _named(doc):
        etype = _entity_type(ent)
        if etype:
            ann.mentions.append(Mention(etype, *span))
    for d in getattr(doc, "dates", []):
        ann.mentions.append(Mention("DATE", d.start, d.end))
    for f in doc.facts:
        evidence = [tuple(e) for e in f.evidence] or [(0, len(doc.text))]
        if f.type == "occupation":
            pos = position_span(doc.text, f.args, evidence)
            person = _mention_near(doc, f.args.get("person"), pos or evidence[0], evidence)
            where = _mention_near(doc, f.args.get("where"), pos or evidence[0], evidence)
            if pos:
                ann.mentions.append(Mention("PROFESSION", *pos))
                if person:
                    ann.relations.append(Relation("WORKS_AS", person, pos))
            if person and where:
                ann.relations.append(Relation("WORKPLACE", person, where))
        elif f.type == "ownership":
            owner = _mention_near(doc, f.args.get("owner"), evidence[0], evidence)
            prop = _mention_near(doc, f.args.get("property"), evidence[0], evidence)
            if owner and prop:
                ann.relations.append(Relation("OWNER_OF", owner, prop))
        elif f.type == "quantity":
            vspan = f.args.get("value_span")
            if isinstance(vspan, list | tuple) and len(vspan) == 2:
                ann.mentions.append(Mention(_quantity_type(f.args.get("unit")), *map(int, vspan)))
    return ann


def natasha_predictions(text: str) -> list[Mention]:
    from natasha import Doc as NatashaDoc

    from newsfacts.nlp.natasha_pipe import models

    m = models()
    nd = NatashaDoc(text)
    nd.segment(m.segmenter)
    nd.tag_ner(m.ner_tagger)
    types = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOC"}
    return [Mention(types[s.type], s.start, s.stop) for s in nd.spans if s.type in types]
