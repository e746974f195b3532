"""Occupations told by a verb with no post word: "Иванов возглавил компанию X",
"Народная партия, возглавляемая Бхутто", "ранее руководил управлением области".

The post is recorded as "руководитель", the closest neutral reading. The holder is the
verb's subject, or what a relative, a pronoun, a conjoined verb or a participle points
to; a body named by a common noun (no entity) makes a past post with no `where`.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.extract.grammars.lexicon import LEAD_VERBS
from newsfacts.extract.grammars.tokens import Sent, lemma, sentences
from newsfacts.extract.meeting_hosts import person_named_before
from newsfacts.extract.occupation_phase import past_marked
from newsfacts.extract.occupation_posts import PLACE_TYPES
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc


def person_in(sent: Sent, tok: Any) -> Entity | None:
    for cand in [tok, *(c for c in sent.children(tok) if c.rel in ("appos", "flat:name"))]:
        ent = sent.entity_at(cand, ("person",))
        if ent is not None:
            return ent
    return None


# "ранее руководил управлением строительства области": a body named by a common noun
# (no entity), recorded as a past post with no `where`
BODY_NOUNS = frozenset(
    {"управление", "министерство", "департамент", "комитет", "агентство", "служба",
     "компания", "предприятие", "комбинат", "завод", "банк", "филиал", "представительство",
     "институт", "корпорация", "холдинг", "фонд", "аппарат", "ведомство", "акимат",
     "хокимият", "район", "область", "город", "палата", "инспекция", "технопарк"}
)  # fmt: skip


def lead_subject(doc: Doc, sent: Sent, verb: Any, subj: Any | None) -> Entity | None:
    """Who runs it when the subject is no name: "который" (its antecedent), "он"
    (the person named last before it), no subject on a conjoined verb (the first
    verb's subject) or on a participle ("Оспанов, ранее возглавлявший ...")."""
    head = sent.head(verb)
    if subj is not None:
        if lemma(subj) == "который" and verb.rel.startswith("acl") and head is not None:
            return person_in(sent, head)
        if lemma(subj) in ("он", "она"):
            return person_named_before(doc, subj.start)
        return None
    if head is None:
        return None
    if verb.rel == "conj" and head.pos == "VERB":
        first = next((c for c in sent.children(head) if c.rel == "nsubj"), None)
        if first is not None:
            return person_in(sent, first) or lead_subject(doc, sent, head, first)
    if (verb.feats or {}).get("VerbForm") == "Part":
        # "Марат Оспанов, ранее возглавлявший ...": the name before the comma (the
        # parser may hang the participle off its own object)
        found = person_in(sent, head) if verb.rel.startswith("acl") else None
        return found or _name_before_comma(doc, sent, verb)
    return None


def _name_before_comma(doc: Doc, sent: Sent, verb: Any) -> Entity | None:
    for _start, stop, ent, _kind in sorted(sent.mentions, key=lambda m: -m[0]):
        if stop <= verb.start and ent.type == "person":
            gap = doc.text[stop : verb.start]
            return ent if re.fullmatch(r"\s*,\s*(?:[а-яё]+\s+){0,3}", gap) else None
    return None


def lead_verb_facts(doc: Doc) -> list[Fact]:
    """ "Народная партия, возглавляемая Бхутто", "Иванов возглавил компанию X".

    The text names who runs the organisation without a post word; the post is recorded
    as "руководитель", the closest neutral reading.
    """
    out: list[Fact] = []
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            if lem not in LEAD_VERBS or tok.pos != "VERB":
                continue
            person: Entity | None = None
            org: Entity | None = None
            body: Any = None  # the object noun when it names no entity
            feats = tok.feats or {}
            if feats.get("VerbForm") == "Part" and feats.get("Voice") == "Pass":
                head = sent.head(tok)
                org = sent.entity_at(head, PLACE_TYPES) if head is not None else None
                for c in sent.children(tok):
                    if c.rel in ("obl", "obl:agent", "nsubj:pass", "nmod") and person is None:
                        person = person_in(sent, c)
            else:
                for c in sent.children(tok):
                    if c.rel == "nsubj":
                        person = person_in(sent, c) or lead_subject(doc, sent, tok, c)
                    elif c.rel in ("obj", "obl") and org is None:
                        org = sent.entity_at(c, PLACE_TYPES)
                        if org is None:  # "возглавил компанию «Казмунайгаз»"
                            org = next(
                                (
                                    e
                                    for g in sent.children(c)
                                    if g.rel in ("appos", "nmod", "flat:name")
                                    and (e := sent.entity_at(g, ("organization",)))
                                ),
                                None,
                            )
                        if org is None and lemma(c) in BODY_NOUNS:
                            body = c
                if person is None:
                    person = lead_subject(doc, sent, tok, None)
            past = lem != "возглавить" and (feats.get("Tense") == "Past" or past_marked(sent, tok))
            if person is None or (org is None and not (past and body is not None)):
                continue
            args: dict[str, Any] = {
                "person": person.id,
                "position": "руководитель",
                "position_text": tok.text,
            }
            if org is not None:
                args["where"] = org.id
            if lem == "возглавить":
                args["phase"] = "start"
            elif past:
                args["phase"] = "past"  # «до этого возглавлял»
            else:
                args["phase"] = "current"
            out.append(
                Fact(
                    type="occupation",
                    args=args,
                    evidence=[(sent.start, sent.stop)],
                    confidence=0.6,
                    extractor="occupation",
                )
            )
    return out
