"""Percentages named by what they are of: rates and shares.

A rate ("18% годовых", "под 7%") is named by the rate, never by "годовых"; a share
owned by the verb's other argument is "доля <owner>" ("60% электроэнергии
вырабатывают ГЭС" → "доля ГЭС"); "30% закупок госкомпаний" is "доля закупок
госкомпаний".
"""

from __future__ import annotations

import re

from newsfacts.extract.quantity.base import PLACE_NOUNS, Figure, IndicatorHit, Tok, fold
from newsfacts.extract.quantity.phrases import genitive_phrase, noun_phrase_gen
from newsfacts.extract.quantity.syntax import argument
from newsfacts.extract.quantity.verbs import AGENT_NOUNS, OBJECT_VERBS, SUBJECT_VERBS, VAGUE_NOUNS
from newsfacts.model import Span
from newsfacts.pipeline import Doc

ANNUAL_RE = re.compile(r"\s*годовых(?![а-яё])", re.I)
_LOAN_RE = re.compile(r"кредит|ипотек|заём|заем|займ|микрозайм", re.I)
_DEPOSIT_RE = re.compile(r"депозит|вклад|сбережен", re.I)


UNDER_RE = re.compile(
    r"(?<![а-яё])под\s+(?:(?:около|порядка|примерно|почти|не\s+более|не\s+менее|до)\s+)?$",
    re.I,
)


def rate_indicator(
    text: str, sent: Span, hits: list[IndicatorHit], pos: int, found: str | None = None
) -> str:
    """ "до 18% годовых": the rate named in the sentence ("ключевая ставка"), else the
    measure already found ("доходность облигаций"), else by what it is paid on
    ("ставка по кредитам"), else "ставка"."""
    rates = [h for h in hits if h.verb is None and "ставк" in h.text]
    if rates:
        before = [h for h in rates if h.end <= pos]
        return (max(before, key=lambda h: h.end) if before else rates[0]).text
    if found is not None and not found.startswith("доля"):
        return found
    sentence = text[sent[0] : sent[1]]
    if _DEPOSIT_RE.search(sentence):
        return "ставка по депозитам"
    if _LOAN_RE.search(sentence):
        return "ставка по кредитам"
    return "ставка"


_SHARE_MARKS = frozenset({"свыше", "около", "более", "менее", "до", "порядка", "почти"})


def owner_share(doc: Doc, toks: list[Tok], f: Figure) -> str | None:
    """ "около 60% электроэнергии вырабатывают ГЭС" → "доля ГЭС": a share of something
    whose owner is the other argument of the verb (spec: the owner names the share)."""
    pct = next(
        (t for t in toks if f.amount.start <= t.start < f.amount.end and t.text == "%"), None
    )
    if pct is None or not pct.head:
        return None
    verb = next((t for t in toks if t.id == pct.head), None)
    if verb is None or verb.pos != "VERB" or pct.rel not in {"obj", "obl", "nsubj"}:
        return None
    marks = {fold(t.text) for t in toks if t.head == pct.id and t.rel == "case"}
    if not marks <= _SHARE_MARKS:
        return None  # "в 30% случаев", "на 5%": not the verb's object
    if verb.lemma in SUBJECT_VERBS or verb.lemma in OBJECT_VERBS:
        return None
    if not any(t.head == pct.id and t.case == "Gen" and t.pos == "NOUN" for t in toks):
        return None  # a share of nothing named: not a share
    owner = argument(toks, verb, ("obj" if pct.rel == "nsubj" else "nsubj",))
    if owner is None and pct.rel != "nsubj" and verb.number == "Plur":
        # "35% электроэнергии производят тепловые электростанции": natasha made both
        # objects; the plural one after the verb is its subject.
        owner = next(
            (t for t in toks
             if t.head == verb.id and t.rel == "obj" and t is not pct and t.start > verb.start
             and t.pos == "NOUN" and t.number == "Plur"),
            None,
        )  # fmt: skip
    if owner is None or f.amount.start <= owner.start < f.amount.end:
        return None
    if pct.rel == "nsubj" and owner.case != "Nom":
        # "30% выпускников не находят работу": the share is the subject; only a
        # nominative "object" says natasha swapped them ("собирают фермерские хозяйства")
        return None
    abbreviation = owner.text.isupper() and 2 <= len(owner.text) <= 5
    if not (owner.text[:1].islower() or abbreviation):
        return None
    if owner.lemma in PLACE_NOUNS or owner.lemma in VAGUE_NOUNS:
        return None
    if not abbreviation and any(m.start <= owner.start < m.end for m in doc.mentions):
        return None
    if abbreviation:
        return f"доля {owner.text}"
    idx = toks.index(owner)
    if owner.lemma in AGENT_NOUNS and not (idx > 0 and toks[idx - 1].pos == "ADJ"):
        return None  # "70% кредитов банки выдали в тенге": who acted, not who holds
    if verb.number == "Plur" and owner.number != "Plur":
        # "расходуют сельхозпредприятия": the plural verb says the subject's number
        owner.number = "Plur"
    return "доля " + noun_phrase_gen(toks, owner)


def share_of(toks: list[Tok], end: int, stop: list[Span]) -> str | None:
    """ "30% закупок госкомпаний" → "доля закупок госкомпаний"; "47% ВВП" is a base, not a share."""
    idx = next((k for k, t in enumerate(toks) if t.start >= end), None)
    if idx is None or not toks[idx].text[:1].islower():
        return None
    words = genitive_phrase(toks, idx, stop)
    return "доля " + " ".join(w.text.lower() for w in words) if words else None
