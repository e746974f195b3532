"""Deal facts as FactRuEval defines them: parties of a purchase, investment, loan or fine.

A deal word ("купила", "приобретение", "инвестировал", "кредит", "штраф") names
the kind of deal; its parties are the named organisations, people and countries in
its subject and in its object/oblique dependents ("DST купила 5% акций Facebook":
DST, Facebook). The deal `kind` is the FactRuEval type string, so the evaluation can
pass it through unchanged.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.lexicon import DEAL_TRIGGERS
from newsfacts.extract.grammars.tokens import Sent, lemma, sentences
from newsfacts.extract.merge import add_once
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc, component

PARTY_TYPES = ("organization", "person", "location")
ARG_RELS = ("obj", "iobj", "obl", "nmod", "nsubj", "nsubj:pass", "conj", "appos", "flat:name")
# dependents that open a new clause or an aside: their names are not parties
STOP_RELS = ("acl", "acl:relcl", "advcl", "parataxis", "ccomp", "csubj", "punct", "xcomp")
MAX_DEPTH = 3
REPORT_VERBS = frozenset(["сообщать", "сообщить", "писать", "передавать", "информировать"])
# Verbs that make a deal noun an event of their subject: "DST совершила покупку",
# "ЕС наложил штраф", "банк выдал кредит". Any other verb ("рассказал об
# инвестициях") only talks about the deal, and its subject is no party.
LIGHT_VERBS = frozenset(
    [
        "совершить",
        "совершать",
        "заключить",
        "заключать",
        "провести",
        "проводить",
        "осуществить",
        "осуществлять",
        "одобрить",
        "одобрять",
        "завершить",
        "завершать",
        "закрыть",
        "закрывать",
        "объявить",
        "объявлять",
        "выдать",
        "выдавать",
        "предоставить",
        "предоставлять",
        "получить",
        "получать",
        "дать",
        "давать",
        "наложить",
        "налагать",
        "выплатить",
        "выплачивать",
        "взять",
        "брать",
        "оформить",
        "оформлять",
        "сделать",
        "делать",
        "вложить",
        "вкладывать",
        "направить",
        "направлять",
        "привлечь",
        "привлекать",
        "согласовать",
        "согласовывать",
        "погасить",
        "погашать",
        "начать",
        "начинать",
        "произвести",
        "производить",
    ]
)
# Heads that turn a deal noun into an aggregate or a trend: "приток инвестиций",
# "объем кредитов", "привлечение инвестиций" — a flow of money, not one deal.
AGGREGATE_HEADS = frozenset(
    [
        "приток",
        "отток",
        "поток",
        "объем",
        "объём",
        "рост",
        "увеличение",
        "снижение",
        "сокращение",
        "привлечение",
        "уровень",
        "доля",
        "динамика",
        "портфель",
        "климат",
        "рынок",
        "климат",
        "потребность",
        "программа",
        "план",
        "стратегия",
        "условие",
        "источник",
        "фонд",
    ]
)
# Speech and discussion verbs: a deal noun in their topic ("об инвестициях") is talked
# about, not reported as done.
TOPIC_VERBS = frozenset(
    [
        "рассказать",
        "рассказывать",
        "говорить",
        "сказать",
        "обсудить",
        "обсуждать",
        "заявить",
        "заявлять",
        "сообщить",
        "сообщать",
        "отметить",
        "отмечать",
        "подчеркнуть",
        "подчеркивать",
        "поговорить",
        "напомнить",
        "напоминать",
        "выступить",
        "рассуждать",
        "спросить",
    ]
)


# Words that make the deal under them a wish, an offer or a demand, not a deal done:
# "предложил ЕЭК профинансировать", "потребовал погасить задолженность",
# "выразила готовность привлечь кредит".
UNREALIZED = frozenset(
    [
        "предложить",
        "предлагать",
        "потребовать",
        "требовать",
        "призвать",
        "призывать",
        "попросить",
        "просить",
        "готовность",
        "готовый",
        "готов",
        "намерен",
        "намереваться",
        "намерение",
        "планировать",
        "хотеть",
        "рассчитывать",
    ]
)


def is_unrealized(sent: Sent, trigger: Any) -> bool:
    """The deal word sits under an offer, demand or wish (up to three heads up, through
    complements only: a relative clause or a conjunct is another statement)."""
    cur = trigger
    for head in sent.ancestors(trigger, limit=3):
        if cur.rel not in ("xcomp", "obj", "nmod", "obl", "acl"):
            return False
        if lemma(head) in UNREALIZED:
            return True
        cur = head
    return False


def _names_under(sent: Sent, tok: Any, depth: int = 0) -> list[Entity]:
    """Named parties in the phrase headed by tok, shallow enough to stay on topic."""
    out: list[Entity] = []
    ent = sent.entity_at(tok, PARTY_TYPES)
    if ent is not None:
        out.append(ent)
    if depth >= MAX_DEPTH:
        return out
    for child in sent.children(tok):
        if child.rel in STOP_RELS or child.rel not in ARG_RELS:
            continue
        for e in _names_under(sent, child, depth + 1):
            if e not in out:
                out.append(e)
    return out


def _subject(sent: Sent, tok: Any) -> Any | None:
    """Subject of the trigger's clause, following participles and noun triggers up."""
    cur: Any | None = tok
    for _ in range(4):
        if cur is None:
            return None
        subj = next((c for c in sent.children(cur) if c.rel in ("nsubj", "nsubj:pass")), None)
        # only a clause has a subject: in a verbless headline ("Создатель MySQL против
        # сделки Oracle — Sun") the noun the deal hangs off is no party
        if subj is not None and (cur is tok or cur.pos in ("VERB", "AUX")):
            return subj
        if cur.rel in ("acl",):  # "DST, купившая акции": the noun the participle modifies
            return sent.head(cur)
        if cur.pos == "VERB" and cur.rel not in ("conj", "xcomp"):
            return None
        cur = sent.head(cur)
    return None


def _fronted_actor(sent: Sent, trigger: Any) -> list[Entity]:
    """When the parse lost the subject, the organisation or person opening the clause.

    Long appositions ("Промышленный и коммерческий банк Китая (ICBC), крупнейший банк
    мира, подписал ...") often come out of natasha without an nsubj; the actor is then
    the first named party before the verb that governs the trigger.
    """
    verb = trigger if trigger.pos == "VERB" else None
    if verb is None:
        verb = next((t for t in sent.ancestors(trigger, limit=4) if t.pos == "VERB"), None)
    if verb is None:
        return []
    for start, _stop, ent, _kind in sent.mentions:
        if start >= verb.start:
            break
        if ent.type in ("organization", "person"):
            return [ent]
    return []


def _reporters(sent: Sent) -> set[str]:
    """Sources of the news ("как сообщает газета «Ведомости»"), never deal parties."""
    out: set[str] = set()
    for tok in sent.tokens:
        if lemma(tok) in REPORT_VERBS:
            for child in sent.children(tok):
                if child.rel == "nsubj":
                    out.update(e.id for e in _names_under(sent, child, depth=2))
    return out


def deal_parties(sent: Sent, trigger: Any) -> list[Entity]:
    reporters = _reporters(sent)
    parties = [e for e in _deal_parties(sent, trigger) if e.id not in reporters]
    if len(parties) == 1 and trigger.pos == "VERB":
        # the parser made the news source the subject: the buyer is then the nearest
        # named organisation before the verb
        before = [
            m[2]
            for m in sent.mentions
            if m[1] <= trigger.start
            and m[2].type in ("organization", "person")
            and m[2].id not in reporters
            and m[2] not in parties
            and m[3] == "name"
        ]
        # organisations first: people before the verb are often an aside about owners
        if before:
            orgs = [e for e in before if e.type == "organization"]
            parties.insert(0, orgs[-1] if orgs else before[-1])
    return parties


def is_bare_noun(sent: Sent, trigger: Any) -> bool:
    """A deal noun that names no deal event: an aggregate ("приток инвестиций") or the
    topic of talk ("рассказал об инвестициях")."""
    if trigger.pos != "NOUN":
        return False
    head = sent.head(trigger)
    if head is None:
        return False
    # only money nouns make flows: "сумма сделки", "рост покупок" still name deals
    mass = DEAL_TRIGGERS.get(lemma(trigger)) in ("инвестиции", "займ/возвращение займа")
    if mass and lemma(head) in AGGREGATE_HEADS:
        return True
    preps = {lemma(c) for c in sent.children(trigger) if c.rel == "case"}
    return bool(preps & {"о", "об", "обо", "про"}) and lemma(head) in TOPIC_VERBS


def _deal_parties(sent: Sent, trigger: Any) -> list[Entity]:
    parties: list[Entity] = []
    subj = _subject(sent, trigger)
    verb_of_subj = sent.head(subj) if subj is not None else None
    # a person who "рассказал о сделке" is a speaker, not a side (an organisation
    # talking about a deal is most often its party)
    talker = (
        trigger.pos == "NOUN"
        and subj is not None
        and verb_of_subj is not None
        and verb_of_subj.pos == "VERB"
        and lemma(verb_of_subj) not in LIGHT_VERBS
        and all(e.type == "person" for e in _names_under(sent, subj, depth=1))
    )
    if talker:
        pass
    elif subj is not None and subj is not trigger:
        parties.extend(_names_under(sent, subj, depth=1))
    elif subj is None:
        parties.extend(_fronted_actor(sent, trigger))
    for e in _names_under(sent, trigger):
        if e not in parties:
            parties.append(e)
    verb = sent.head(trigger)
    if trigger.pos == "NOUN" and verb is not None and verb.pos == "VERB":
        # "ЕС наложил на Майкрософт штраф", "Россия дала Украине кредит": the other
        # side hangs off the light verb, not off the deal noun
        for child in sent.children(verb):
            if child is trigger or child is subj or child.rel not in ("obj", "iobj", "obl"):
                continue
            for e in _names_under(sent, child, depth=2):
                if e not in parties:
                    parties.append(e)
    return parties


def extract_deals(doc: Doc) -> list[Fact]:
    facts: dict[tuple, Fact] = {}
    for sent in sentences(doc):
        for tok in sent.tokens:
            kind = DEAL_TRIGGERS.get(lemma(tok))
            if kind is None or tok.pos not in ("VERB", "NOUN") or is_bare_noun(sent, tok):
                continue
            if is_unrealized(sent, tok):
                continue
            parties = deal_parties(sent, tok)
            # a deal between a company and the country it sits in is not two parties
            if len(parties) < 2:
                continue
            ids = [p.id for p in parties]
            # one fact per sentence: repeated purchases of the same stake are separate deals
            key = (frozenset(ids), kind, sent.start)
            conf = 0.7 if tok.pos == "VERB" else 0.55
            fact = Fact(
                type="deal",
                args={"parties": ids, "kind": kind, "trigger": lemma(tok)},
                evidence=[(sent.start, sent.stop)],
                confidence=conf,
                extractor="deal",
            )
            add_once(facts, key, fact)
    return list(facts.values())


@component("deal")
def deal_layer(doc: Doc) -> None:
    for fact in extract_deals(doc):
        doc.add_fact(fact)
