"""Noun phrases of a clause, put in the nominative, and the objects of action nouns.

Why a module of its own: turning "прямого авиасообщения" into "прямое авиасообщение"
(inflecting the head and the adjectives that agree with it) and finding the object of
"открытие"/"запуск" is morphology over the tree, shared by all statement extractors
and by `agreement_args`, independent of who the actors are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pymorphy2.analyzer import Parse as PymorphyParse

from newsfacts.extract.clause_sentences import (
    DASHES,
    INNER_PUNCT,
    Sent,
    Token,
    token_text,
)
from newsfacts.extract.grammars.tokens import lemma
from newsfacts.extract.grammars.tokens import time_args as time_args  # shared with relations

UD_TO_OC = {
    "Nom": "nomn",
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
}
UD_NUMBER = {"Sing": "sing", "Plur": "plur"}
UD_GENDER = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}


AGREEING_RELS = {"amod", "det"}


DEVERBAL_SUFFIXES = ("ние", "тие", "пуск", "ввод", "ция", "старт")
DEVERBAL_WORDS = frozenset(
    {"строительство", "производство", "поставка", "закупка", "покупка", "продажа", "перевозка"}
)


# --- normal forms -------------------------------------------------------------------


def _morph() -> Any:
    from newsfacts.nlp.natasha_pipe import models

    return models().morph_vocab


def inflect(
    tok: Token, case: str = "nomn", number: str | None = None, gender: str | None = None
) -> str:
    """The token's word form in `case`, keeping number (and gender for adjectives)."""
    feats = dict(tok.feats or {})
    want_case = UD_TO_OC.get(feats.get("Case", ""))
    if want_case == case:
        return tok.text
    parses = _morph().parse(tok.text)
    noun_like = tok.pos in ("NOUN", "PROPN")

    def fits(p: Any) -> bool:
        ok_pos = (
            (p.tag.POS in ("NOUN",))
            if noun_like
            else (p.tag.POS in ("ADJF", "PRTF", "NUMR", "NPRO"))
        )
        return ok_pos and (want_case is None or p.tag.case == want_case)

    parse = next((p for p in parses if fits(p)), None)
    if parse is None:
        return tok.text
    grams = {case}
    num = number or UD_NUMBER.get(feats.get("Number", ""))
    if num:
        grams.add(num)
    if not noun_like and num == "sing" and gender:
        grams.add(gender)
    # natasha's MorphForm.inflect wants UD grams; pymorphy2's own takes OpenCorpora ones
    form = PymorphyParse.inflect(parse, grams) or PymorphyParse.inflect(parse, {case})
    if form is None:
        return tok.text
    word = form.word
    if tok.text[:1].isupper():
        word = word[:1].upper() + word[1:]
    return word


def _agreeing(sent: Sent, head: Token) -> set[str]:
    """Ids of adjectives agreeing with `head`, following coordinated adjectives too."""
    out: set[str] = set()
    todo = [c for c in sent.children(head) if c.rel in AGREEING_RELS]
    while todo:
        tok = todo.pop()
        if tok.id in out or tok.pos not in ("ADJ", "DET", "VERB", "NUM"):
            continue  # `in out`: the parser can emit conj cycles
        if "Case" not in (tok.feats or {}):
            continue
        out.add(tok.id)
        todo.extend(c for c in sent.children(tok, "conj"))
    return out


@dataclass
class Phrase:
    text: str  # normalized where feasible
    surface: str
    start: int
    end: int
    tokens: list[Token]


def phrase(
    sent: Sent,
    head: Token,
    *,
    skip: Iterable[Token] = (),
    keep_conj: bool = False,
    normalize: bool = True,
) -> Phrase:
    """The noun (or verb) phrase headed by `head`, in the nominative when it is a noun.

    Only the head and the adjectives agreeing with it change form ("прямого
    авиасообщения" → "прямое авиасообщение"); genitive and prepositional
    dependents stay as written, which is what a person writing a card would do.
    """
    # only the head's own conjuncts are separate phrases; "в регионе Центральной Азии
    # и Кавказа" inside the phrase keeps its "и Кавказа"
    own_conj = [] if keep_conj else sent.children(head, "conj", "cc")
    skipped = [t for s in skip for t in sent.subtree(s, stop_rels=set())]
    skipped_ids = {t.id for t in skipped}
    full = sent.subtree(head, skip=own_conj)
    # skipped parts (a place already reported as its own argument) may sit in the
    # middle of the phrase: bridge over them, then leave them out of the text
    toks = [t for t in sent.contiguous(head, full) if t.id not in skipped_ids]
    # adjectives right before the head that agree with it belong to it even when
    # the parser hung them elsewhere ("Первую очередь предприятия")
    hf = dict(head.feats or {})
    stray: set[str] = set()
    while toks:
        i = sent.pos[toks[0].id] - 1
        prev = sent.tokens[i] if i >= 0 else None
        pf = dict(prev.feats or {}) if prev is not None else {}
        if (
            prev is None
            or prev.pos != "ADJ"
            or prev.id in skipped_ids
            or pf.get("Case") != hf.get("Case")
            or pf.get("Number", hf.get("Number")) != hf.get("Number")
        ):
            break
        toks.insert(0, prev)
        stray.add(prev.id)
    doc = sent.doc
    surface = token_text(doc, toks)
    text = surface
    counted = head.pos == "NUM" or any(
        t.rel.startswith("nummod") and sent.pos[t.id] < sent.pos[head.id] for t in toks
    )
    # "два других государства", "300 тысяч баррелей": numerals govern the case, and
    # changing it would need the numeral changed too; such phrases stay as written
    if normalize and head.pos in ("NOUN", "PROPN") and toks and not counted:
        feats = dict(head.feats or {})
        number = UD_NUMBER.get(feats.get("Number", ""))
        gender = UD_GENDER.get(feats.get("Gender", ""))
        agree = _agreeing(sent, head) | stray
        heads = {head.id}
        if keep_conj:  # "укрепление ... и партнерство": every conjunct head to nominative
            case = feats.get("Case")
            for c in toks:
                if c.rel != "conj" or c.pos != "NOUN" or dict(c.feats or {}).get("Case") != case:
                    continue
                parent = sent.head(c)
                # a conjunct in the head's case is the head's, even when the parser
                # hung it on a genitive inside ("развитие перевозок и цифровизацию")
                if parent is head or dict(parent.feats or {}).get("Case") != case:
                    heads.add(c.id)
                    agree |= _agreeing(sent, c)
        parts: list[str] = []
        prev: Token | None = None
        for tok in toks:
            if prev is not None:
                parts.append(" " if doc.text[prev.stop : tok.start] else "")
            if tok.id in heads:
                tf = dict(tok.feats or {})
                parts.append(inflect(tok, "nomn", UD_NUMBER.get(tf.get("Number", ""))))
            elif tok.id in agree:
                h = head if tok.id in stray else sent.head(tok)
                while h is not None and h.id not in heads and h.rel == "conj" and h.id in agree:
                    h = sent.head(h)
                hf = dict(h.feats or {}) if h is not None else feats
                parts.append(
                    inflect(
                        tok,
                        "nomn",
                        UD_NUMBER.get(hf.get("Number", "")) or number,
                        UD_GENDER.get(hf.get("Gender", "")) or gender,
                    )
                )
            else:
                parts.append(tok.text)
            prev = tok
        text = "".join(parts)
    start = toks[0].start if toks else head.start
    end = toks[-1].stop if toks else head.stop
    return Phrase(text=text, surface=surface, start=start, end=end, tokens=toks)


def is_deverbal(tok: Token) -> bool:
    """Nouns that name an action ("открытие", "запуск", "проведение")."""
    lem = lemma(tok)
    return tok.pos == "NOUN" and (lem.endswith(DEVERBAL_SUFFIXES) or lem in DEVERBAL_WORDS)


def genitive_complement(sent: Sent, noun: Token) -> Token | None:
    """The object of an action noun: "открытие [центра]", "запуск [авиасообщения]"."""
    for c in sent.children(noun, "nmod", "obj"):
        if (
            dict(c.feats or {}).get("Case") == "Gen"
            and sent.case_of(c) is None
            and c.pos in ("NOUN", "PROPN")
        ):
            return c
    return None


def genitive_after(sent: Sent, noun: Token, limit: int = 12) -> Token | None:
    """Linear fallback when the parser hung the object elsewhere: the first genitive
    noun after `noun` that is not inside a prepositional phrase or a date."""
    dates = sent.doc.dates
    in_pp = False
    for tok in sent.after(noun, limit):
        if (tok.pos == "PUNCT" and tok.text not in INNER_PUNCT - DASHES) or (
            tok.pos == "VERB" and "Case" not in tok.feats
        ):
            return None
        if tok.pos == "ADP":
            in_pp = True
            continue
        if any(d.start <= tok.start < d.end for d in dates):
            continue
        feats = dict(tok.feats or {})
        if tok.pos == "ADJ":
            if in_pp and feats.get("Case") == "Gen":
                # an adjective after a PP noun starts a new phrase only when the parser
                # did not attach it inside that PP
                head = sent.head(tok)
                if head is not None and sent.case_of(head) is None:
                    in_pp = False
            continue
        if tok.pos == "NOUN":
            if not in_pp and feats.get("Case") == "Gen":
                return tok
            if not in_pp:
                return None  # "открытия аким области": another phrase has begun
            if in_pp and sent.case_of(tok) is None and feats.get("Case") == "Gen":
                head = sent.head(tok)
                if head is not None and sent.case_of(head) is None and head.pos != "NOUN":
                    return tok
    return None
