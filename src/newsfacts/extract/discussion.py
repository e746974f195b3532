"""Discussion facts: who discussed what ("Стороны обсудили перспективы создания фуд-кластера").

Triggers ([discussion] in data/statement_triggers.toml): "обсудили", "обсуждались",
"рассмотрели", "были рассмотрены", and the noun "обсуждение" with a genitive topic.

Arguments:
- `participants`: entity ids. Named subjects and "с X" phrases ("С послом ...
  обсудили") count; group words ("стороны", "участники") and subjectless or
  passive sentences take the sides of the meeting the sentence reports (meeting
  facts, or coref's doc.user["groups"]); the list may be empty when nobody is
  known, the topic still being worth keeping;
- `topic`: the object (or passive subject) with its coordinated parts, head nouns
  in the nominative ("укрепление торгово-экономического ... сотрудничества, а
  также партнерство в сфере инноваций").
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.clauses import (
    Sent,
    Token,
    actors,
    add_unique,
    entity_of_head,
    genitive_complement,
    guarded,
    lemma,
    make_fact,
    meeting_sides,
    phrase,
    sentences,
    triggers,
)
from newsfacts.pipeline import Doc, component


def _with_phrase(sent: Sent, verb: Token) -> list[str]:
    """Entities in "с X" phrases on the verb or on its "во время встречи" phrase."""
    ids: list[str] = []
    holders = [verb] + [
        c for c in sent.children(verb, "obl") if lemma(c) in ("встреча", "переговоры")
    ]
    for holder in holders:
        for c in sent.children(holder, "obl", "nmod"):
            if sent.case_of(c) in ("с", "со"):
                ent = entity_of_head(sent, c)
                if ent is not None:
                    ids.append(ent.id)
    if not ids:
        # the parser often hangs a fronted "С послом ..." on the topic noun
        for tok in sent.tokens:
            if sent.case_of(tok) in ("с", "со") and tok.start < verb.start:
                ent = entity_of_head(sent, tok)
                if ent is not None and ent.type in ("person", "organization"):
                    ids.append(ent.id)
    return ids


def _topic_head(sent: Sent, tok: Token) -> Token | None:
    feats = dict(tok.feats or {})
    if tok.pos == "NOUN":
        return genitive_complement(sent, tok)
    if feats.get("Voice") == "Pass" or lemma(tok).endswith("ся"):
        subj = sent.children(tok, "nsubj")
        return subj[0] if subj else None
    objs = sent.children(tok, "obj")
    if objs:
        return objs[0]
    for c in sent.children(tok, "obl"):  # "обсудили вопрос" mis-tagged, "рассмотрели в деталях"
        if sent.case_of(c) in ("о", "об") and c.pos == "NOUN":
            return c
    return None


def _participants(sent: Sent, tok: Token, passive: bool) -> list[str]:
    doc = sent.doc
    if tok.pos == "NOUN":
        head = sent.head(tok)
        named = _with_phrase(sent, head) if head is not None else []
        return named or meeting_sides(doc, tok.start)
    subj = None if passive else next(iter(sent.children(tok, "nsubj")), None)
    ids = actors(sent, subj) if subj is not None else []
    named = _with_phrase(sent, tok)
    if subj is None:
        # "С послом ... обсудили ...": the host is the meeting's other side
        sides = meeting_sides(doc, tok.start, hint=named)
        ids = sides + named if (not named or set(named) & set(sides)) else named
    return list(dict.fromkeys(ids + named))


def extract_discussions(doc: Doc) -> None:
    lex = triggers()["discussion"]
    verbs, nouns = set(lex["verbs"]), set(lex["nouns"])
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            feats = dict(tok.feats or {})
            if tok.pos == "VERB" and lem in verbs:
                if feats.get("VerbForm") == "Inf":
                    continue  # "готовы рассмотреть", "предложили обсудить": not held yet
                if feats.get("VerbForm") == "Part" and feats.get("Variant") != "Short":
                    continue
            elif tok.pos == "NOUN" and lem in nouns:
                window = doc.text[max(0, tok.start - 40) : tok.start].lower()
                if not any(w in window for w in lex["noun_context"]):
                    continue
            else:
                continue
            if sent.negated(tok):
                continue
            topic_head = _topic_head(sent, tok)
            if topic_head is None or topic_head.pos not in ("NOUN", "PROPN"):
                continue
            passive = feats.get("Voice") == "Pass" or lem.endswith("ся")
            topic = phrase(sent, topic_head, keep_conj=True)
            args: dict[str, Any] = {
                "participants": _participants(sent, tok, passive),
                "topic": topic.text,
            }
            confidence = 0.8 if args["participants"] else 0.55
            if tok.pos == "NOUN":
                confidence -= 0.1
            add_unique(doc, make_fact("discussion", args, sent, confidence, at=tok))


@component("discussion")
def discussion_layer(doc: Doc) -> None:
    guarded("discussion", extract_discussions, doc)
