"""Scoring NEREL mentions and relations: exact spans and overlapping spans, one-to-one.

Why a module of its own: the matching rules (exact, or relaxed with a greedy
one-to-one pairing) are the part the figures in BENCHMARKS.md rest on; they sit apart
from reading the corpus and from mapping our output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from newsfacts.eval.metrics import (
    Score,
)
from newsfacts.eval.nerel_gold import (
    LOC_TYPES,
    Mention,
    Relation,
    Span,
)

# ---------------------------------------------------------------------------- matching


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_count(gold: Sequence[Any], pred: Sequence[Any], same: Any) -> int:
    """Greedy one-to-one pairing under `same`; exact matches are unique, so greedy
    is exact for them and close to optimal for overlaps."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and same(g, p):
                used.add(j)
                hits += 1
                break
    return hits


def _score_by_type(
    gold: Iterable[Any], pred: Iterable[Any], types: Iterable[str], overlaps: Any
) -> dict[str, Score]:
    """Per type: exact matches (`overlaps` None) or one-to-one pairs under `overlaps`."""
    gold_l = list(set(gold))
    pred_l = list(set(pred))
    out = {}
    for t in types:
        g = [x for x in gold_l if x.type == t]
        p = [x for x in pred_l if x.type == t]
        hits = len(set(g) & set(p)) if overlaps is None else match_count(g, p, overlaps)
        out[t] = Score.simple(hits, len(g), len(p))
    return out


def score_mentions(
    gold: Iterable[Mention], pred: Iterable[Mention], types: Iterable[str], *, relaxed: bool
) -> dict[str, Score]:
    """Mentions of each type: the same span, or (relaxed) overlapping spans."""
    same = (lambda a, b: _overlap((a.start, a.end), (b.start, b.end))) if relaxed else None
    return _score_by_type(gold, pred, types, same)


def score_relations(
    gold: Iterable[Relation], pred: Iterable[Relation], types: Iterable[str], *, relaxed: bool
) -> dict[str, Score]:
    """Relations of each type: the same argument spans, or (relaxed) overlapping ones."""
    same = (lambda a, b: _overlap(a.arg1, b.arg1) and _overlap(a.arg2, b.arg2)) if relaxed else None
    return _score_by_type(gold, pred, types, same)


def with_loc_group(mentions: Iterable[Mention]) -> list[Mention]:
    """Every location-like mention once more as LOC, for the comparison with natasha."""
    out = list(mentions)
    out += [Mention("LOC", m.start, m.end) for m in out if m.type in LOC_TYPES]
    return out
