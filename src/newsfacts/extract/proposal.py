"""Proposal facts: "посол предложил установить побратимские отношения между Алматы и Бали".

Triggers ([proposal] in data/statement_triggers.toml): a verb of proposing
("предложил", "предлагает", "инициировал") or a noun under a verb of putting forward
("выступил с предложением ...", "внес предложение о ...").

Arguments:
- `proposer`: entity id of the subject (coref turns "Посол" into the person), a
  list when several propose together, else the subject's text, else null;
- `proposal`: what is proposed, as written ("установить побратимские отношения
  между Алматы и Бали"), or the object noun phrase in the nominative
  ("предложил создание ..." → "создание ...");
- `addressee`: the dative recipient ("предложил казахстанской стороне ...") when named;
- `parties`: entities the proposal would bind, from "между X и Y" and "с X" phrases
  inside it, in text order;
- optional `place` and `time` inside the proposal ("провести в сентябре в Астане ...").
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.clauses import (
    Phrase,
    Sent,
    Token,
    actors,
    add_unique,
    conjuncts,
    entity_of_head,
    guarded,
    is_deverbal,
    lemma,
    make_fact,
    phrase,
    place_in,
    sentences,
    subject_of,
    time_args,
    time_in,
    token_text,
    triggers,
)
from newsfacts.pipeline import Doc, component

PARTY_PREPOSITIONS = ("между", "с", "со")


def _content(sent: Sent, trigger: Token) -> tuple[Phrase, Token] | None:
    """The proposed thing: an infinitive clause, a "чтобы" clause, an object or an "о" phrase."""
    kids = sent.children(trigger)
    for c in kids:
        if c.pos == "VERB" and dict(c.feats or {}).get("VerbForm") == "Inf":
            return _infinitive_clause(sent, c), c
    objects = set(triggers()["proposal"]["objects"])
    for c in kids:
        if c.rel == "obj" and c.pos == "NOUN" and (is_deverbal(c) or lemma(c) in objects):
            return phrase(sent, c, keep_conj=True), c
    for c in kids:
        if sent.case_of(c) in ("о", "об") and c.pos == "NOUN":
            return phrase(sent, c, keep_conj=True), c
    for c in kids:
        if c.rel in ("ccomp", "advcl") and any(
            lemma(m) == "чтобы" for m in sent.children(c, "mark")
        ):
            return phrase(sent, c, normalize=False), c
    # the parser sometimes leaves the infinitive unattached: look right past the trigger
    for tok in sent.after(trigger, 3):
        if tok.pos == "VERB" and dict(tok.feats or {}).get("VerbForm") == "Inf":
            return _infinitive_clause(sent, tok), tok
        if tok.pos == "PUNCT":
            break
    return None


def _infinitive_clause(sent: Sent, inf: Token) -> Phrase:
    """ "установить побратимские отношения между Алматы и Бали" as written."""
    base = phrase(sent, inf, keep_conj=True, normalize=False)
    run = (
        sent.clause_run(inf, base.tokens) if base.tokens and base.tokens[0] is inf else base.tokens
    )
    text = token_text(sent.doc, run)
    return Phrase(text=text, surface=text, start=run[0].start, end=run[-1].stop, tokens=run)


def _parties(sent: Sent, toks: list[Token]) -> list[str]:
    ids: list[str] = []
    for tok in toks:
        if sent.case_of(tok) not in PARTY_PREPOSITIONS:
            continue
        for c in conjuncts(sent, tok):
            ent = entity_of_head(sent, c)
            if ent is not None:
                ids.append(ent.id)
    return list(dict.fromkeys(ids))


def _addressee(sent: Sent, trigger: Token) -> str | None:
    for c in sent.children(trigger, "iobj", "obl"):
        if dict(c.feats or {}).get("Case") == "Dat" and sent.case_of(c) is None:
            ids = actors(sent, c)
            if ids:
                return ids[0]
            return phrase(sent, c).text
    return None


def _proposer(sent: Sent, verb: Token) -> Any:
    subj = subject_of(sent, verb)
    ids = actors(sent, subj)
    if len(ids) == 1:
        return ids[0]
    if ids:
        return ids
    return phrase(sent, subj).text if subj is not None else None


def extract_proposals(doc: Doc) -> None:
    lex = triggers()["proposal"]
    verbs, nouns, noun_heads = set(lex["verbs"]), set(lex["nouns"]), set(lex["noun_heads"])
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            if lem in verbs and tok.pos == "VERB":
                feats = dict(tok.feats or {})
                if feats.get("VerbForm") == "Part" or sent.negated(tok):
                    continue
                verb, trigger = tok, tok
            elif lem in nouns and tok.pos == "NOUN":
                head = sent.head(tok)
                if head is None or lemma(head) not in noun_heads or sent.negated(head):
                    continue
                verb, trigger = head, tok
            else:
                continue
            found = _content(sent, trigger)
            if found is None:
                continue
            content, content_head = found
            if len(content.tokens) < 2:
                continue  # "предложил помочь" alone says too little to be a fact
            proposer = _proposer(sent, verb)
            args: dict[str, Any] = {"proposer": proposer, "proposal": content.text}
            addressee = _addressee(sent, verb)
            if addressee is not None:
                args["addressee"] = addressee
            args["parties"] = _parties(sent, content.tokens)
            place = place_in(sent, content.tokens)
            if place is not None:
                args["place"] = place[0]
            args.update(time_args(time_in(doc, content.start, content.end)))
            confidence = 0.8
            if not (isinstance(proposer, list) or (proposer and doc.entity(proposer))):
                confidence -= 0.25
            add_unique(doc, make_fact("proposal", args, sent, confidence, at=tok))


@component("proposal")
def proposal_layer(doc: Doc) -> None:
    guarded("proposal", extract_proposals, doc)
