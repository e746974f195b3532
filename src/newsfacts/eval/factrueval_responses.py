"""Our extraction output turned into FactRuEval-2016 responses.

Why a module of its own: mapping our types, names and fact arguments onto FactRuEval's
(per/loc/org/locorg, "Фамилия Имя" person values, who/position/where...) is a
translation that neither the scorer nor the command should know about.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.eval.factrueval_files import RespEntity, RespFact
from newsfacts.eval.factrueval_gold import norm

# ---------------------------------------------------------------------------- our output


def person_parts(name: str) -> dict[str, str]:
    """firstname / surname / patronymic of a normalized person name, by morphology.

    pymorphy2 knows most Russian first names (`Name`), patronymics (`Patr`) and many
    surnames (`Surn`); words it does not know fall back on the usual order of a
    news name: "Имя Фамилия" or "Имя Отчество Фамилия".
    """
    from newsfacts.nlp.natasha_pipe import models

    words = name.split()
    if not words:
        return {}
    morph = models().morph_vocab
    roles: list[str | None] = []
    for w in words:
        role = None
        for p in morph.parse(w)[:3]:
            if "Patr" in p.tag:
                role = "patronymic"
            elif "Name" in p.tag:
                role = "firstname"
            elif "Surn" in p.tag:
                role = "surname"
            if role:
                break
        roles.append(role)
    if len(words) == 1:
        return {roles[0] or "surname": words[0]}
    if None in roles or len(set(roles)) != len(roles):
        default = {2: ["firstname", "surname"], 3: ["firstname", "patronymic", "surname"]}
        order = default.get(len(words))
        if order is None:
            return {"firstname": words[0], "surname": words[-1]}
        roles = list(order)
    return {r: w for r, w in zip(roles, words, strict=True) if r}


def person_value(name: str) -> str:
    """Surname first, as FactRuEval writes people: "гринспен аарон"."""
    parts = person_parts(name)
    order = [parts.get(k) for k in ("surname", "firstname", "patronymic")]
    return norm(" ".join(p for p in order if p) or name)


# A place name after one of these is where something happens (Location); a country
# or city named anywhere else usually acts (LocOrg): "Россия заявила", "мэрия Москвы".
SPATIAL_PREPOSITIONS = {"в", "во", "на", "из", "до", "к", "над", "по", "под", "о", "об"}


def entity_tag(entity: Any, text: str = "", start: int | None = None) -> str:
    """FactRuEval type of our entity mention: per, org, loc or locorg."""
    if entity.type == "person":
        return "per"
    if entity.type == "organization":
        return "org"
    if getattr(entity, "subtype", None) not in ("country", "city"):
        return "loc"
    if start is not None:
        before = re.findall(r"\w+", text[max(0, start - 20) : start])
        if before and before[-1].lower() in SPATIAL_PREPOSITIONS:
            return "loc"
    return "locorg"


def named_mentions(doc: Any) -> list[tuple[str, int, int]]:
    """Named mentions only: FactRuEval track 1 does not score "посол" or "стороны"."""
    ents = {e.id: e for e in doc.entities}
    text = getattr(doc, "text", "") or ""
    out = []
    if doc.mentions:
        for m in doc.mentions:
            e = ents.get(m.entity_id)
            if e is not None and getattr(m, "kind", "name") == "name":
                out.append((entity_tag(e, text, m.start), m.start, m.end))
    else:
        for e in doc.entities:
            out.extend((entity_tag(e, text, s[0]), s[0], s[1]) for s in e.mentions)
    return out


def response_entities(doc: Any) -> list[RespEntity]:
    out = []
    for e in doc.entities:
        tag = entity_tag(e)
        if tag == "per":
            parts = person_parts(e.name)
            attrs = [(k, parts[k]) for k in ("firstname", "surname", "patronymic") if k in parts]
        else:
            attrs = [("name", e.name)]
        out.append(RespEntity(tag, [(k, v) for k, v in attrs if v]))
    return out


def _value(doc: Any, value: Any) -> str | None:
    if isinstance(value, str):
        e = doc.entity(value) if re.fullmatch(r"E\d+", value) else None
        if e is None:
            return norm(value)
        return person_value(e.name) if e.type == "person" else norm(e.name)
    if isinstance(value, dict):
        return _value(doc, value.get("id") or value.get("name") or value.get("text"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _many(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


# our fact type -> ((our arg, FactRuEval arg), ...)
FACT_ARGS: dict[str, tuple[tuple[str, str], ...]] = {
    "occupation": (("person", "who"), ("position", "position"), ("where", "where")),
    "meeting": (("participants", "participant"),),
    "deal": (("parties", "participant"), ("type", "type"), ("kind", "type")),
    "ownership": (("owner", "owner"), ("property", "property")),
}
PHASES = {"start": "начало", "end": "конец"}
# FactRuEval's Deal is a transaction (purchase, investment, loan, fine); a signed
# agreement is not one of its types, and its devset leaves signings unannotated.
NOT_FRE_DEAL_EXTRACTORS = frozenset({"agreement"})


def response_facts(doc: Any) -> list[RespFact]:
    out = []
    for f in doc.facts:
        mapping = FACT_ARGS.get(f.type)
        if not mapping:
            continue
        if f.type == "deal" and getattr(f, "extractor", None) in NOT_FRE_DEAL_EXTRACTORS:
            continue
        args: list[tuple[str, str]] = []
        for ours, theirs in mapping:
            for v in _many(f.args.get(ours)):
                text = _value(doc, v)
                if text:
                    args.append((theirs, text))
        phase = PHASES.get(str(f.args.get("phase")))
        if f.type == "occupation" and phase:
            args.append(("фаза", phase))
        if args:
            out.append(RespFact(f.type, args))
    return out
