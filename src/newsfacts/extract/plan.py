"""Plan facts: something is planned, whoever plans it.

"В Алматы планируется открытие ... культурного центра и проведение в сентябре
культурной выставки" gives two plans, one per coordinated action noun, sharing the
place said once for both; each keeps the time said inside its own phrase, so the
September date goes to the exhibition only.

Triggers ([plan] in data/statement_triggers.toml) are impersonal or passive:
"планируется", "запланировано", "намечено", "предполагается", or "планируют" with no
subject. "X планирует открыть ..." with an explicit subject is an intent
(modality "intention"), see intent.py, so the two never report the same sentence twice.

Arguments: `agent` (an entity in an agentive "силами/по инициативе" phrase, else
null), `action` (the action noun's lemma, "открытие", or the infinitive,
"открыть"), `object` (its genitive complement or direct object in the nominative),
optional `place`, `time` (from doc.dates) and, for planned routes, `route`.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.clauses import (
    Sent,
    Token,
    actors,
    add_unique,
    conjuncts,
    genitive_after,
    genitive_complement,
    guarded,
    is_deverbal,
    lemma,
    make_fact,
    phrase,
    place_in,
    sentences,
    time_args,
    time_in,
    triggers,
)
from newsfacts.extract.launch import route_in
from newsfacts.pipeline import Doc, component

ACTIVE_PLANNING = ("планировать", "запланировать", "наметить")


def _is_plan_trigger(sent: Sent, tok: Token) -> bool:
    if lemma(tok) not in triggers()["plan"]["verbs"] or tok.pos != "VERB" or sent.negated(tok):
        return False
    feats = dict(tok.feats or {})
    if lemma(tok) in ACTIVE_PLANNING and feats.get("Voice") != "Pass":
        # active "планируют": a plan only when nobody is named as the planner; a
        # singular "планирует" without subject has a dropped one ("она ... планирует")
        return (
            not sent.children(tok, "nsubj")
            and feats.get("VerbForm") == "Fin"
            and feats.get("Number") == "Plur"
        )
    return True


def _shared_context(sent: Sent, trigger: Token, planned: list[Token]) -> tuple[Any, Any]:
    """Place and time said on the trigger itself, for every planned action."""
    planned_ids = {t.id for t in planned}
    obls = [c for c in sent.children(trigger, "obl", "advmod", "nmod") if c.id not in planned_ids]
    scope = [t for c in obls for t in sent.subtree(c)]
    place = place_in(sent, scope)
    te = None
    for c in obls:
        toks = sent.subtree(c)
        te = time_in(sent.doc, toks[0].start, toks[-1].stop)
        if te is not None:
            break
    return place, te


def _agent(sent: Sent, trigger: Token) -> Any:
    for c in sent.children(trigger, "obl"):
        if dict(c.feats or {}).get("Case") == "Ins" and sent.case_of(c) is None:
            ids = actors(sent, c)  # "планируется посольством"
            if ids:
                return ids[0] if len(ids) == 1 else ids
    return None


def _plan_for_noun(sent: Sent, noun: Token) -> tuple[dict[str, Any], list[Token]]:
    whole = phrase(sent, noun)
    place = place_in(sent, whole.tokens)
    skip = [place[1]] if place else []
    args: dict[str, Any]
    if is_deverbal(noun):
        obj = genitive_complement(sent, noun) or genitive_after(sent, noun)
        obj_text = phrase(sent, obj, skip=skip).text if obj is not None else None
        args = {"action": lemma(noun), "object": obj_text}
    else:  # "планируется выставка": the thing itself is planned
        args = {"action": None, "object": phrase(sent, noun, skip=skip).text}
    if place:
        args["place"] = place[0]
    route = route_in(sent, after=noun.start)
    if route and route[0][1] < whole.end + 40:  # "запуск поезда по маршруту А – Б"
        args["route"] = [r[0] for r in route]
    te = time_in(sent.doc, whole.start, whole.end)
    args.update(time_args(te))
    return args, whole.tokens


def _plan_for_infinitive(sent: Sent, inf: Token) -> tuple[dict[str, Any], list[Token]]:
    scope = sent.subtree(inf)
    place = place_in(sent, scope)
    skip = [place[1]] if place else []
    objs = sent.children(inf, "obj")
    obj_text = phrase(sent, objs[0], skip=skip).text if objs else None
    args: dict[str, Any] = {"action": lemma(inf), "object": obj_text}
    if place:
        args["place"] = place[0]
    args.update(time_args(time_in(sent.doc, scope[0].start, scope[-1].stop)))
    return args, scope


def extract_plans(doc: Doc) -> None:
    for sent in sentences(doc):
        for tok in sent.tokens:
            if not _is_plan_trigger(sent, tok):
                continue
            planned: list[tuple[dict[str, Any], list[Token]]] = []
            subjects = [s for s in sent.children(tok, "nsubj", "obj")[:1] if s.pos == "NOUN"]
            infinitives = [
                c
                for c in sent.children(tok, "xcomp", "csubj")
                if dict(c.feats or {}).get("VerbForm") == "Inf"
            ]
            for inf in infinitives:
                for verb in [inf] + [
                    m
                    for m in sent.children(inf, "conj")
                    if dict(m.feats or {}).get("VerbForm") == "Inf"
                ]:
                    args, scope = _plan_for_infinitive(sent, verb)
                    if args["object"] is None and subjects:
                        # "Этот процесс планируется завершить": the subject is the object
                        args["object"] = phrase(sent, subjects[0]).text
                    planned.append((args, scope))
            if not infinitives:
                for subj in subjects:
                    for noun in conjuncts(sent, subj):
                        if noun.pos == "NOUN":
                            planned.append(_plan_for_noun(sent, noun))
            if not planned:
                continue
            place, te = _shared_context(sent, tok, [t for _, toks in planned for t in toks])
            agent = _agent(sent, tok)
            for args, _ in planned:
                if place and "place" not in args:
                    args["place"] = place[0]
                if te is not None and "time" not in args:
                    args.update(time_args(te))
                full = {"agent": agent, **args}
                confidence = 0.75 if full.get("object") else 0.55
                add_unique(doc, make_fact("plan", full, sent, confidence, at=tok))


@component("plan")
def plan_layer(doc: Doc) -> None:
    guarded("plan", extract_plans, doc)
