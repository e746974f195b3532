"""The place or organisation of a post: named in its phrase or genitive tail, in a
geographic adjective ("британский премьер"), in a descriptor noun that points back
("глава партии" after the party was named), or, for national posts, the article's
main country.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.lexicon import FORMER, GEO_ADJECTIVES
from newsfacts.extract.grammars.tokens import Sent, is_break, is_finite_verb, lemma
from newsfacts.extract.occupation_holders import MAX_GAP
from newsfacts.extract.occupation_posts import PLACE_TYPES, PostChunk, head_lemma
from newsfacts.model import Entity
from newsfacts.pipeline import Doc

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


def main_country(doc: Doc) -> Entity | None:
    """The country the article is about: a bare "президент" is most often its head."""
    countries = [
        e for e in doc.entities if e.type == "location" and (e.subtype == "country" or e.code)
    ]
    if not countries:
        return None
    return max(countries, key=lambda e: (len(e.mentions), -min(e.mentions or [(0, 0)])[0]))


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
