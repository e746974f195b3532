"""Group words resolved to the entities they stand for: "стороны" (the sides of a
meeting or deal), "участники встречи" (its participants) and "между двумя странами"
(two countries).

A group is a set, so it is not a `Mention` (which points at one entity): the coref
component (coref.py) leaves `{"kind", "start", "end", "text", "members"}` items in
`doc.user["groups"]`, and `group_at` gives the members covering a span to the fact
components. Members are the entities mentioned from the sentence where the last
two different ones were seen (people, or the states and organisations when no person
is in sight); "между двумя странами" keeps the last two countries.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract import lexicons
from newsfacts.pipeline import Doc, Mention

DUAL_WORDS = frozenset({"два", "оба", "двое", "обе", "обоих", "обеих", "двух", "двумя"})


def _recent_members(doc: Doc, pool: list[Mention], offset: int, pair: bool) -> list[str]:
    """Walk back from a group word until two different entities are seen, then take
    every entity mentioned from that sentence on: "Аким встретился с послом Италии и
    послом Японии. Стороны обсудили" has three sides, not the last two. `pair` keeps
    just the last two ("между двумя странами")."""
    before = sorted((m for m in pool if m.start < offset), key=lambda m: m.start)
    seen: list[str] = []
    window_start = None
    for mention in reversed(before):
        if mention.entity_id not in seen:
            seen.append(mention.entity_id)
        if len(seen) == 2:
            if pair:
                return list(reversed(seen))
            window_start = doc.sentence_of(mention.start)[0]
            break
    if window_start is None:
        return []
    members: list[str] = []
    for mention in before:
        if mention.start >= window_start and mention.entity_id not in members:
            members.append(mention.entity_id)
    return members


def _people_nearby(doc: Doc, people: list[Mention], offset: int, sentences: int = 6) -> bool:
    """Is a person mentioned in this sentence (before `offset`) or the five before it?"""
    starts = [s for s, _ in doc.sentences() if s <= offset]
    window_start = starts[-sentences] if len(starts) >= sentences else 0
    return any(window_start <= m.start < offset for m in people)


def groups(doc: Doc, person_mentions: list[Mention]) -> list[dict[str, Any]]:
    """Every group word of the text with the entities it stands for, in text order
    (`doc.user["groups"]`); `person_mentions` includes the resolved post phrases."""
    countries = [
        m
        for m in doc.mentions
        if m.kind in ("name", "coref")
        and (e := doc.entity(m.entity_id)) is not None
        and e.subtype == "country"
    ]
    actors = [
        m
        for m in doc.mentions
        if m.kind in ("name", "coref")
        and (e := doc.entity(m.entity_id)) is not None
        and (e.type == "organization" or e.subtype == "country")
    ]
    groups = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i, token in enumerate(tokens):
            lemma = (token.lemma or "").lower()
            plural = token.feats.get("Number") == "Plur"
            kind = None
            if lemma in lexicons.SIDES_WORDS and plural:
                prev = tokens[i - 1].text.lower() if i else ""
                if prev not in {"с", "со", "всех", "разных", "других"}:
                    kind = "sides"
            elif lemma in lexicons.PARTICIPANT_WORDS and plural:
                nxt = (tokens[i + 1].lemma or "").lower() if i + 1 < len(tokens) else ""
                if nxt in {"встреча", "переговоры", "беседа", "совещание", "заседание"}:
                    kind = "participants"
            elif lemma in lexicons.COUNTRY_WORDS and plural and i > 0:
                prev = tokens[i - 1].text.lower()
                prev2 = tokens[i - 2].text.lower() if i > 1 else ""
                if prev in DUAL_WORDS or (prev == "между" or prev2 == "между"):
                    kind = "countries"
            if kind is None:
                continue
            pool = countries if kind == "countries" else person_mentions
            if kind == "sides" and not _people_nearby(doc, person_mentions, token.start):
                # "Казахстан и Узбекистан подписали... Стороны договорились": no
                # people in sight, so the sides are the states and organisations
                pool = actors
            members = _recent_members(doc, pool, token.start, pair=kind == "countries")
            if len(members) < 2:
                continue
            end = tokens[i + 1].stop if kind == "participants" else token.stop
            groups.append(
                {
                    "kind": kind,
                    "start": token.start,
                    "end": end,
                    "text": doc.text[token.start : end],
                    "members": members,
                }
            )
    return groups


def group_at(doc: Doc, start: int, end: int) -> list[str] | None:
    """Entity ids of the group word overlapping [start, end), if there is one."""
    for group in doc.user.get("groups", []):
        if group["start"] < end and start < group["end"]:
            return list(group["members"])
    return None
