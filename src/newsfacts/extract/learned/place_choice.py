"""Choosing a post's place or organisation with the rules and the place classifier.

`occupation_places.place_of` gives the rules' answer; `occupation_places.json`
(`scripts/train_learned.py`, NEREL train) scores every ORG/LOC mention of the
sentence with that answer among its features. The classifier adds a place where the
rules have none, replaces the article's country only above the `doc` cut, and
replaces the rules' choice only when it is confident in another mention and doubts
the rules' one; the cut-offs (`thresholds`: add, doc, swap, keep) were chosen on
NEREL dev and the FactRuEval tune books.
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import TYPE_CHECKING

from newsfacts.extract.grammars.tokens import Sent
from newsfacts.extract.learned import linear
from newsfacts.extract.learned.places import place_candidates
from newsfacts.extract.learned.relfeats import sent_info
from newsfacts.model import Entity

if TYPE_CHECKING:
    from newsfacts.extract.occupation_posts import PostChunk

MODEL_NAME = "occupation_places"


@cache
def place_model() -> linear.LinearModel | None:
    """The shipped place classifier; None (rules only, one warning) when unusable."""
    try:
        return linear.packaged(MODEL_NAME)
    except linear.ModelError as exc:
        warnings.warn(f"occupation: learned places off: {exc}", stacklevel=2)
        return None


def choose_place(
    sent: Sent,
    chunk: PostChunk,
    rule_where: Entity | None,
    doc_level: bool,
    model: linear.LinearModel | None = None,
) -> tuple[Entity | None, bool, float | None]:
    """(place, only the article's country?, the classifier's probability or None)."""
    model = model if model is not None else place_model()
    if model is None:
        return rule_where, doc_level, None
    cands = place_candidates(sent_info(sent), chunk, rule_where, doc_level)
    if not cands:
        return rule_where, doc_level, None
    scored = [(model.probability(c.features), c) for c in cands]
    p_best, best = max(scored, key=lambda s: (s[0], -s[1].mention[0]))
    ent = best.mention[2]
    add = model.thresholds.get("add", model.threshold)
    if rule_where is None and p_best >= add:
        return ent, False, p_best
    # the article's country for a national post ("министр") is most often right: a
    # mention of the sentence replaces it only above the `doc` cut
    if doc_level and p_best >= model.thresholds.get("doc", 1.0):
        return ent, False, p_best
    if rule_where is None or doc_level:
        return rule_where, doc_level, None
    if ent.id == rule_where.id:
        return rule_where, doc_level, p_best
    p_rule = max((p for p, c in scored if c.mention[2].id == rule_where.id), default=None)
    swap = model.thresholds.get("swap", 1.0)
    keep = model.thresholds.get("keep", 0.0)
    if p_best >= swap and p_rule is not None and p_rule < keep:
        return ent, False, p_best
    return rule_where, doc_level, p_rule
