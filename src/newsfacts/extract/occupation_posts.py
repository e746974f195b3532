"""Post phrases in a sentence: "чрезвычайный и полномочный посол", "заместитель
министра иностранных дел", "исполняющий обязанности официального представителя".

A post is a head noun from the position lexicon with the modifiers before it and the
genitive complements after it that belong to the post itself; the place or
organisation and the holder are found around it by `occupation_holders` and
`occupation_places`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsfacts.extract.grammars.lexicon import (
    FORMER,
    PORTFOLIO_HEADS,
    POSITION_COMPLEMENTS,
    POSITION_HEADS,
    POSITION_MODIFIERS,
)
from newsfacts.extract.grammars.tokens import Sent, is_break, lemma

PLACE_TYPES = ("organization", "location")
ADJ_HEADS = frozenset(
    ["управляющий", "уполномоченный", "ведущий", "командующий", "главнокомандующий", "поверенный"]
)
# participles that name a post ("Аарон Гринспен, управляющий компанией FaceCash")
PARTICIPLE_HEADS = ("управляющий", "уполномоченный", "командующий", "главнокомандующий")


@dataclass
class PostChunk:
    """A post phrase in one sentence: token indexes [first, last], head index."""

    first: int
    head: int
    last: int
    former: bool = False


def head_lemma(tok: Any) -> str:
    """The post a token names: "экс-премьера" -> "премьер", "управляющий" from a
    participle the tagger read as a verb."""
    lem = lemma(tok)
    if lem.startswith("экс-"):
        lem = lem[4:]
        if lem not in POSITION_HEADS:  # "экс-премьера" may lemmatize as "экс-премьера"
            lem = next((h for h in POSITION_HEADS if tok.text.lower()[4:].startswith(h)), lem)
    if lem not in POSITION_HEADS and "-" in lem and not lem.startswith("вице-"):
        # "женщины-спикера": the post is the last part of the compound
        tail = tok.text.lower().replace("ё", "е").rsplit("-", 1)[-1]
        heads = [h for h in POSITION_HEADS if "-" not in h and tail.startswith(h)]
        if heads and len(tail) - len(max(heads, key=len)) <= 3:
            lem = max(heads, key=len)
    if tok.pos == "VERB" and (tok.feats or {}).get("VerbForm") == "Part":
        low = tok.text.lower()
        lem = next((h for h in PARTICIPLE_HEADS if low.startswith(h[:-2])), lem)
    return lem


# verbs that give one post to each of their coordinated subjects or objects:
# "Заместителями акима назначены X и Y", "X и Y стали советниками министра"
SHARING_VERBS = frozenset(["назначить", "избрать", "утвердить", "стать", "назначать"])


def shared_post(sent: Sent, tok: Any) -> bool:
    """A plural post in the instrumental of an appointment verb: each holder gets it."""
    if (tok.feats or {}).get("Case") != "Ins":
        return False
    gov = sent.head(tok)
    return gov is not None and lemma(gov) in SHARING_VERBS


def is_position_head(sent: Sent, i: int) -> bool:
    tok = sent.tokens[i]
    lem = head_lemma(tok)
    if lem not in POSITION_HEADS:
        return False
    # PROPN: "Министр" opening a sentence; ADJ: "Вице-министром" opening one (the
    # tagger's guess for a capitalised compound), but never a true adjective lemma
    nounish = tok.pos in ("NOUN", "PROPN") or (
        tok.pos == "ADJ" and not lem.endswith(("ый", "ий", "ой"))
    )
    if not nounish and lem not in ADJ_HEADS:
        return False
    # "руководители регионов", "кабинет министров": a group, not one holder's post
    if (tok.feats or {}).get("Number") == "Plur" and not shared_post(sent, tok):
        return False
    # "кандидат в президенты", "кандидатом на пост главы": an ambition, not a post
    before = [lemma(t) for t in sent.tokens[max(0, i - 4) : i]]
    if "кандидат" in before or "кандидатура" in before or "претендент" in before:
        return False
    # "Администрация президента", "Совет директоров": part of a named organisation.
    # A post word alone under a place/organisation mention ("Аким" opening a sentence,
    # tagged LOC by NER) is still a post.
    ent = sent.entity_at(tok)
    if ent is None or ent.type == "person":
        return True
    # "Вице-министром энергетики" tagged ORG by NER: a mention opening with the post
    # word in an oblique case is the post phrase, not an organisation's name
    case = (tok.feats or {}).get("Case")
    if case in ("Ins", "Gen", "Dat") and any(
        m[0] == tok.start and m[1] > tok.stop for m in sent.mentions if m[2] is ent
    ):
        return True
    return not any(
        m[0] < tok.start or m[1] > tok.stop
        for m in sent.mentions
        if m[2] is ent and m[0] <= tok.start < m[1]
    )


def find_chunks(sent: Sent) -> list[PostChunk]:
    toks = sent.tokens
    chunks: list[PostChunk] = []
    i = 0
    while i < len(toks):
        if not is_position_head(sent, i):
            i += 1
            continue
        first = i
        while first > 0:
            prev = toks[first - 1]
            if (
                lemma(prev) in POSITION_MODIFIERS
                and prev.pos in ("ADJ", "VERB", "NOUN")
                or lemma(prev) == "и"
                and first >= 2
                and lemma(toks[first - 2]) in POSITION_MODIFIERS
            ):
                first -= 1
            else:
                break
        former = (first > 0 and lemma(toks[first - 1]) in FORMER) or lemma(toks[i]).startswith(
            "экс-"
        )
        # "исполняющий обязанности официального представителя"
        if (
            first >= 2
            and lemma(toks[first - 1]) == "обязанность"
            and toks[first - 2].text.lower().startswith(("исполняющ", "временно исполняющ"))
        ):
            first -= 2
        last = portfolio_tail(sent, i) if lemma(toks[i]) in PORTFOLIO_HEADS else i
        while last + 1 < len(toks):
            nxt = toks[last + 1]
            feats = nxt.feats or {}
            if (
                nxt.pos == "NOUN"
                and feats.get("Case") == "Gen"
                and lemma(nxt) in POSITION_COMPLEMENTS
                and sent.entity_at(nxt, PLACE_TYPES) is None
            ):
                last += 1
                if lemma(nxt) in PORTFOLIO_HEADS:  # "заместитель министра иностранных дел"
                    last = portfolio_tail(sent, last)
            else:
                break
        chunks.append(PostChunk(first, i, last, former))
        i = last + 1
    return chunks


def portfolio_tail(sent: Sent, head: int) -> int:
    """Last token of "министр иностранных дел", "министр по делам разведки".

    The tail runs over genitive words (and "по" + dative) that are not part of a named
    entity, so "министр финансов России" stops before "России".
    """
    toks = sent.tokens
    last = head
    k = head + 1
    seen_noun = False
    while k < len(toks):
        tok = toks[k]
        case = (tok.feats or {}).get("Case")
        # coref may cover the whole post phrase with a person mention; only names of
        # places and organisations end the portfolio
        if sent.entity_at(tok, PLACE_TYPES) is not None or is_break(tok):
            break
        if tok.pos in ("NOUN", "ADJ") and (case == "Gen" or (case == "Dat" and seen_noun)):
            seen_noun = seen_noun or tok.pos == "NOUN"
            if tok.pos == "NOUN":
                last = k
        elif lemma(tok) == "по" and k == head + 1:
            seen_noun = True
        elif lemma(tok) == "и" and last == k - 1:
            pass
        else:
            break
        k += 1
    return last


def normalize_position(sent: Sent, chunk: PostChunk) -> str:
    """Modifiers and head in the nominative lemma; the genitive tail as written."""
    words = []
    if (
        lemma(sent.tokens[chunk.first + 1]) == "обязанность"
        if chunk.first + 1 < chunk.head
        else False
    ):
        # "исполняющий обязанности" governs the genitive: the post stays as written
        toks = sent.tokens[chunk.first : chunk.last + 1]
        text = " ".join(t.text.lower() for t in toks).replace("ё", "е")
        # the participle itself in the nominative: "исполняющим обязанности акима"
        return re.sub(r"^(временно )?исполняющ\w*", r"\1исполняющий", text)
    for k in range(chunk.first, chunk.last + 1):
        tok = sent.tokens[k]
        if k == chunk.head:
            words.append(head_lemma(tok))
        elif k < chunk.head and lemma(tok) in POSITION_MODIFIERS:
            words.append(lemma(tok))
        else:
            words.append(tok.text.lower())
    return " ".join(words).replace("ё", "е")
