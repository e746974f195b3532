"""Launch facts: something was (or will be) launched, opened or started.

"запуск с июня текущего года прямого авиасообщения по маршруту Алматы – Милан –
Алматы" → object "прямое авиасообщение", route [Алматы, Милан, Алматы], time
"2022-06" with time_kind "since".

Triggers ([launch] in data/statement_triggers.toml):
- verbs, finite or short passive: "запущен", "открылся", "открыли", "стартует",
  "заработал", "введен в эксплуатацию";
- "начал работу" / "начнет функционировать" (a start verb with a work word);
- action nouns: "запуск", "открытие", "старт", "ввод в эксплуатацию", unless they
  are governed by a planning, proposing, intending or discussing word, which makes
  them that fact's object rather than a launch report ("планируется запуск ...").

Arguments: `object` (nominative noun phrase), optional `route` (location ids in
the order written, from names joined by dashes), `place`, `time` (from doc.dates).
An infinitive is a launch only under a plan word ("Запустить завод планируется"), and
then, like a noun a plan word governs ("запуск запланирован"), it carries
`modality: planned` (docs/fact-labelling.md 4.7); "готовы открыть" stays an intent.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.clauses import (
    DASHES,
    Sent,
    Token,
    add_unique,
    genitive_after,
    genitive_complement,
    guarded,
    lemma,
    make_fact,
    nearest_after,
    phrase,
    place_in,
    sentences,
    time_args,
    time_in,
    triggers,
)
from newsfacts.pipeline import Doc, component

INTRANSITIVE = ("открыться", "открываться", "стартовать", "заработать")
COMMISSIONING = ("ввести", "вводить", "ввод")
# "открытие" is also a discovery ("открытие физического эффекта"); as a noun it is
# a launch only as an event that takes place ("состоялось открытие завода")
OPENING_EVENTS = ("состояться", "пройти", "проходить", "провести", "церемония", "дать")
COMMISSION_WORDS = ("эксплуатация", "строй", "работа", "действие")
# "открыли вопрос", "открывает возможности": not a launch
NOT_LAUNCHED = (
    "вопрос",
    "возможность",
    "перспектива",
    "путь",
    "доступ",
    "глаз",
    "дверь",
    "счет",
    "дело",
    "огонь",
    "тема",
    "сезон",
    "серия",
    "концерт",
    "заседание",
    "список",
    "рот",
    "душа",
    "секрет",
    "правда",
    "глаза",
    "карта",
)


# "Запустить завод планируется", "Запуск линии запланирован на 2027 год": a launch
# scheduled by a plan is still a launch, with modality "planned" (spec 4.7)
PLAN_HEADS = frozenset(
    {"планироваться", "планировать", "запланировать", "запланированный", "намечаться",
     "наметить", "намеченный", "намечать", "поручить", "предусматривать", "предполагаться"}
)  # fmt: skip


def _planned_by(sent: Sent, tok: Token) -> bool:
    """Whether a plan word governs the trigger within three steps up the tree."""
    cur = sent.head(tok)
    for _ in range(3):
        if cur is None:
            return False
        if lemma(cur) in PLAN_HEADS:
            return True
        cur = sent.head(cur)
    return False


def _blocking_lemmas() -> set[str]:
    lex = triggers()
    blocked = set(lex["launch"]["blocked_heads"]) | set(lex["proposal"]["verbs"])
    for modality in ("readiness", "promise", "agreement", "intention"):
        for shape in ("adjectives", "verbs", "nouns"):
            blocked |= set(lex["intent"][modality][shape])
    return blocked


def _commissioned(sent: Sent, tok: Token) -> bool:
    return any(sent.case_of(c) == "в" and lemma(c) in COMMISSION_WORDS for c in sent.children(tok))


def _verb_object(sent: Sent, tok: Token) -> Token | None:
    feats = dict(tok.feats or {})
    lem = lemma(tok)
    if feats.get("VerbForm") == "Inf" and _planned_by(sent, tok):
        if lem in COMMISSIONING and not _commissioned(sent, tok):
            return None
        objs = sent.children(tok, "obj")
        return objs[0] if objs else None
    if feats.get("VerbForm") in ("Inf", "Conv") or (
        feats.get("VerbForm") == "Part" and feats.get("Variant") != "Short"
    ):
        return None
    if lem in COMMISSIONING and not _commissioned(sent, tok):
        return None  # "ввели пошлины" is not a commissioning
    lex = triggers()["launch"]
    if lem in lex["start_verbs"]:
        works = [c for c in sent.children(tok, "obj", "xcomp") if lemma(c) in lex["start_objects"]]
        if not works:
            return None
        subj = sent.children(tok, "nsubj") or [
            c
            for c in sent.children(tok, "obj")
            if c not in works and dict(c.feats or {}).get("Case") == "Nom"
        ]  # "начал работу завод": the parser often calls the subject a second object
        return subj[0] if subj else None
    if feats.get("Voice") == "Pass" or lem in INTRANSITIVE or feats.get("Voice") == "Mid":
        subj = sent.children(tok, "nsubj")
        return subj[0] if subj else None
    return nearest_after(sent, tok, sent.children(tok, "obj"))


def _noun_object(sent: Sent, tok: Token, blocked: set[str]) -> Token | None:
    cur = sent.head(tok)
    for _ in range(3):  # "готовы профинансировать запуск" is an intent, not a launch
        if cur is None:
            break
        if lemma(cur) in blocked and lemma(cur) not in PLAN_HEADS:
            return None
        cur = sent.head(cur)
    if lemma(tok) in COMMISSIONING and not _commissioned(sent, tok):
        return None
    if lemma(tok) == "открытие":
        head = sent.head(tok)
        if head is None or lemma(head) not in OPENING_EVENTS:
            return None
    return genitive_complement(sent, tok) or genitive_after(sent, tok)


def _thing(sent: Sent, obj: Token) -> bool:
    """A launched thing is named by a word, not a number or a date ("$70 млн",
    "при старте — 6 астронавтов", "в день годовщины")."""
    if any(ch.isdigit() for ch in obj.text) or sent.children(obj, "nummod", "nummod:gov"):
        return False
    if any(d.start <= obj.start < d.end for d in sent.doc.dates):
        return False
    return lemma(obj) not in ("млн", "млрд", "тыс", "тысяча", "миллион", "миллиард", "день", "год")


def route_in(sent: Sent, after: int = 0) -> list[tuple[str, int, int]]:
    """Location names chained by dashes ("Алматы – Милан – Алматы"), in order."""
    doc = sent.doc
    start, end = sent.span
    locs = sorted(
        (m for m in doc.mentions_in(start, end)),
        key=lambda m: m.start,
    )
    locs = [m for m in locs if (e := doc.entity(m.entity_id)) is not None and e.type == "location"]
    chains: list[list[Any]] = []
    for m in locs:
        gap = doc.text[chains[-1][-1].end : m.start].strip() if chains else None
        if chains and gap and all(ch in DASHES for ch in gap):
            chains[-1].append(m)
        else:
            chains.append([m])
    chains = [c for c in chains if len(c) >= 2]
    if not chains:
        return []
    chosen = next((c for c in chains if c[0].start >= after), chains[0])
    return [(m.entity_id, m.start, m.end) for m in chosen]


def _object_phrase(sent: Sent, obj: Token, route: list[tuple[str, int, int]], place: Any) -> str:
    skip = [place[1]] if place else []
    if route:
        r_start, r_end = route[0][1], route[-1][2]
        for c in sent.children(obj):
            toks = sent.subtree(c)
            if toks[0].start <= r_end and r_start <= toks[-1].stop and c.rel != "amod":
                skip.append(c)
    return phrase(sent, obj, skip=skip).text


def extract_launches(doc: Doc) -> None:
    lex = triggers()["launch"]
    verbs = set(lex["verbs"]) | set(lex["start_verbs"])
    nouns = set(lex["nouns"])
    blocked = _blocking_lemmas()
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            if tok.pos == "VERB" and lem in verbs:
                obj = _verb_object(sent, tok)
                confidence = 0.75
            elif tok.pos == "NOUN" and lem in nouns:
                obj = _noun_object(sent, tok, blocked)
                confidence = 0.7
            else:
                continue
            if obj is None or sent.negated(tok) or obj.pos not in ("NOUN", "PROPN"):
                continue
            if sent.case_of(obj) is not None:
                continue  # "в день годовщины": a launched thing is no prepositional phrase
            if lemma(obj) in NOT_LAUNCHED or not _thing(sent, obj):
                continue
            obj_toks = sent.subtree(obj)
            route = route_in(sent, after=tok.start)
            context = sent.children(tok) + (
                sent.children(sent.head(tok)) if sent.head(tok) is not None else []
            )
            scope = [t for c in context if c is not obj for t in sent.subtree(c)] + obj_toks
            route_ids = {r[0] for r in route}
            place = place_in(sent, [t for t in scope if t.start not in {r[1] for r in route}])
            args: dict[str, Any] = {"object": _object_phrase(sent, obj, route, place)}
            if route:
                args["route"] = [r[0] for r in route]
            if place and place[0] not in route_ids:
                args["place"] = place[0]
            lo = min(tok.start, obj.start)
            hi = max(tok.stop, obj_toks[-1].stop)
            te = time_in(doc, lo, hi)
            if te is None:
                for c in sent.children(tok, "obl", "advmod", "nmod"):
                    toks = sent.subtree(c)
                    te = time_in(doc, toks[0].start, toks[-1].stop)
                    if te is not None:
                        break
            args.update(time_args(te))
            planned = _planned_by(sent, tok) or any(
                lemma(c) in PLAN_HEADS for c in sent.children(tok)
            )
            modality = "planned" if planned else None
            add_unique(doc, make_fact("launch", args, sent, confidence, modality, at=tok))
            if planned:
                _drop_plan_of(doc, sent, tok)


def _drop_plan_of(doc: Doc, sent: Sent, tok: Token) -> None:
    """ "Запустить завод планируется в 2027 году": a planned launch with no planner is
    the launch fact with `modality: planned` (spec 4.7), not a second, agentless plan."""
    action = lemma(tok)
    doc.facts[:] = [
        f
        for f in doc.facts
        if not (
            f.type == "plan"
            and f.args.get("agent") is None
            and f.args.get("action") == action
            and any(sent.span[0] <= s < sent.span[1] for s, _e in f.evidence)
        )
    ]


@component("launch")
def launch_layer(doc: Doc) -> None:
    guarded("launch", extract_launches, doc)
