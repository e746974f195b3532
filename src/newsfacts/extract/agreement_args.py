"""The record of a signed agreement: document phrase, subject, value, status, and the
sides of the talks a signing closed.

Kept apart from `agreement.py` (which finds the signing and its sides in the tree) so
each file does one job.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.clauses import inflect
from newsfacts.extract.grammars.tokens import Sent, lemma
from newsfacts.extract.meeting import subtree
from newsfacts.extract.numbers import find_amounts
from newsfacts.extract.org_refs import org_named_before, represented_at
from newsfacts.model import Entity
from newsfacts.pipeline import Doc

# the document is only planned: "намерены подписать", "планируется подписание"
PLAN_WORDS = frozenset(
    {
        "планировать",
        "запланировать",
        "планироваться",
        "намереваться",
        "намерен",
        "собираться",
        "предполагаться",
        "ожидаться",
        "договориться",
        "готовить",
        "готовый",
        "готовиться",
        "хотеть",
        "предложить",
        "обсудить",
        "обсуждать",
        "рассчитывать",
        "мочь",
    }
)
PRICE_WORDS = frozenset({"сумма", "стоимость", "общий"})
QUANTIFIERS = frozenset({"ряд", "пакет", "серия", "комплекс", "несколько", "свыше", "более"})


def status_of(sent: Sent, trigger: Any) -> str:
    """`planned` for "подпишут", "намерены подписать", "планируется подписание"."""
    feats = trigger.feats or {}
    if feats.get("Tense") == "Fut":
        return "planned"
    for anc in [trigger, *sent.ancestors(trigger, limit=3)]:
        if anc is not trigger and lemma(anc) in PLAN_WORDS:
            return "planned"
        if anc is not trigger and anc.pos == "VERB" and (anc.feats or {}).get("Tense") == "Fut":
            return "planned"
        if anc.rel not in ("xcomp", "obj", "obl", "nsubj", "nmod", "csubj"):
            break
    return "signed"


def document_args(doc: Doc, sent: Sent, document: Any) -> dict[str, Any]:
    """`object` (the document phrase as written), `subject` (nominative, without its
    preposition: «о строительстве завода» -> «строительство завода»), `value`/`unit`."""
    phrase = document
    up = sent.head(document)
    if up is not None and (lemma(up) in QUANTIFIERS or up.pos == "NUM"):
        phrase = up  # "ряд документов", "пакет соглашений"
    toks = sorted(subtree(sent, phrase), key=lambda t: t.start)
    while len(toks) > 1 and toks[0].rel in ("cc", "fixed", "punct", "advmod"):
        toks = toks[1:]  # ", а также меморандум …"
    args: dict[str, Any] = {"object": doc.text[toks[0].start : toks[-1].stop]}
    for c in sorted(sent.children(document), key=lambda t: t.start):
        preps = [lemma(g) for g in sent.children(c) if g.rel == "case"]
        if not preps or preps[0] not in ("о", "об", "по", "на") or lemma(c) in PRICE_WORDS:
            continue
        if lemma(c) == "намерение":
            continue
        subject = nominative_phrase(doc, sent, c)
        if subject:
            args["subject"] = subject
        break
    text = doc.text[toks[0].start : toks[-1].stop]
    money = [a for a in find_amounts(text) if a.unit and a.unit not in ("%", "п.п.")]
    if money:
        args["value"], args["unit"] = money[0].value, money[0].unit
    return args


def nominative_phrase(doc: Doc, sent: Sent, head: Any) -> str:
    """The phrase headed by `head` without its preposition, head and its adjectives in
    the nominative; it stops where a price starts («на поставку газа | на сумму ...»)."""
    part = sorted(subtree(sent, head), key=lambda t: t.start)
    cut = next((t for t in part if lemma(t) in PRICE_WORDS), None)
    if cut is not None:
        part = [t for t in part if t.start < cut.start and not _is_case_of(sent, t, cut)]
    part = [t for t in part if not _is_case_of(sent, t, head)]
    if not part:
        return ""
    words = []
    for t in part:
        if t is head or (t.rel == "amod" and sent.head(t) is head):
            words.append(inflect(t, "nomn"))
        else:
            words.append(doc.text[t.start : t.stop])
    out = " ".join(words)
    for p in (" ,", " .", " »", "« "):
        out = out.replace(p, p.strip() if p[0] == " " else p.strip())
    return out


TALK_NOUNS = frozenset({"переговоры", "встреча", "визит", "саммит", "заседание", "беседа"})


def after_talks(sent: Sent, trigger: Any) -> bool:
    """ "По итогам переговоров подписан ряд документов": the signing closes talks."""
    scope = [trigger, *sent.ancestors(trigger, limit=2)]
    for head in scope:
        for c in sent.children(head):
            if lemma(c) in TALK_NOUNS:
                return True
            if c.rel == "obl" and any(lemma(g) in TALK_NOUNS for g in sent.children(c)):
                return True  # "по итогам переговоров", "в рамках визита"
    return False


def recent_meeting(doc: Doc, sent: Sent, window: int = 3) -> list[Entity]:
    """Participants of the latest meeting reported up to this sentence (within
    `window` sentences), whose talks the signing closed."""
    starts = [s for s, _ in doc.sentences() if s <= sent.start]
    lo = starts[-window] if len(starts) >= window else 0
    meetings = [
        f
        for f in doc.facts
        if f.type == "meeting" and f.evidence and lo <= f.evidence[0][0] < sent.stop
    ]
    if not meetings:
        return []
    latest = max(meetings, key=lambda f: f.evidence[0][0])
    return [e for i in latest.args["participants"] if (e := doc.entity(i)) is not None]


def _is_case_of(sent: Sent, tok: Any, noun: Any) -> bool:
    return tok.rel == "case" and sent.head(tok) is noun


def represented(doc: Doc, person: Entity, sent: Sent) -> Entity | None:
    """The organisation or place a signing person stands for, as the text's own
    occupation facts state it ("аким Туркестанской области Бекзат Оразалиев" signs for
    the region): the post nearest this sentence, never a past one.

    «Стороны подписали» after talks of an аким and a company's director means the
    region and the company signed; the persons are their signatories.
    """
    return represented_at(doc, person.id, sent.start, sent.stop)


def named_before(doc: Doc, sent: Sent, tok: Any, window: int = 3) -> Entity | None:
    """ "министерство и компания подписали": the latest organisation named with the same
    common noun ("компании Jiangsu Huafang", "министерство текстильной промышленности")
    in this sentence or the `window` sentences before it; None if the noun has modifiers
    of its own or no such organisation was named."""
    if any(c.rel in ("amod", "nmod", "appos") for c in sent.children(tok)):
        return None
    return org_named_before(doc, lemma(tok), tok.start, window)
