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
    WEAK_HEADS,
)
from newsfacts.extract.grammars.tokens import (
    Sent,
    sentences,
    time_args,
)
from newsfacts.extract.learned import linear
from newsfacts.extract.learned.linear import LinearModel
from newsfacts.extract.learned.pairs import Candidate, sentence_candidates
from newsfacts.extract.learned.place_choice import choose_place
from newsfacts.extract.learned.post_chunks import tagged_chunks
from newsfacts.extract.merge import add_once
from newsfacts.extract.occupation_holders import (
    _agrees,
    _mention_starting,
    appointed_object,
    co_holders,
    holder_coref,
    holder_left,
    holder_predicate,
    holder_right,
    is_partner,
    is_possessor,
)
from newsfacts.extract.occupation_leads import lead_verb_facts
from newsfacts.extract.occupation_phase import find_phase
from newsfacts.extract.occupation_places import main_country as article_country
from newsfacts.extract.occupation_places import place_of
from newsfacts.extract.occupation_posts import (
    PostChunk,
    find_chunks,
    head_lemma,
    normalize_position,
    shared_post,
)
from newsfacts.extract.succession import succession_facts
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc, TimeExpr, component

MODEL_NAME = "occupation_pairs"  # data/models/occupation_pairs.json
# The learned place classifier and post tagger (extract/learned/) raise NEREL dev
# WORKS_AS/WORKPLACE but did not help on the blind data (FactRuEval blind split
# unchanged, blind news b05/b06 one fact worse each; BENCHMARKS §11): off until they do.
USE_PLACES = False  # the place classifier revises the rules' places
USE_TAGGER = False  # lexicon posts plus the tagger's placed ones


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


@dataclass
class RuleOutput:
    """What the rules found, and what the learned pass must not find again."""

    facts: dict[tuple, Fact] = field(default_factory=dict)
    # (person entity id, first character of the post's head) of every pair the rules made
    pairs: set[tuple[str, int]] = field(default_factory=set)
    chunks: list[tuple[Sent, list[PostChunk]]] = field(default_factory=list)
    main_country: Entity | None = None
    # (sentence start, head index) of the chunks only the learned tagger found
    tagged: set[tuple[int, int]] = field(default_factory=set)


def occupation_args(
    doc: Doc,
    sent: Sent,
    chunk: PostChunk,
    person: Entity,
    where: Entity | None,
    doc_level: bool,
    holder_start: int | None = None,
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
    holder_tok = None
    if holder_start is not None:
        holder_tok = next((t for t in sent.tokens if t.start == holder_start), None)
    head = sent.tokens[chunk.head]
    phase, trigger = find_phase(sent, head, first_tok, chunk.former, holder_tok)
    args["phase"] = phase
    if trigger is not None and phase != "current":
        when = nearest_date(doc, sent, trigger)
        if when is not None:
            args.update(time_args(when))
    return args


def rule_facts(doc: Doc, *, places: bool = False, tagger: bool = False) -> RuleOutput:
    """The rules' facts; `places` lets the place classifier revise their places,
    `tagger` adds the learned tagger's posts to the lexicon's."""
    out = RuleOutput(main_country=article_country(doc))
    facts = out.facts
    main_country = out.main_country
    for sent in sentences(doc):
        chunks = find_chunks(sent)
        if tagger:
            extra = tagged_chunks(sent, chunks)
            out.tagged.update((sent.start, c.head) for c in extra)
            chunks = sorted(chunks + extra, key=lambda c: c.first)
        out.chunks.append((sent, chunks))
        starts = {c.first: c for c in chunks}
        for chunk in chunks:
            nxt = sent.tokens[chunk.last + 1] if chunk.last + 1 < len(sent.tokens) else None
            boss = (
                nxt is not None
                and _mention_starting(sent, nxt, ("person",)) is not None
                and not _agrees(sent.tokens[chunk.head], nxt)
                and not appointed_object(sent, chunk)
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
                if holder is not None and is_possessor(sent, holder[0]):
                    holder = None
            if holder is None:
                how, holder = "coref", holder_coref(sent, chunk)
            if holder is None:
                continue
            holders = [holder]
            if how == "predicate" and shared_post(sent, sent.tokens[chunk.head]):
                holders += co_holders(sent, holder)  # "назначены X и Y"
            for holder in holders:
                out.pairs.add((holder[2].id, sent.tokens[chunk.head].start))
                where, doc_level = place_of(doc, sent, chunk, stop, starts, main_country)
                if places:
                    where, doc_level, _p = choose_place(sent, chunk, where, doc_level)
                if (sent.start, chunk.head) in out.tagged and (where is None or doc_level):
                    continue  # a post the lexicon lacks counts only where the text places it
                post = head_lemma(sent.tokens[chunk.head])
                if where is None and post in WEAK_HEADS:
                    continue
                args = occupation_args(doc, sent, chunk, holder[2], where, doc_level, holder[0])
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
                kept = add_once(facts, key, fact, fill=("time",))
                if kept is not fact and kept.args.get("phase") == "current" != args["phase"]:
                    # a change of post says more than a repeat of the title
                    for name in ("phase", "time", "time_kind", "time_resolved"):
                        kept.args.pop(name, None)
                        if name in args:
                            kept.args[name] = args[name]
    for fact in lead_verb_facts(doc):
        key = (fact.args["person"], fact.args["position"], fact.args.get("where"))
        facts.setdefault(key, fact)
    return out


def learned_facts(
    doc: Doc, rules: RuleOutput, model: LinearModel, *, places: bool = False
) -> list[Fact]:
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
            if head_start in taken or is_possessor(sent, cand.person[0]):
                continue
            if is_partner(sent, sent.tokens[cand.chunk.head], cand.person[0]):
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
            if places:
                where, doc_level, _p = choose_place(sent, chunk, where, doc_level)
            if (sent.start, chunk.head) in rules.tagged and (where is None or doc_level):
                continue
            args = occupation_args(doc, sent, chunk, person, where, doc_level, cand.person[0])
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
    places = learned and USE_PLACES
    rules = rule_facts(doc, places=places, tagger=learned and USE_TAGGER)
    facts = rules.facts
    model = occupation_model() if learned else None
    if model is not None:
        for fact in learned_facts(doc, rules, model, places=places):
            key = (fact.args["person"], fact.args["position"], fact.args.get("where"))
            facts.setdefault(key, fact)
    for fact in succession_facts(doc, list(facts.values())):
        key = (fact.args["person"], fact.args["position"], fact.args.get("where"))
        kept = facts.setdefault(key, fact)
        if kept is not fact and kept.args.get("phase") == "current":
            kept.args["phase"] = fact.args["phase"]
    # a post the text also states with its place says more than the bare post
    placed = {(f.args["person"], f.args["position"]) for f in facts.values() if "where" in f.args}
    kept = [
        f
        for f in facts.values()
        if "where" in f.args or (f.args["person"], f.args["position"]) not in placed
    ]
    return _one_acting_post(kept)


def _one_acting_post(facts: list[Fact]) -> list[Fact]:
    """One acting post per person: «исполняющим обязанности главы региона» written in
    the sentence and the one the predecessor's post gives (succession) are the same
    appointment; the placed, fuller one is kept."""
    best: dict[str, Fact] = {}
    for f in facts:
        if "исполняющий обязанности" in str(f.args.get("position", "")):
            rank = ("where" in f.args, len(f.args["position"]))
            other = best.get(f.args["person"])
            if other is None or rank > ("where" in other.args, len(other.args["position"])):
                best[f.args["person"]] = f
    return [
        f
        for f in facts
        if "исполняющий обязанности" not in str(f.args.get("position", ""))
        or best.get(f.args["person"]) is f
    ]


@component("occupation")
def occupation_layer(doc: Doc) -> None:
    for fact in extract_occupations(doc):
        doc.add_fact(fact)
