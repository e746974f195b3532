"""Intent facts: someone is ready, promises, agrees or intends to do something.

Triggers (data/statement_triggers.toml, section [intent]) come in three shapes:

- a short adjective with an infinitive: "Италия готова профинансировать ...",
  "стороны согласны ...", "компания намерена открыть ...";
- a verb with an infinitive: "пообещал выделить", "договорились довести",
  "планирует запустить" (only with an explicit subject; impersonal planning is a
  plan fact, see plan.py);
- a noun under a verb of saying: "выразил готовность ...", "заявил о намерении ...",
  "достигли договоренности о ...".

Representation of who intends (the part a reader of the JSON needs to know):

- `agent` is the entity that said or holds the intent: for "Италия готова ..." the
  country, for "Посол заявил о готовности итальянской стороны ..." the ambassador
  (a person entity, through coref's nominal mention "Посол");
- `on_behalf_of` is the country or organization the agent speaks for, when the text
  says so ("итальянской стороны", "германских компаний") or an occupation fact
  links the person to one (посол Италии → Италия); absent otherwise;
- when several parties share the intent ("Стороны договорились ..."), `agent` is
  a list of entity ids (the meeting's sides for group words);
- when no entity can be found, `agent` is the subject's surface text or null.

`action` is the infinitive's lemma ("профинансировать"), or the action noun for
"о"-phrases ("договоренность о создании ..." → "создание"); `object` is the direct
object in the nominative where feasible; `place` a location in a "в/на" phrase
inside the action; `time` from doc.dates inside the action phrase.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.clauses import (
    Sent,
    Token,
    actors,
    add_unique,
    country_from_adjective,
    entity_of_head,
    genitive_complement,
    guarded,
    is_deverbal,
    lemma,
    make_fact,
    nearest_after,
    on_behalf_of,
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

CONFIDENCE = {"adjectives": 0.8, "verbs": 0.75, "nouns": 0.7}


def _lexicon() -> dict[str, tuple[str, str]]:
    """lemma -> (modality, shape)."""
    out: dict[str, tuple[str, str]] = {}
    for modality in ("readiness", "promise", "agreement", "intention"):
        for shape in ("adjectives", "verbs", "nouns"):
            for word in triggers()["intent"][modality][shape]:
                out[word] = (modality, shape)
    return out


def infinitive_of(sent: Sent, trigger: Token) -> Token | None:
    """The infinitive a trigger governs; parsers attach it as xcomp, nmod or acl, and
    after a noun trigger sometimes not at all, so a short linear look-ahead backs it up."""
    for c in sent.children(trigger):
        if c.pos == "VERB" and dict(c.feats or {}).get("VerbForm") == "Inf":
            if c.rel == "ccomp" or sent.children(c, "nsubj", "mark"):
                continue  # "обещаю, что все будут доносить ...": a clause, not a complement
            return c
    for tok in sent.after(trigger, 5):
        feats = dict(tok.feats or {})
        if tok.pos == "VERB" and feats.get("VerbForm") == "Inf":
            return tok
        if tok.pos in ("PUNCT", "SCONJ") or feats.get("VerbForm") == "Fin":
            return None
    return None


def object_of(sent: Sent, verb: Token) -> Token | None:
    obj = nearest_after(sent, verb, sent.children(verb, "obj"))
    if obj is not None and obj.pos == "PRON":
        return antecedent(sent, verb)
    if obj is not None:
        return obj
    for c in sent.children(verb, "obl"):
        if sent.case_of(c) in ("в", "на", "о", "об") and c.pos == "NOUN":
            return c
    return None


def antecedent(sent: Sent, tok: Token) -> Token | None:
    """The noun a relative clause hangs on: "дистанция, которую он обязался преодолеть"."""
    cur: Token | None = tok
    for _ in range(4):
        if cur is None:
            return None
        if cur.rel == "acl:relcl":
            head = sent.head(cur)
            return head if head is not None and head.pos == "NOUN" else None
        cur = sent.head(cur)
    return None


def _action_and_object(sent: Sent, trigger: Token, inf: Token | None) -> dict[str, Any] | None:
    """action, object, place, time of what is intended, or None if nothing is said."""
    if inf is not None:
        action_tok, action = inf, lemma(inf)
        if any(lemma(c) == "не" for c in sent.children(inf)):
            action = f"не {action}"  # "обещает не оставлять ...": the promise is negative
        obj = object_of(sent, inf)
    else:
        # "договоренность о создании совместного предприятия"
        about = [c for c in sent.children(trigger) if sent.case_of(c) in ("о", "об")]
        if not about:
            return None
        action_tok = about[0]
        if is_deverbal(action_tok):  # "договоренность о создании предприятия"
            action: str | None = lemma(action_tok)
            obj = genitive_complement(sent, action_tok)
        else:  # "договорились о культурной выставке": the thing, no action word
            action, obj = None, action_tok
    scope = sent.subtree(action_tok)
    place = place_in(sent, scope)
    args: dict[str, Any] = {"action": action}
    if obj is not None:
        skip = [place[1]] if place else []
        obj_phrase = phrase(sent, obj, skip=skip)
        args["object"] = obj_phrase.text
    else:
        args["object"] = None
    if place:
        args["place"] = place[0]
    span_start = min(action_tok.start, trigger.start)
    span_end = max(t.stop for t in scope)
    args.update(time_args(time_in(sent.doc, span_start, span_end)))
    return args


def _agent(sent: Sent, trigger: Token, shape: str) -> tuple[Any, str | None]:
    """(agent, on_behalf_of) following the representation in the module docstring."""
    doc = sent.doc
    behalf: str | None = None
    if shape == "nouns":
        head = sent.head(trigger)
        speaker = subject_of(sent, head) if head is not None else None
        owners = [
            c for c in sent.children(trigger, "nmod") if dict(c.feats or {}).get("Case") == "Gen"
        ]
        owner_ids: list[str] = []
        for owner in owners:
            ent = entity_of_head(sent, owner)
            if ent is None:
                ent = country_from_adjective(sent, owner)
            if ent is not None:
                owner_ids.append(ent.id)
        speaker_ids = actors(sent, speaker)
        if speaker_ids and owner_ids and owner_ids[0] not in speaker_ids:
            agent: Any = speaker_ids[0] if len(speaker_ids) == 1 else speaker_ids
            return agent, owner_ids[0]
        ids = speaker_ids or owner_ids
        if not ids:
            subj = speaker or (owners[0] if owners else None)
            return (token_text(doc, phrase(sent, subj).tokens) if subj is not None else None), None
    else:
        subj = subject_of(sent, trigger)
        ids = actors(sent, subj)
        if not ids:
            return (phrase(sent, subj).text if subj is not None else None), None
    if len(ids) == 1:
        ent = doc.entity(ids[0])
        if ent is not None and ent.type == "person":
            behalf = on_behalf_of(doc, ids[0])
        return ids[0], behalf
    return ids, None


def extract_intents(doc: Doc) -> None:
    lexicon = _lexicon()
    noun_heads = set(triggers()["intent"]["noun_heads"])
    for sent in sentences(doc):
        for tok in sent.tokens:
            entry = lexicon.get(lemma(tok))
            if entry is None:
                continue
            modality, shape = entry
            feats = dict(tok.feats or {})
            if shape == "adjectives" and feats.get("Variant") != "Short":
                continue  # "готовый продукт" is a product, not readiness
            if shape == "nouns" and tok.pos != "NOUN":
                continue
            if shape == "verbs" and (tok.pos != "VERB" or feats.get("VerbForm") == "Part"):
                continue
            if shape == "nouns":
                head = sent.head(tok)
                if head is None or lemma(head) not in noun_heads or sent.negated(head):
                    continue
            if sent.negated(tok):
                continue
            inf = infinitive_of(sent, tok)
            if inf is None and shape != "nouns" and modality != "agreement":
                continue
            impersonal = subject_of(sent, tok) is None
            if lemma(tok) in ("планировать", "запланировать") and impersonal:
                continue  # impersonal planning is a plan fact
            what = _action_and_object(sent, tok, inf)
            if what is None:
                continue
            agent, behalf = _agent(sent, tok, shape)
            args: dict[str, Any] = {"agent": agent}
            if behalf is not None:
                args["on_behalf_of"] = behalf
            args.update(what)
            confidence = CONFIDENCE[shape]
            if not isinstance(agent, (str, list)) or (
                isinstance(agent, str) and doc.entity(agent) is None
            ):
                confidence -= 0.2
            if args.get("object") is None:
                confidence -= 0.1
            if lemma(tok) in ("планировать", "запланировать"):
                # "Компания планирует открыть ...": a plan with its planner (labelling
                # spec 4.6); intents are readiness, promises, agreements and wishes
                add_unique(doc, make_fact("plan", args, sent, confidence, at=tok))
                continue
            add_unique(doc, make_fact("intent", args, sent, confidence, modality=modality, at=tok))


@component("intent")
def intent_layer(doc: Doc) -> None:
    guarded("intent", extract_intents, doc)
