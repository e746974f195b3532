"""Common nouns that refer back to an organisation named before: «компания»,
«министерство», «хокимият» after «компании Jiangsu Huafang», «министерство
текстильной промышленности».

Kept apart (it depends only on the token layer) so the agreement, intent and plan
components can all resolve «министерство и компания подписали», «Компания готова
вложить», «акимат планирует ввести» the same way.
"""

from __future__ import annotations

from newsfacts.extract.grammars.tokens import lemma, sentences
from newsfacts.model import Entity
from newsfacts.pipeline import Doc

# common nouns a text uses to refer back to an organisation it named before
ORG_NOUNS = frozenset(
    {
        "министерство",
        "компания",
        "корпорация",
        "банк",
        "фонд",
        "акимат",
        "хокимият",
        "мэрия",
        "администрация",
        "холдинг",
        "концерн",
        "завод",
        "предприятие",
        "ведомство",
        "университет",
        "агентство",
        "комитет",
    }
)


def org_named_before(doc: Doc, noun: str, before: int, window: int = 3) -> Entity | None:
    """The latest organisation named as "<noun> X" or "<noun> ..." (its first word)
    before offset `before`, within `window` sentences before that sentence."""
    if noun not in ORG_NOUNS:
        return None
    sents = [s for s in sentences(doc) if s.start <= before]
    best: Entity | None = None
    for s in sents[-(window + 1) :]:
        toks = sorted(s.tokens, key=lambda t: t.start)
        for start, stop, ent, kind in s.mentions:
            if ent.type != "organization" or kind != "name" or stop > before:
                continue
            inside = [t for t in toks if start <= t.start < stop][:1]
            prev = [t for t in toks if t.start < start][-1:]
            if any(lemma(t) == noun for t in inside + prev):
                best = ent
    return best


def represented_at(doc: Doc, person_id: str, start: int, stop: int) -> Entity | None:
    """The organisation or place a person stands for in the sentence [start, stop), as
    the text's own occupation facts state it (the post nearest the sentence, never a
    past one): «аким Туркестанской области Бекзат Оразалиев» stands for the region."""
    best: tuple[int, Entity] | None = None
    for f in doc.facts:
        if f.type != "occupation" or f.args.get("person") != person_id:
            continue
        if f.args.get("phase") == "past" or "where" not in f.args or not f.evidence:
            continue
        where = doc.entity(f.args["where"])
        if where is None or where.type == "person":
            continue
        at = f.evidence[0][0]
        dist = abs(at - start) + (0 if at <= stop else 10_000)
        if best is None or dist < best[0]:
            best = (dist, where)
    return best[1] if best else None
