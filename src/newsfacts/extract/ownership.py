"""Ownership facts as FactRuEval defines them: who owns (or founded) which organisation.

Three shapes cover most news text: an owner noun around a company name ("основатель
MySQL Майкл Видениус", "Марк Цукерберг, владелец Facebook", "владельцем Facebook
является Марк Цукерберг"), the verb "принадлежать" ("DST, принадлежащая Юрию
Мильнеру и Алишеру Усманову") and owner verbs with a subject and an object
("Цукерберг основал Facebook", "Усманов владеет ..."). The noun shape reuses the
occupation extractor's holder search, since an owner is named where a post holder is.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.lexicon import OWNER_NOUNS, OWNER_VERBS
from newsfacts.extract.grammars.tokens import Sent, is_break, is_finite_verb, lemma, sentences
from newsfacts.extract.merge import add_once
from newsfacts.extract.occupation_holders import holder_left, holder_predicate, holder_right
from newsfacts.extract.occupation_posts import PostChunk
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc, component

OWNER_TYPES = ("person", "organization", "location")
PROPERTY_TYPES = ("organization",)
MAX_GAP = 6
COMPANY_WORDS = frozenset(
    ["компания", "сеть", "портал", "фирма", "холдинг", "банк", "театр", "агентство", "сайт"]
)


def _entities_in(sent: Sent, tok: Any, types: tuple[str, ...], depth: int = 2) -> list[Entity]:
    """The named entities in the phrase headed by tok, its conjuncts included."""
    out: list[Entity] = []
    ent = sent.entity_at(tok, types)
    if ent is not None:
        out.append(ent)
    if depth == 0:
        return out
    for child in sent.children(tok):
        if child.rel in ("conj", "appos", "flat:name", "nmod", "flat:foreign", "flat"):
            for e in _entities_in(sent, child, types, depth - 1):
                if e not in out:
                    out.append(e)
    return out


def _properties_after(sent: Sent, i: int) -> list[Entity]:
    """Organisations named right after an owner noun: "владелец Facebook", "основатель
    театра «Театр.doc» и театра им. Йозефа Бойса"."""
    toks = sent.tokens
    out: list[Entity] = []
    for k in range(i + 1, min(len(toks), i + 1 + MAX_GAP)):
        tok = toks[k]
        ent = sent.entity_at(tok, PROPERTY_TYPES)
        if ent is not None:
            out.append(ent)
            break
        if is_break(tok) or is_finite_verb(tok) or sent.entity_at(tok, ("person",)):
            return out
    else:
        return out
    # conjoined companies: "X и театра Y"
    first = k
    for k in range(first + 1, min(len(toks), first + 1 + MAX_GAP)):
        tok = toks[k]
        ent = sent.entity_at(tok, PROPERTY_TYPES)
        if ent is not None and ent not in out:
            if lemma(toks[k - 1]) == "и" or any(lemma(t) == "и" for t in toks[max(0, k - 3) : k]):
                out.append(ent)
            continue
        if is_break(tok) or is_finite_verb(tok) or sent.entity_at(tok, ("person",)):
            break
    return out


def _noun_facts(
    sent: Sent, i: int, recent_org: Entity | None
) -> list[tuple[Entity, Entity, float]]:
    props = _properties_after(sent, i)
    penalty = 0.0
    if not props and recent_org is not None and _refers_back(sent, i):
        # "его основатель Джон Килинг", "создатель социальной сети Марк Цукерберг":
        # the company was named before; take the latest one
        props, penalty = [recent_org], 0.25
    if not props:
        return []
    chunk = PostChunk(first=i, head=i, last=i)
    starts = {i: chunk}
    for finder, conf in (
        (lambda: holder_right(sent, chunk, starts), 0.8),
        (lambda: holder_left(sent, chunk), 0.75),
        (lambda: holder_predicate(sent, chunk), 0.7),
        (lambda: _copula_subject(sent, i), 0.7),
        (lambda: _listed_before(sent, i), 0.6),
    ):
        m = finder()
        if m is not None and all(m[2] is not p for p in props):
            return [(m[2], p, conf - penalty) for p in props]
    return []


def _refers_back(sent: Sent, i: int) -> bool:
    """Whether the owner noun points at a company named earlier."""
    toks = sent.tokens
    if i > 0 and lemma(toks[i - 1]) in ("его", "ее", "их", "этот"):
        return True
    k = i + 1
    while k < len(toks) and toks[k].pos == "ADJ":
        k += 1
    return k < len(toks) and lemma(toks[k]) in COMPANY_WORDS and sent.entity_at(toks[k]) is None


def _listed_before(sent: Sent, i: int) -> tuple | None:
    """ "Крис Хелмбрехт - управляющий директор и совладелец агентства": the name that
    opens the list of posts the owner noun closes."""
    toks = sent.tokens
    k = i - 1
    steps = 0
    while k > 0 and steps < 8:
        tok = toks[k]
        if tok.text in ("-", "—", "–", ","):
            prev = toks[k - 1]
            for m in sent.mentions:
                if m[1] == prev.stop and m[2].type == "person" and m[3] == "name":
                    return m
            return None
        if is_finite_verb(tok) or sent.entity_at(tok) is not None:
            return None
        k -= 1
        steps += 1
    return None


def _copula_subject(sent: Sent, i: int) -> tuple | None:
    """ "Главным владельцем Facebook является её основатель Марк Цукерберг"."""
    head = sent.tokens[i]
    gov = sent.head(head)
    if gov is None or lemma(gov) not in ("являться", "быть", "стать", "оставаться"):
        return None
    for child in sent.children(gov):
        if child.rel in ("nsubj", "nsubj:pass"):
            for e in _entities_in(sent, child, ("person",)):
                return next(m for m in sent.mentions if m[2] is e)
    return None


def _named_before(sent: Sent, verb: Any) -> Entity | None:
    k = sent.index[verb.id] - 1
    if k < 1 or sent.tokens[k].text != "," or (verb.feats or {}).get("VerbForm") != "Part":
        return None
    prev = sent.tokens[k - 1]
    for _start, stop, ent, _kind in sent.mentions:
        if stop == prev.stop and ent.type in PROPERTY_TYPES:
            return ent
    return None


def _back_owned(sent: Sent, verb: Any, recent_org: Entity | None) -> list[tuple]:
    """ "Предприятие на 70% принадлежит компании Y": the subject is a common noun for
    the organisation named just before."""
    if lemma(verb) != "принадлежать" or recent_org is None:
        return []
    subj = next((c for c in sent.children(verb) if c.rel.startswith("nsubj")), None)
    if subj is None or lemma(subj) not in BACK_NOUNS or sent.entity_at(subj) is not None:
        return []
    owners: list[Entity] = []
    for child in sent.children(verb):
        if child.rel in ("iobj", "obl", "obj") and (child.feats or {}).get("Case") == "Dat":
            owners.extend(_entities_in(sent, child, ("person", "organization")))
    return [(o, recent_org, 0.55) for o in owners if o is not recent_org]


def _verb_facts(sent: Sent, verb: Any) -> list[tuple[Entity, Entity, float]]:
    lem = lemma(verb)
    out: list[tuple[Entity, Entity, float]] = []
    if lem == "принадлежать":
        # property: subject, or the noun a participle hangs off; owners: dative
        left = _named_before(sent, verb)
        if left is not None:
            # "DST, принадлежащая Юрию Мильнеру": the name the participle follows is
            # more reliable than where the parser hung the participle
            props = [left]
        elif verb.rel.startswith("acl"):
            props = _entities_in(sent, sent.head(verb), PROPERTY_TYPES, depth=1)
        else:
            subj = next((c for c in sent.children(verb) if c.rel.startswith("nsubj")), None)
            props = _entities_in(sent, subj, PROPERTY_TYPES, depth=1) if subj else []
        owners: list[Entity] = []
        for child in sent.children(verb):
            if child.rel in ("iobj", "obl", "obj") and (child.feats or {}).get("Case") == "Dat":
                owners.extend(_entities_in(sent, child, OWNER_TYPES))
        for p in props[:1]:
            out.extend((o, p, 0.75) for o in owners if o is not p)
        return out
    subj = next((c for c in sent.children(verb) if c.rel == "nsubj"), None)
    obj = next((c for c in sent.children(verb) if c.rel == "obj"), None)
    if lem == "владеть":
        obj = next((c for c in sent.children(verb) if c.rel in ("obj", "obl")), None)
    if subj is None or obj is None:
        return out
    owners = _entities_in(sent, subj, ("person", "organization"), depth=1)
    props = _entities_in(sent, obj, PROPERTY_TYPES, depth=1)
    # "основать", "создать": only a person founding an organisation is ownership
    if lem in ("основать", "создать"):
        owners = [o for o in owners if o.type == "person"]
    for p in props[:1]:
        out.extend((o, p, 0.65) for o in owners if o is not p)
    return out


# "является дочерней компанией Y", "входит в группу Y", "входящая в холдинг Y"
GROUP_NOUNS = frozenset({"группа", "холдинг", "концерн", "корпорация", "состав"})
# "Предприятие принадлежит Y": a common noun standing for the company named before
BACK_NOUNS = frozenset({"компания", "предприятие", "завод", "комплекс", "фабрика", "терминал"})


def _group_facts(sent: Sent, i: int, recent_org: Entity | None) -> list[tuple]:
    """(owner, property, confidence) for a subsidiary or group member: the owner is the
    first organisation named after the trigger, the property the last one named before
    it in the sentence, else the organisation of the previous sentences."""
    toks = sent.tokens
    lem = lemma(toks[i])
    if lem == "дочерний":
        if i + 1 >= len(toks) or lemma(toks[i + 1]) not in COMPANY_WORDS | {"предприятие"}:
            return []
        after = toks[i + 1].stop
    elif lem in ("входить", "входящий"):
        nxt = [lemma(t) for t in toks[i + 1 : i + 3]]
        if len(nxt) < 2 or nxt[0] not in ("в", "во") or nxt[1] not in GROUP_NOUNS:
            return []
        after = toks[i + 2].stop
    else:
        return []
    stop = toks[min(len(toks) - 1, i + 9)].stop
    owners = [m[2] for m in sent.mentions_between(after, stop, PROPERTY_TYPES)]
    before = [m for m in sent.mentions if m[1] <= toks[i].start and m[2].type in PROPERTY_TYPES]
    prop = before[-1][2] if before else recent_org
    if not owners or prop is None or owners[0] is prop:
        return []
    return [(owners[0], prop, 0.6)]


def extract_ownerships(doc: Doc) -> list[Fact]:
    facts: dict[tuple[str, str], Fact] = {}
    recent_org: Entity | None = None
    for sent in sentences(doc):
        for i, tok in enumerate(sent.tokens):
            lem = lemma(tok)
            org = sent.entity_at(tok, PROPERTY_TYPES)
            if lem in OWNER_NOUNS and tok.pos in ("NOUN", "PROPN"):
                found = _noun_facts(sent, i, recent_org)
            elif lem in OWNER_VERBS and tok.pos == "VERB":
                found = _verb_facts(sent, tok) or _back_owned(sent, tok, recent_org)
            elif lem in ("дочерний", "входить", "входящий"):
                found = _group_facts(sent, i, recent_org)
            else:
                if org is not None:
                    recent_org = org
                continue
            for owner, prop, conf in found:
                key = (owner.id, prop.id)
                fact = Fact(
                    type="ownership",
                    args={"owner": owner.id, "property": prop.id},
                    evidence=[(sent.start, sent.stop)],
                    confidence=conf,
                    extractor="ownership",
                )
                add_once(facts, key, fact)
    return list(facts.values())


@component("ownership")
def ownership_layer(doc: Doc) -> None:
    for fact in extract_ownerships(doc):
        doc.add_fact(fact)
