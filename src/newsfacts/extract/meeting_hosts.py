"""The host side of a meeting when the tree's subject is not a name.

News names the official once ("Асхат Нурмаганбетов назначен акимом") and then says
"новый глава региона принял делегацию", "градоначальник провёл встречу", "он
встретился"; the parser also often misses the subject ("В первый рабочий день
Мырзахметов встретился", where "день" is tagged nsubj, or "После церемонии хоким
области Фуркат Рахимов провёл встречу", where the name hangs off "церемонии"). Three
steps, used only when the tree gives no person:

- of several nsubj, the one that is a name, a post word or a pronoun;
- a post word resolves to the person an earlier occupation fact gave that post ("новый"
  prefers the appointee), a head-of-place word ("градоначальник", "глава", "мэр") to any
  head of a place, a pronoun to the first person of the nearest sentence naming one;
- with no subject at all, the person named just before the trigger, outside any
  "с ..." phrase.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.lexicon import POSITION_HEADS
from newsfacts.extract.grammars.tokens import Sent, lemma
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc

# local heads under every name the region uses
HEAD_WORDS = frozenset(
    {"аким", "хоким", "хяким", "градоначальник", "мэр", "глава", "руководитель", "губернатор"}
)
HOST_WORDS = POSITION_HEADS | HEAD_WORDS | {"полпред", "замаким", "директор", "председатель"}
# first words of a post that heads its body ("председатель правления", not "заместитель")
TOP_POSTS = HEAD_WORDS | {"председатель", "директор", "генеральный", "президент", "министр"}
PRONOUNS = frozenset({"он", "она"})
TIME_NOUNS = frozenset({"день", "неделя", "год", "месяц", "время", "вечер", "утро"})


def best_subject(sent: Sent, cur: Any) -> Any | None:
    """The nsubj of `cur` that can be a side: a name, a post word or a pronoun."""
    subjects = [c for c in sent.children(cur) if c.rel in ("nsubj", "nsubj:pass")]
    for s in subjects:
        if sent.entity_at(s, ("person",)) is not None or lemma(s) in HOST_WORDS | PRONOUNS:
            return s
    rest = [s for s in subjects if lemma(s) not in TIME_NOUNS]
    return rest[0] if rest else None


def host_of_word(doc: Doc, sent: Sent, tok: Any, occupations: list[Fact]) -> Entity | None:
    """The person a post word or pronoun subject stands for, or None."""
    lem = lemma(tok)
    if lem in PRONOUNS:
        return _person_of_previous_sentence(doc, sent.start)
    if lem not in HOST_WORDS:
        return None
    new = any(lemma(c) in ("новый", "новая") for c in sent.children(tok))
    best: tuple[tuple[int, int], str] | None = None
    for f in occupations:
        position = str(f.args.get("position") or "").lower().replace("ё", "е")
        words = position.split()
        if not words or not f.evidence or f.evidence[0][0] >= tok.start:
            continue
        head = words[0]
        same = lem in words[:2] or (lem in HEAD_WORDS and head in HEAD_WORDS)
        # "новая глава банка": whoever was just appointed to head something
        same = same or (
            new
            and lem in ("глава", "руководитель")
            and f.args.get("phase") == "start"
            and head in TOP_POSTS
        )
        if not same:
            continue
        rank = (1 if new and f.args.get("phase") == "start" else 0, f.evidence[0][0])
        if best is None or rank > best[0]:
            best = (rank, f.args["person"])
    return doc.entity(best[1]) if best else None


def person_named_before(doc: Doc, before: int) -> Entity | None:
    """What "он" at `before` refers to: the person named last before it in its own
    sentence, else the first person of the nearest earlier sentence naming one."""
    own = doc.sentence_of(before)[0]
    here = [
        m
        for m in doc.mentions
        if own <= m.start and m.end <= before and _is_person(doc, m.entity_id)
    ]
    if here:
        return doc.entity(max(here, key=lambda m: m.start).entity_id)
    return _person_of_previous_sentence(doc, own)


def _person_of_previous_sentence(doc: Doc, before: int) -> Entity | None:
    persons = [m for m in doc.mentions if m.end <= before and _is_person(doc, m.entity_id)]
    if not persons:
        return None
    start = doc.sentence_of(max(m.start for m in persons))[0]
    first = min((m for m in persons if m.start >= start), key=lambda m: m.start)
    return doc.entity(first.entity_id)


def _is_person(doc: Doc, entity_id: str) -> bool:
    ent = doc.entity(entity_id)
    return ent is not None and ent.type == "person"


def persons_before(sent: Sent, trigger: Any) -> list[Entity]:
    """The person named last, at most four words before the verb, not inside a "с ..." phrase, with
    the person it is conjoined to ("Перед форумом X и Y провели встречу")."""
    near = [t.start for t in sent.tokens if t.start < trigger.start][-4:]
    for start, _stop, ent, _kind in sorted(sent.mentions, key=lambda m: -m[0]):
        if start >= trigger.start or ent.type != "person":
            continue
        if not near or _stop < near[0]:
            return []  # only a name just before the verb: "… Фуркат Рахимов провёл"
        tok = next((t for t in sent.tokens if t.start == start), None)
        if tok is None:
            continue
        chain = [tok, *sent.ancestors(tok, limit=2)]
        if any(lemma(g) in ("с", "со") for c in chain for g in sent.children(c) if g.rel == "case"):
            continue
        head = sent.head(tok)
        other = sent.entity_at(head, ("person",)) if tok.rel == "conj" and head else None
        return [other, ent] if other is not None and other is not ent else [ent]
    return []


def led_by(sent: Sent, tok: Any) -> list[Entity]:
    """ "делегацию компании X во главе с вице-президентом Y": Y, the person who leads
    the group word `tok` (the parser hangs the "с" phrase anywhere)."""
    toks = sent.tokens
    i = next((k for k, t in enumerate(toks) if t is tok), None)
    if i is None:
        return []
    for k in range(i + 1, min(len(toks) - 2, i + 14)):
        if toks[k].text in (".", ";") or lemma(toks[k]) == "который":
            return []
        words = [lemma(t) for t in toks[k : k + 3]]
        if words[0] in ("во", "в") and words[1] == "глава" and words[2] in ("с", "со"):
            stop = toks[min(len(toks) - 1, k + 12)].stop
            found = sent.mentions_between(toks[k + 2].stop, stop, ("person",))
            return [found[0][2]] if found else []
    return []
