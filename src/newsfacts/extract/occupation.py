"""Occupation facts: who holds which post where ("аким Алматы Ерболат Досаев").

A post is found as a phrase around a head noun from the position lexicon
("чрезвычайный и полномочный посол", "заместитель министра"); its holder is the
person named right after it, before it across a comma or dash, or as the subject of
a predicate that takes the post in the instrumental ("стал президентом"). The place
or organisation is the first ORG/LOC mention between the post and its holder, or in
the post's genitive tail. Rules over natasha tokens keep every fact explainable by
the span it came from, which is what the fact record promises.

Where the rules find no holder shape, a small logistic-regression model trained on
NEREL (`extract/learned/`, docs/learned-component.md) scores every remaining (person,
post) pair of the sentence; the pairs it accepts become facts marked
`args["method"] = "learned"`, with its probability as the confidence and the sentence
as evidence.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from newsfacts.extract.grammars.lexicon import (
    FORMER,
    GEO_ADJECTIVES,
    LEAD_VERBS,
    PHASE_END,
    PHASE_START,
    PORTFOLIO_HEADS,
    POSITION_COMPLEMENTS,
    POSITION_HEADS,
    POSITION_MODIFIERS,
    WEAK_HEADS,
)
from newsfacts.extract.grammars.tokens import (
    Sent,
    is_break,
    is_finite_verb,
    lemma,
    sentences,
    time_args,
)
from newsfacts.extract.learned import linear
from newsfacts.extract.learned.linear import LinearModel
from newsfacts.extract.learned.pairs import Candidate, sentence_candidates
from newsfacts.extract.merge import add_once
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc, TimeExpr, component

PLACE_TYPES = ("organization", "location")
ADJ_HEADS = frozenset(
    ["управляющий", "уполномоченный", "ведущий", "командующий", "главнокомандующий", "поверенный"]
)
# posts that belong to a country even when the sentence does not name it
NATIONAL_POSTS = frozenset(
    [
        "президент",
        "вице-президент",
        "премьер-министр",
        "премьер",
        "вице-премьер",
        "канцлер",
        "сенатор",
        "госсекретарь",
        "министр",
    ]
)
ORG_DESCRIPTORS = frozenset(
    ["партия", "компания", "движение", "фракция", "концерн", "корпорация", "холдинг", "банк"]
)
# participles that name a post ("Аарон Гринспен, управляющий компанией FaceCash")
PARTICIPLE_HEADS = ("управляющий", "уполномоченный", "командующий", "главнокомандующий")
LEFT_JOINERS = frozenset({",", "—", "–", "-", "("})
MAX_GAP = 12
MODEL_NAME = "occupation_pairs"  # data/models/occupation_pairs.json


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


def is_position_head(sent: Sent, i: int) -> bool:
    tok = sent.tokens[i]
    lem = head_lemma(tok)
    if lem not in POSITION_HEADS:
        return False
    if tok.pos not in ("NOUN", "PROPN") and lem not in ADJ_HEADS:  # PROPN: "Министр" opening
        return False
    # "руководители регионов", "кабинет министров": a group, not one holder's post
    if (tok.feats or {}).get("Number") == "Plur":
        return False
    # "кандидат в президенты", "кандидатом на пост главы": an ambition, not a post
    before = [lemma(t) for t in sent.tokens[max(0, i - 4) : i]]
    if "кандидат" in before or "кандидатура" in before or "претендент" in before:
        return False
    # "Администрация президента", "Совет директоров": part of a named organisation.
    ent = sent.entity_at(tok)
    return ent is None or ent.type == "person"


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
        return " ".join(t.text.lower() for t in toks).replace("ё", "е")
    for k in range(chunk.first, chunk.last + 1):
        tok = sent.tokens[k]
        if k == chunk.head:
            words.append(head_lemma(tok))
        elif k < chunk.head and lemma(tok) in POSITION_MODIFIERS:
            words.append(lemma(tok))
        else:
            words.append(tok.text.lower())
    return " ".join(words).replace("ё", "е")


def _mention_starting(sent: Sent, tok: Any, types: tuple[str, ...]) -> tuple | None:
    # only names: a nominal mention ("посол Италии") is a post, not its holder's name
    for m in sent.mentions:
        if m[0] == tok.start and m[2].type in types and m[3] == "name":
            return m
    return None


def _mention_ending(sent: Sent, tok: Any, types: tuple[str, ...]) -> tuple | None:
    for m in sent.mentions:
        if m[1] == tok.stop and m[2].type in types and m[3] == "name":
            return m
    return None


def _agrees(post: Any, name: Any) -> bool:
    """An apposition agrees in case: "помощник Хиллари Клинтон" names the boss."""
    a = (post.feats or {}).get("Case")
    b = (name.feats or {}).get("Case")
    # only a genitive name after a post in another case is the boss; foreign names
    # ("Марко Альберти") do not decline, so other mismatches prove nothing
    return not (b == "Gen" and a not in (None, "Gen", "Acc"))


def holder_right(sent: Sent, chunk: PostChunk, starts: dict[int, PostChunk]) -> tuple | None:
    """The person named after the post: "посол Италии в Казахстане Марко Альберти"."""
    toks = sent.tokens
    k = chunk.last + 1
    steps = 0
    while k < len(toks) and steps < MAX_GAP:
        tok = toks[k]
        m = _mention_starting(sent, tok, ("person",))
        if m is not None:
            return m if _agrees(sent.tokens[chunk.head], tok) else None
        if tok.text == "(":  # "лидер Национального фронта (FN) Марин Ле Пен"
            close = next((j for j in range(k, len(toks)) if toks[j].text == ")"), None)
            if close is not None and close - k <= 6:
                k = close + 1
                continue
        if is_break(tok) and sent.entity_at(tok, PLACE_TYPES) is None:  # "Kaspi.kz"
            # a list of posts held by one person: "депутат ..., сопредседатель ... Имя"
            if tok.text == "," and k + 1 in starts:
                k = starts[k + 1].last + 1
                steps += 1
                continue
            # "первый вратарь сборной последних лет, Оливер Кан будет ...": the name
            # set off by a comma, then the clause's verb
            if tok.text == "," and k + 1 < len(toks):
                m = _mention_starting(sent, toks[k + 1], ("person",))
                after = next((t for t in toks[k + 1 :] if t.start >= m[1]), None) if m else None
                if m and after is not None and is_finite_verb(after):
                    return m
            return None
        if k in starts and k != chunk.first and lemma(toks[k - 1]) not in ("и", "или"):
            # "представитель вооружённых сил полковник Сансерн Каевкамнерд"
            k = starts[k].last + 1
            steps += 1
            continue
        if is_finite_verb(tok) or (k in starts and k != chunk.first):
            return None
        if lemma(tok) in ("и", "или") and k + 1 < len(toks) and sent.entity_at(toks[k + 1]) is None:
            return None  # "Президент и первая леди Мишель Обама": another person's title
        k += 1
        steps += 1
    return None


def holder_left(sent: Sent, chunk: PostChunk) -> tuple | None:
    """The person named before the post: "Марко Альберти, посол Италии"."""
    k = chunk.first - 1
    while k >= 0 and lemma(sent.tokens[k]) in FORMER:
        k -= 1
    if k < 1 or sent.tokens[k].text not in LEFT_JOINERS:
        return None
    k -= 1
    # "Скотт Хоровитц (Scott Horowitz), бывший астронавт"
    if sent.tokens[k].text == ")":
        while k > 0 and sent.tokens[k].text != "(":
            k -= 1
        k -= 1
    if k < 0:
        return None
    return _mention_ending(sent, sent.tokens[k], ("person",))


def holder_predicate(sent: Sent, chunk: PostChunk) -> tuple | None:
    """The subject of "стал президентом", "назначен на пост министра"."""
    head = sent.tokens[chunk.head]
    feats = head.feats or {}
    gov = sent.head(head)
    if feats.get("Case") != "Ins":
        if gov is None or lemma(gov) not in ("пост", "должность", "место", "кресло"):
            return None
        gov = sent.head(gov)
    if gov is not None and gov.pos not in ("VERB", "AUX"):
        # natasha trees can contain cycles, so walk a bounded ancestor list
        gov = next((t for t in sent.ancestors(gov) if t.pos in ("VERB", "AUX")), None)
    if gov is None:
        return None
    subjects = [c for c in sent.children(gov) if c.rel in ("nsubj", "nsubj:pass")]
    if not subjects and gov.rel == "xcomp" and sent.head(gov) is not None:
        gov = sent.head(gov)  # "Путин согласился занять пост премьер-министра"
    for child in sent.children(gov):
        if child.rel in ("nsubj", "nsubj:pass"):
            # "премьер-министром станет глава партии Саломе Зурабишвили": the name is
            # the subject itself or its apposition
            for cand in [child, *(c for c in sent.children(child) if c.rel == "appos")]:
                for m in sent.mentions:
                    if m[0] <= cand.start < m[1] and m[2].type == "person" and m[3] == "name":
                        return m
    return None


def holder_coref(sent: Sent, chunk: PostChunk) -> tuple | None:
    """A post word that coreference already resolved to a person ("Посол отметил")."""
    head = sent.tokens[chunk.head]
    for m in sent.mentions:
        if m[0] <= head.start and head.stop <= m[1] and m[2].type == "person":
            return m
    return None


def find_where(
    sent: Sent,
    chunk: PostChunk,
    stop: int | None,
    doc_entities: list[Entity],
    starts: dict[int, PostChunk] | None = None,
) -> Entity | None:
    """First ORG/LOC after the post and before the holder (or the phrase's end)."""
    toks = sent.tokens
    starts = starts or {}
    k = chunk.head + 1
    end = stop if stop is not None else len(toks)
    steps = 0
    while k < end and steps < MAX_GAP:
        tok = toks[k]
        if stop is None and (is_break(tok) or is_finite_verb(tok)):
            break
        if k in starts and k > chunk.last:  # "Глава города и посол Италии": next post
            break
        ent = sent.entity_at(tok, PLACE_TYPES)
        if ent is not None:
            return ent
        k += 1
        steps += 1
    # natasha attaches "в Казахстане" etc. to the head; use the tree as a fallback
    head = toks[chunk.head]
    for child in sent.children(head):
        if child.rel.startswith("nmod"):
            ent = sent.entity_at(child, PLACE_TYPES)
            if ent is not None:
                return ent
    # "британский премьер", "подмосковного губернатора"
    k = chunk.first - 1
    while k >= 0 and lemma(toks[k]) in FORMER:
        k -= 1
    if k >= 0 and toks[k].pos == "ADJ":
        return geo_adjective_entity(doc_entities, sent, toks[k])
    return None


def geo_adjective_entity(entities: list[Entity], sent: Sent, tok: Any) -> Entity | None:
    """The place a geographic adjective points to, if the article names that place."""
    ent = sent.entity_at(tok, ("location",))
    if ent is not None:
        return ent
    lem = lemma(tok)
    names = GEO_ADJECTIVES.get(lem)
    places = [e for e in entities if e.type == "location"]
    if names:
        for e in places:
            if e.name.lower().replace("ё", "е") in names:
                return e
        return None
    for suffix in ("ский", "цкий", "ской", "ский"):
        if lem.endswith(suffix) and len(lem) - len(suffix) >= 4:
            stem = lem[: len(lem) - len(suffix)][:5]
            for e in places:
                if e.name.lower().replace("ё", "е").startswith(stem):
                    return e
    return None


def find_phase(sent: Sent, chunk: PostChunk) -> tuple[str | None, Any | None]:
    """Tenure start or end signalled near the post, with the token that signalled it."""
    if chunk.former:
        return "end", sent.tokens[chunk.first - 1]
    head = sent.tokens[chunk.head]
    near = {id(t) for t in sent.ancestors(head, limit=4)}
    for tok in sent.tokens:
        lem = lemma(tok)
        if lem not in PHASE_START and lem not in PHASE_END:
            continue
        related = id(tok) in near or sent.head(tok) is head
        # "вступившим в эту должность" sits on the holder, not on the post word
        close = abs(sent.index[tok.id] - chunk.head) <= 6
        if related or close:
            return ("start" if lem in PHASE_START else "end"), tok
    return None, None


def nearest_date(doc: Doc, sent: Sent, anchor: Any) -> TimeExpr | None:
    dates = doc.dates_in(sent.start, sent.stop)
    if not dates:
        return None
    return min(dates, key=lambda d: abs(d.start - anchor.start))


def _holder_chunk_index(sent: Sent, m: tuple) -> int:
    for i, t in enumerate(sent.tokens):
        if t.start >= m[0]:
            return i
    return len(sent.tokens)


def descriptor_org(doc: Doc, sent: Sent, chunk: PostChunk) -> Entity | None:
    """ "глава партии Сергей Митрохин" after "Яблоко" was named: the organisation the
    descriptor noun stands for is the latest one named before it."""
    k = chunk.last + 1
    if k >= len(sent.tokens):
        return None
    tok = sent.tokens[k]
    if lemma(tok) not in ORG_DESCRIPTORS or (tok.feats or {}).get("Case") != "Gen":
        return None
    if sent.entity_at(tok, PLACE_TYPES) is not None:
        return None
    before = [
        (start, e)
        for e in doc.entities
        if e.type == "organization"
        for start, _end in e.mentions
        if start < tok.start
    ]
    return max(before, key=lambda p: p[0])[1] if before else None


def _main_country(doc: Doc) -> Entity | None:
    """The country the article is about: a bare "президент" is most often its head."""
    countries = [
        e for e in doc.entities if e.type == "location" and (e.subtype == "country" or e.code)
    ]
    if not countries:
        return None
    return max(countries, key=lambda e: (len(e.mentions), -min(e.mentions or [(0, 0)])[0]))


def _person_in(sent: Sent, tok: Any) -> Entity | None:
    for cand in [tok, *(c for c in sent.children(tok) if c.rel in ("appos", "flat:name"))]:
        ent = sent.entity_at(cand, ("person",))
        if ent is not None:
            return ent
    return None


def lead_verb_facts(doc: Doc) -> list[Fact]:
    """ "Народная партия, возглавляемая Бхутто", "Иванов возглавил компанию X".

    The text names who runs the organisation without a post word; the post is recorded
    as "руководитель", the closest neutral reading.
    """
    out: list[Fact] = []
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            if lem not in LEAD_VERBS or tok.pos != "VERB":
                continue
            person: Entity | None = None
            org: Entity | None = None
            feats = tok.feats or {}
            if feats.get("VerbForm") == "Part" and feats.get("Voice") == "Pass":
                head = sent.head(tok)
                org = sent.entity_at(head, PLACE_TYPES) if head is not None else None
                for c in sent.children(tok):
                    if c.rel in ("obl", "obl:agent", "nsubj:pass", "nmod") and person is None:
                        person = _person_in(sent, c)
            else:
                for c in sent.children(tok):
                    if c.rel == "nsubj":
                        person = _person_in(sent, c)
                    elif c.rel in ("obj", "obl") and org is None:
                        org = sent.entity_at(c, PLACE_TYPES)
                        if org is None:  # "возглавил компанию «Казмунайгаз»"
                            org = next(
                                (
                                    e
                                    for g in sent.children(c)
                                    if g.rel in ("appos", "nmod", "flat:name")
                                    and (e := sent.entity_at(g, ("organization",)))
                                ),
                                None,
                            )
            if person is None or org is None:
                continue
            args: dict[str, Any] = {
                "person": person.id,
                "position": "руководитель",
                "position_text": tok.text,
                "where": org.id,
            }
            if lem == "возглавить":
                args["phase"] = "start"
            out.append(
                Fact(
                    type="occupation",
                    args=args,
                    evidence=[(sent.start, sent.stop)],
                    confidence=0.6,
                    extractor="occupation",
                )
            )
    return out


@dataclass
class RuleOutput:
    """What the rules found, and what the learned pass must not find again."""

    facts: dict[tuple, Fact] = field(default_factory=dict)
    # (person entity id, first character of the post's head) of every pair the rules made
    pairs: set[tuple[str, int]] = field(default_factory=set)
    chunks: list[tuple[Sent, list[PostChunk]]] = field(default_factory=list)
    main_country: Entity | None = None


def place_of(
    doc: Doc,
    sent: Sent,
    chunk: PostChunk,
    stop: int | None,
    starts: dict[int, PostChunk],
    main_country: Entity | None,
) -> tuple[Entity | None, bool]:
    """The post's place or organisation, and whether it is only the article's country."""
    where = find_where(sent, chunk, stop, doc.entities, starts)
    if where is None:
        where = descriptor_org(doc, sent, chunk)
    if where is None and head_lemma(sent.tokens[chunk.head]) in NATIONAL_POSTS:
        return main_country, True
    return where, False


def occupation_args(
    doc: Doc, sent: Sent, chunk: PostChunk, person: Entity, where: Entity | None, doc_level: bool
) -> dict[str, Any]:
    first_tok, last_tok = sent.tokens[chunk.first], sent.tokens[chunk.last]
    args: dict[str, Any] = {
        "person": person.id,
        "position": normalize_position(sent, chunk),
        "position_text": doc.text[first_tok.start : last_tok.stop],
    }
    if where is not None and where.id != person.id:
        args["where"] = where.id
        # the form the text uses here ("Беларуси", "КНР"), which the entity's
        # canonical name may not share; evaluations match on surface forms
        near = [m for m in sent.mentions if m[2] is where]
        if near and not doc_level:
            m = min(near, key=lambda m: abs(m[0] - first_tok.start))
            args["where_text"] = doc.text[m[0] : m[1]]
    phase, trigger = find_phase(sent, chunk)
    if phase:
        args["phase"] = phase
        when = nearest_date(doc, sent, trigger)
        if when is not None:
            args.update(time_args(when))
    return args


def rule_facts(doc: Doc) -> RuleOutput:
    out = RuleOutput(main_country=_main_country(doc))
    facts = out.facts
    main_country = out.main_country
    for sent in sentences(doc):
        chunks = find_chunks(sent)
        out.chunks.append((sent, chunks))
        starts = {c.first: c for c in chunks}
        for chunk in chunks:
            nxt = sent.tokens[chunk.last + 1] if chunk.last + 1 < len(sent.tokens) else None
            boss = (
                nxt is not None
                and _mention_starting(sent, nxt, ("person",)) is not None
                and not _agrees(sent.tokens[chunk.head], nxt)
            )
            if boss:
                continue  # "помощник Касым-Жомарта Токаева": whoever it is, not him
            how = "right"
            holder = holder_right(sent, chunk, starts)
            stop = _holder_chunk_index(sent, holder) if holder else None
            if holder is None:
                how, holder = "left", holder_left(sent, chunk)
            if holder is None:
                how, holder = "predicate", holder_predicate(sent, chunk)
            if holder is None:
                how, holder = "coref", holder_coref(sent, chunk)
            if holder is None:
                continue
            out.pairs.add((holder[2].id, sent.tokens[chunk.head].start))
            where, doc_level = place_of(doc, sent, chunk, stop, starts, main_country)
            post = head_lemma(sent.tokens[chunk.head])
            if where is None and post in WEAK_HEADS:
                continue
            args = occupation_args(doc, sent, chunk, holder[2], where, doc_level)
            position = args["position"]
            first_tok, last_tok = sent.tokens[chunk.first], sent.tokens[chunk.last]
            conf = {"right": 0.85, "left": 0.8, "predicate": 0.7, "coref": 0.6}[how]
            if "where" not in args:
                # true more often than not, but rarely what an analyst asked for: keep
                # below 0.5 so consumers can ask for placed posts only
                conf -= 0.4
            elif doc_level:
                conf -= 0.25
            lo = min(first_tok.start, holder[0])
            hi = max(last_tok.stop, holder[1])
            if "where_text" in args:  # the evidence covers every argument it supports
                wm = min(
                    (m for m in sent.mentions if m[2].id == args["where"]),
                    key=lambda m: abs(m[0] - first_tok.start),
                )
                lo, hi = min(lo, wm[0]), max(hi, wm[1])
            key = (args["person"], position, args.get("where"))
            fact = Fact(
                type="occupation",
                args=args,
                evidence=[(lo, hi)],
                confidence=conf,
                extractor="occupation",
            )
            add_once(facts, key, fact, fill=("phase", "time"))
    for fact in lead_verb_facts(doc):
        key = (fact.args["person"], fact.args["position"], fact.args.get("where"))
        facts.setdefault(key, fact)
    return out


def learned_facts(doc: Doc, rules: RuleOutput, model: LinearModel) -> list[Fact]:
    """Pairs the rules did not make and the classifier accepts, its probability as the
    confidence and the whole sentence as evidence (the link is not one local shape).

    A post the rules already gave a holder is left alone: a second holder of the same
    post word is nearly always a neighbour ("помощник X Y"), not a shared post; for the
    same reason a post gets at most one learned holder, the likeliest. A post
    with neither place nor organisation needs the stricter `unplaced` threshold: a bare
    "глава" or "лидер" says little, and FactRuEval does not count such facts at all.
    """
    out: list[Fact] = []
    taken = {start for _pid, start in rules.pairs}
    unplaced = model.thresholds.get("unplaced", model.threshold)
    for sent, chunks in rules.chunks:
        if not chunks or not any(m[2].type == "person" for m in sent.mentions):
            continue
        starts = {c.first: c for c in chunks}
        # a post chunk is one singular post: at most one holder, the likeliest
        best: dict[int, tuple[float, Candidate]] = {}
        for cand in sentence_candidates(sent, chunks):
            head_start = sent.tokens[cand.chunk.head].start
            if head_start in taken:
                continue
            p = model.probability(cand.features)
            if p >= model.threshold and (head_start not in best or p > best[head_start][0]):
                best[head_start] = (p, cand)
        for p, cand in best.values():
            person = cand.person[2]
            chunk = cand.chunk
            # only the post's own phrase: a place between the post and a distant holder
            # ("космонавты: Токарев (Россия), Макартур") belongs to someone else
            where, doc_level = place_of(doc, sent, chunk, None, starts, rules.main_country)
            args = occupation_args(doc, sent, chunk, person, where, doc_level)
            weak = head_lemma(sent.tokens[chunk.head]) in WEAK_HEADS
            if "where" not in args and (p < unplaced or weak):
                continue
            args["method"] = "learned"
            out.append(
                Fact(
                    type="occupation",
                    args=args,
                    evidence=[(sent.start, sent.stop)],
                    confidence=round(p, 3),
                    extractor="occupation",
                )
            )
    return out


@cache
def occupation_model() -> LinearModel | None:
    """The shipped pair classifier; None (rules only, one warning) when unusable."""
    try:
        return linear.packaged(MODEL_NAME)
    except linear.ModelError as exc:
        warnings.warn(f"occupation: learned pairs off: {exc}", stacklevel=2)
        return None


def extract_occupations(doc: Doc, *, learned: bool = True) -> list[Fact]:
    rules = rule_facts(doc)
    facts = rules.facts
    model = occupation_model() if learned else None
    if model is not None:
        for fact in learned_facts(doc, rules, model):
            key = (fact.args["person"], fact.args["position"], fact.args.get("where"))
            facts.setdefault(key, fact)
    # a post the text also states with its place says more than the bare post
    placed = {(f.args["person"], f.args["position"]) for f in facts.values() if "where" in f.args}
    return [
        f
        for f in facts.values()
        if "where" in f.args or (f.args["person"], f.args["position"]) not in placed
    ]


@component("occupation")
def occupation_layer(doc: Doc) -> None:
    for fact in extract_occupations(doc):
        doc.add_fact(fact)
