"""Signed agreements as deal facts: who signed which document, about what, for how much.

Business and diplomatic news reports agreements far more often than purchases:
«Казахстан и США подписали меморандум о сотрудничестве», «подписаны документы»,
«стороны заключили соглашение», «подписание дорожной карты», «контракт на сумму
...». The fact is anchored on the syntax, never on a phrase list: a signing verb
(подписать, заключить, парафировать) or noun (подписание, заключение) must govern a
document noun (its object, its passive subject, or its genitive), so «заключил
Белов» (a speech verb) or «заключенные журналисты» never fire.

Record (type `deal`, `extractor: agreement`; docs/fact-record.md, labelling spec §4.3):
- `parties`: one per side, in text order: the country, region or organisation, or a
  named signatory when no organisation of theirs is named; «стороны» expands to the
  sides coreference found;
- `signatories`: the named persons who signed;
- `kind` (меморандум, соглашение, дорожная карта, протокол о намерениях ...), plus
  `object`, `subject`, `value`/`unit`, `place`, `time` (`agreement_args.py`);
- a planned signing is a `plan` fact, not a deal.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.agreement_args import (
    QUANTIFIERS,
    after_talks,
    document_args,
    named_before,
    recent_meeting,
    represented,
    status_of,
)
from newsfacts.extract.agreement_merge import merge_repeats
from newsfacts.extract.coref_groups import group_at
from newsfacts.extract.grammars.lexicon import POSITION_HEADS
from newsfacts.extract.grammars.tokens import Sent, lemma, sentences
from newsfacts.extract.meeting import place_and_time, subtree
from newsfacts.extract.merge import add_once
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc, component

SIGN_VERBS = frozenset(
    {"подписать", "подписывать", "заключить", "заключать", "парафировать", "ратифицировать"}
)
SIGN_NOUNS = frozenset({"подписание", "заключение", "парафирование"})
DOCUMENTS = frozenset(
    {
        "меморандум",
        "соглашение",
        "контракт",
        "договор",
        "протокол",
        "документ",
        "карта",  # only as "дорожная карта", checked below
        "декларация",
        "хартия",
        "конвенция",
        "пакт",
        "договоренность",
        "коммюнике",
        "соглашение-рамка",
    }
)
# "ряд документов", "пакет соглашений": the document is the quantified genitive
GROUP_NOUNS = frozenset(
    {"делегация", "представитель", "руководство", "правительство", "администрация", "визит"}
)
PLACE_TYPES = ("organization", "location")


def document_kind(sent: Sent, tok: Any) -> str | None:
    """The document a noun names ("дорожная карта", "протокол о намерениях"), or None."""
    lem = lemma(tok)
    if lem not in DOCUMENTS and "-" in lem:
        tail = lem.rsplit("-", 1)[1]  # "EPC-контракт", "кредит-соглашение"
        if tail in DOCUMENTS and tail != "карта":
            return tail
    if lem not in DOCUMENTS:
        return None
    kids = sent.children(tok)
    if lem == "карта":
        return "дорожная карта" if any(lemma(c) == "дорожный" for c in kids) else None
    if lem == "протокол":
        intent = any(lemma(c) == "намерение" for c in kids)
        return "протокол о намерениях" if intent else "протокол"
    return lem


def documents_of(sent: Sent, trigger: Any) -> list[Any]:
    """Document nouns the signing word governs, with their coordinated siblings."""
    rels = ("obj", "nsubj:pass") if trigger.pos == "VERB" else ("nmod",)
    found: list[Any] = []
    for child in sent.children(trigger):
        if child.rel not in rels:
            continue
        cands = [child]
        if lemma(child) in QUANTIFIERS or child.pos == "NUM":
            cands += [g for g in sent.children(child) if g.rel == "nmod"]
        for cand in cands:
            if document_kind(sent, cand):
                found.append(cand)
                found += [
                    c for c in sent.children(cand) if c.rel == "conj" and document_kind(sent, c)
                ]
    # "подписали контракт ..., а также меморандум ...": the parser may hang the second
    # object off another word; an accusative document conjunct after the first counts
    if found and trigger.pos == "VERB":
        first = min(t.start for t in found)
        found += [
            t
            for t in sent.tokens
            if t.rel == "conj"
            and t.start > first
            and (t.feats or {}).get("Case") == "Acc"
            and document_kind(sent, t)
        ]
    # "соглашение, подписанное ...": the participle hangs off the document
    head = sent.head(trigger)
    if trigger.rel.startswith("acl") and head is not None and document_kind(sent, head):
        found.append(head)
    return list({t.id: t for t in found}.values())


def _person_of(sent: Sent, tok: Any) -> Entity | None:
    """The signatory: a name on the token or in its apposition ("директор ... Сергей
    Иванов") before any post word coreference resolved, which may point elsewhere."""
    named = [m for m in sent.mentions if m[3] == "name" and m[2].type == "person"]
    for cand in [tok, *(c for c in sent.children(tok) if c.rel in ("appos", "flat:name"))]:
        for m in named:
            if m[0] <= cand.start and cand.stop <= m[1]:
                return m[2]
    return sent.entity_at(tok, ("person",))


def _place_under(sent: Sent, tok: Any, depth: int = 2) -> Entity | None:
    """The organisation or place a common noun names in its genitive / apposition.

    A mention that also covers `tok` itself ("делегация Карагандинской области" as
    one organisation) is the phrase, not what it names inside.
    """
    for c in sent.children(tok):
        if c.rel not in ("nmod", "appos", "flat:name"):
            continue
        if any(g.rel == "case" for g in sent.children(c)):
            continue  # "в Казахстане": where, not whose
        inner = [
            m
            for m in sent.mentions
            if m[0] <= c.start
            and c.stop <= m[1]
            and m[2].type in PLACE_TYPES
            and not m[0] <= tok.start < m[1]
        ]
        ent = max(inner, key=lambda m: m[1] - m[0])[2] if inner else None
        if ent is None and depth > 1:
            ent = _place_under(sent, c, depth - 1)
        if ent is not None:
            return ent
    return None


def side(doc: Doc, sent: Sent, tok: Any) -> tuple[list[Entity], Entity | None]:
    """Entities standing for one side (several for «стороны»), and the organisation a
    signatory represents."""
    person = _person_of(sent, tok)
    if person is not None:
        return [person], _place_under(sent, tok)
    if lemma(tok) in GROUP_NOUNS:  # "делегация Карагандинской области": the region
        where = _place_under(sent, tok)
        if where is not None:
            return [where], None
    own = sent.entity_at(tok, PLACE_TYPES)
    if own is not None:
        return [own], None
    group = group_at(doc, tok.start, tok.stop)
    if group:
        return [e for i in group if (e := doc.entity(i)) is not None], None
    if lemma(tok) in POSITION_HEADS or lemma(tok) in GROUP_NOUNS:
        where = _place_under(sent, tok)
        return ([where] if where is not None else []), None
    where = _place_under(sent, tok, depth=1)
    if where is None:
        where = named_before(doc, sent, tok)  # "министерство и компания подписали"
    return ([where] if where is not None else []), None


def _with_conj(sent: Sent, tok: Any) -> list[Any]:
    out = [tok]
    for c in sent.children(tok):
        if c.rel == "conj" and c.pos in ("NOUN", "PROPN"):
            out += _with_conj(sent, c)
    return out


def _subject(sent: Sent, verb: Any) -> Any | None:
    cur = verb
    for _ in range(3):
        subj = next((c for c in sent.children(cur) if c.rel in ("nsubj", "nsubj:pass")), None)
        if subj is not None:
            return subj
        up = sent.head(cur)
        if up is None or cur.rel not in ("conj", "xcomp"):
            return None
        cur = up
    return None


def _prep_children(sent: Sent, tok: Any, preps: tuple[str, ...]) -> list[Any]:
    return [
        c
        for c in sent.children(tok)
        if c.rel in ("obl", "nmod", "obl:agent")
        and any(g.rel == "case" and lemma(g) in preps for g in sent.children(c))
    ]


def side_heads(sent: Sent, trigger: Any, document: Any) -> list[Any]:
    """Tokens heading each side, in text order."""
    heads: list[Any] = []
    verb = trigger if trigger.pos == "VERB" else None
    if trigger.pos == "NOUN":
        gov = sent.head(trigger)
        if gov is not None and gov.pos == "VERB" and trigger.rel in ("obj", "obl", "nsubj"):
            verb = gov  # "провели подписание", "договорились о подписании"
    voice = (trigger.feats or {}).get("Voice")
    if verb is not None:
        subj = _subject(sent, verb)
        passive_subject = trigger.pos == "VERB" and voice == "Pass" and subj is not None
        ratified = lemma(verb) == "ратифицировать"  # the parliament is no party
        if subj is not None and subj is not trigger and subj is not document and not ratified:
            heads += [] if passive_subject and subj.rel == "nsubj:pass" else _with_conj(sent, subj)
    for tok in (trigger, document):
        for c in _prep_children(sent, tok, ("между", "с", "со")):
            heads += _with_conj(sent, c)
    # "соглашение о торговле между Казахстаном и Узбекистаном": the parser may hang
    # "между" on the topic noun
    for tok in subtree(sent, document)[1:]:
        for c in _prep_children(sent, tok, ("между",)):
            heads += _with_conj(sent, c)
    # agents of a passive or of the noun: "подписан главами государств", "подписание
    # Казахстаном и Россией"
    for c in sent.children(trigger):
        case = (c.feats or {}).get("Case")
        no_prep = not any(g.rel == "case" for g in sent.children(c))
        if c.rel in ("obl", "obl:agent", "nmod") and case == "Ins" and no_prep:
            heads += _with_conj(sent, c)
        elif c.rel == "obl" and lemma(c) in GROUP_NOUNS:  # "в ходе визита делегации X"
            heads += [g for g in sent.children(c) if g.rel == "nmod"]
    if trigger.rel.startswith("acl"):
        for c in _prep_children(sent, trigger, ("между",)):
            heads += _with_conj(sent, c)
    return sorted({t.id: t for t in heads if t is not document}.values(), key=lambda t: t.start)


def extract_agreements(doc: Doc) -> list[Fact]:
    """Deal facts for agreements signed; a planned signing becomes a plan fact unless
    the intent or plan components already recorded it."""
    facts: dict[tuple, Fact] = {}
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            verb = lem in SIGN_VERBS and tok.pos == "VERB"
            noun = lem in SIGN_NOUNS and tok.pos == "NOUN"
            if not (verb or noun):
                continue
            for document in documents_of(sent, tok):
                fact = agreement_fact(doc, sent, tok, document)
                if fact is None:
                    continue
                key = (frozenset(fact.args.get("parties", [])), fact.args.get("kind"), sent.start)
                add_once(facts, key, fact)
    return merge_repeats(doc, list(facts.values()))


def agreement_fact(doc: Doc, sent: Sent, trigger: Any, document: Any) -> Fact | None:
    """One side each: a named signatory stands for the organisation or place of their
    post when the text names one, else for themselves (`parties`, `signatories`)."""
    parties: list[Entity] = []
    signatories: list[Entity] = []
    sides = [side(doc, sent, head) for head in side_heads(sent, trigger, document)]
    if not any(ents for ents, _org in sides) and after_talks(sent, trigger):
        sides = [([e], None) for e in recent_meeting(doc, sent)]
    for ents, org in sides:
        for e in ents:
            party = e
            if e.type == "person":
                signatories += [e] if e not in signatories else []
                party = org or represented(doc, e, sent) or e
            parties += [party] if party not in parties else []
    if not parties:
        return None
    single = (document.feats or {}).get("Number") != "Plur"
    if lemma(document) == "документ" and single and len(parties) < 2:
        return None  # "подписанный президентом документ «Стратегия ...»": an act
    evidence = [(sent.start, sent.stop)]
    if _already_planned(doc, sent):
        return None  # «планируется подписание»: the plan component recorded it
    if status_of(sent, trigger) == "planned":
        return planned_signing(doc, sent, trigger, document, parties)
    args: dict[str, Any] = {
        "parties": [p.id for p in parties],
        "signatories": [p.id for p in signatories],
        "kind": document_kind(sent, document),
    }
    args.update(document_args(doc, sent, document))
    args["trigger"] = lemma(trigger)
    args.update(place_and_time(doc, sent, trigger))
    conf = 0.8 if len(parties) >= 2 else 0.55
    return Fact(
        type="deal",
        args=args,
        evidence=evidence,
        confidence=conf if trigger.pos == "VERB" else conf - 0.1,
        extractor="agreement",
    )


def _already_planned(doc: Doc, sent: Sent) -> bool:
    return any(
        f.type in ("intent", "plan")
        and str(f.args.get("action")) in SIGN_VERBS | SIGN_NOUNS
        and any(sent.start <= s < sent.stop for s, _e in f.evidence)
        for f in doc.facts
    )


def planned_signing(
    doc: Doc, sent: Sent, trigger: Any, document: Any, parties: list[Entity]
) -> Fact | None:
    """«Узбекистан подпишет контракт»: no deal yet, a plan of its parties — unless an
    intent or plan fact of this sentence already says so."""
    for f in doc.facts:
        if f.type in ("intent", "plan") and any(
            sent.start <= s < sent.stop for s, _e in f.evidence
        ):
            return None
    ids = [p.id for p in parties]
    args: dict[str, Any] = {
        "agent": ids[0] if len(ids) == 1 else ids,
        "action": lemma(trigger),
        "object": document_args(doc, sent, document)["object"],
    }
    args.update(place_and_time(doc, sent, trigger))
    return Fact(
        type="plan",
        args=args,
        evidence=[(sent.start, sent.stop)],
        confidence=0.6,
        extractor="agreement",
    )


@component("agreement")
def agreement_layer(doc: Doc) -> None:
    for fact in extract_agreements(doc):
        doc.add_fact(fact)
