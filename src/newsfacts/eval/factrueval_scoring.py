"""FactRuEval-2016 scorer: tracks 1 (mentions), 2 (entities) and 3 (facts).

Why a module of its own: the comparison rules are the one part that must agree with
the official comparator, so they sit apart from reading the corpus
(`factrueval_gold`) and from turning our output into responses (`factrueval_responses`).

The scorer re-implements the published rules of the official comparator
(github.com/dialogue-evaluation/factRuEval-2016, `scripts/`), written here from its
description, not copied:

- Track 1 (mentions). Mentions are compared as sets of gold tokens; punctuation glued
  to a neighbour is ignored. A pair's quality is weighted: only the name-bearing spans
  of a gold mention (`name`, `surname`, `loc_name`, `org_name`, ...) earn credit;
  missing descriptor tokens cost nothing, extra response tokens cost one each. Gold
  mentions with no name span, organisations nested inside a larger organisation, and
  one of two organisation/LocOrg mentions on the same tokens are ignored (a response
  matched to an ignored gold mention is neither rewarded nor punished). Matching is
  one-to-one per type, perfect matches first, then the assignment that maximises the
  summed pair quality (the official script searches exhaustively for the best F1;
  the two agree whenever mentions do not compete, which is nearly always).
- Track 2 (entities). Gold entities come from `.coref` with their attributes; names
  also accept "descriptor + name" variants. Attribute values match when their edit
  distance is at most 2 after lower-casing and unifying quotes and ё. Pair quality is
  matched gold attributes / (matched + missed + extra). Entities named only inside
  another mention or only by a geographic adjective are not required. `lastname` in
  the gold and
  `surname` in responses are the same attribute; numbered names (`firstname1`) merge
  with their base name.
- Track 3 (facts). A response fact may pair with a gold fact of the same type sharing
  at least one argument value; several response facts may share one gold fact. A
  cluster scores (A + A·I) / 2, A the argument overlap, I the share of gold argument
  pairs found within one response fact. Recall sums cluster quality over gold facts,
  precision over response facts. Entity-valued gold arguments accept every name form
  of the entity (surname/first name combinations, `name` attributes, mention texts,
  and for occupation `where` the names of entities linked by `isPartOf`). The
  official list of normalized job titles is not reproduced. Modality and difficulty
  marks are dropped; all gold facts are scored (the "easy" setting).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsfacts.eval.factrueval_files import RespEntity, RespFact
from newsfacts.eval.factrueval_gold import (
    FACT_TAGS,
    TRACK1_TAGS,
    TRACK2_TAGS,
    GoldArg,
    GoldDoc,
    GoldEntity,
    GoldFact,
    GoldMention,
    _is_letter,
    similar,
)
from newsfacts.eval.metrics import Score

# Which span types carry the name of a mention of each type (official weight table).
NAME_SPANS = {
    "per": {"name", "surname", "patronymic", "nickname", "none"},
    "loc": {"loc_name", "org_name", "none"},
    "org": {"loc_name", "org_name", "none"},
    "locorg": {"loc_name", "org_name", "none"},
}
# Mentions of which types an org/locorg mention may be nested in (and then ignored).
PARENT_TAGS = {"org": {"org", "locorg"}, "locorg": {"org", "locorg"}}
MAX_FACT_SEARCH = 20000  # response-to-gold assignments tried exhaustively per type


# ---------------------------------------------------------------------------- track 1


@dataclass(eq=False)
class _T1Gold:
    tag: str
    tokens: frozenset[str]
    marks: dict[str, float]
    punct: frozenset[str]
    parents: bool = False
    siblings: list[_T1Gold] = field(default_factory=list)

    @property
    def unnamed(self) -> bool:
        return not any(self.marks.values())


def _t1_gold(doc: GoldDoc, locorg: bool) -> list[_T1Gold]:
    punct = frozenset(t.id for t in doc.tokens if len(t.text) == 1 and not _is_letter(t.text))
    out = []
    for m in doc.mentions:
        if m.tag not in TRACK1_TAGS:
            continue
        tag = m.tag if locorg or m.tag != "locorg" else "loc"
        marks = dict.fromkeys(m.tokens, 0.0)
        for s in m.spans:
            if s.tag in NAME_SPANS[tag]:
                for t in s.tokens:
                    marks[t] = 1.0
        out.append(_T1Gold(tag, m.tokens, marks, punct & m.tokens))
    orgs = [g for g in out if g.tag in PARENT_TAGS]
    for g in orgs:
        for other in orgs:
            if other is g or other.tag not in PARENT_TAGS[g.tag]:
                continue
            if g.tokens < other.tokens:
                g.parents = True
            elif g.tokens == other.tokens:
                g.siblings.append(other)
    return out


def _t1_pred(doc: GoldDoc, mentions: Iterable[tuple[str, int, int]], locorg: bool):
    out = []
    for tag, start, end in mentions:
        tag = tag if locorg or tag != "locorg" else "loc"
        toks = frozenset(
            t.id for t in doc.tokens if t.start >= start and t.end <= end and not t.glued_punct
        )
        out.append((tag, toks))
    return out


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _t1_quality(g: _T1Gold, p: frozenset[str]) -> float:
    tp = sum(g.marks[t] for t in g.tokens & p)
    fn = sum(g.marks[t] for t in g.tokens - p if t not in g.punct)
    fp = len(p - g.tokens)
    total = tp + fn + fp
    return tp / total if total else _jaccard(g.tokens, p)


def best_matching(priority: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """One-to-one pairs: perfect (1.0) pairs first, then max total priority among the rest."""
    from scipy.optimize import linear_sum_assignment

    pairs: list[tuple[int, int]] = []
    used_g: set[int] = set()
    used_p: set[int] = set()
    for i, row in enumerate(priority):
        for j, v in enumerate(row):
            if v >= 1.0 and i not in used_g and j not in used_p:
                pairs.append((i, j))
                used_g.add(i)
                used_p.add(j)
    rest_g = [i for i in range(len(priority)) if i not in used_g]
    rest_p = [j for j in range(len(priority[0]) if priority else 0) if j not in used_p]
    if rest_g and rest_p:
        cost = [[-priority[i][j] for j in rest_p] for i in rest_g]
        for a, b in zip(*linear_sum_assignment(cost), strict=True):
            i, j = rest_g[a], rest_p[b]
            if priority[i][j] > 0:
                pairs.append((i, j))
    return pairs


def score_track1(
    doc: GoldDoc, mentions: Iterable[tuple[str, int, int]], *, locorg: bool = True
) -> dict[str, Score]:
    """Per-type and overall scores of one document's response mentions."""
    gold = _t1_gold(doc, locorg)
    pred = _t1_pred(doc, mentions, locorg)
    tags = TRACK1_TAGS if locorg else ("per", "loc", "org")
    matched: dict[int, int] = {}  # id(gold) -> pred index
    pairs: list[tuple[_T1Gold, int]] = []
    for tag in tags:
        gi = [g for g in gold if g.tag == tag]
        pi = [j for j, (t, _) in enumerate(pred) if t == tag]
        prio = [[_jaccard(g.tokens, pred[j][1]) for j in pi] for g in gi]
        for a, b in best_matching(prio):
            pairs.append((gi[a], pi[b]))
            matched[id(gi[a])] = pi[b]

    decided: set[int] = set()

    def ignored(g: _T1Gold) -> bool:
        if g.unnamed or g.parents:
            return True
        for sib in g.siblings:
            both_or_neither = (id(g) in matched) == (id(sib) in matched)
            if not both_or_neither:
                return id(g) not in matched
            if sib.tag == g.tag:  # keep the first of two identical mentions
                if id(sib) in decided:
                    return True
                decided.add(id(g))
                return False
            return g.tag != "org"
        return False

    ign = {id(g): ignored(g) for g in gold}
    out = {tag: Score() for tag in tags}
    matched_pred = set()
    for g, j in pairs:
        matched_pred.add(j)
        if ign[id(g)]:
            continue
        q = _t1_quality(g, pred[j][1])
        out[g.tag] += Score.simple(q, 1, 1)
    for g in gold:
        if id(g) not in matched and not ign[id(g)]:
            out[g.tag] += Score.simple(0, 1, 0)
    for j, (tag, _) in enumerate(pred):
        if j not in matched_pred:
            out[tag] += Score.simple(0, 0, 1)
    out["overall"] = sum(out.values(), Score())
    return out


# ---------------------------------------------------------------------------- track 2


def _attr_quality(gold: dict[str, set[str]], resp: list[tuple[str, str]]) -> float:
    matched_g: set[str] = set()
    extra = 0
    for name, value in resp:
        hit = [n for n, vals in gold.items() if n == name and any(similar(v, value) for v in vals)]
        if hit:
            matched_g.update(hit)
        else:
            extra += 1
    n = len(matched_g)
    d = n + (len(gold) - n) + extra
    return n / d if d else 0.0


# Track 2: a mention of which type may sit inside a mention of which types.
MENTION_PARENTS = {
    "per": {"loc", "org", "locorg"},
    "loc": {"loc", "org", "locorg"},
    "org": {"org", "locorg"},
    "locorg": {"org", "locorg"},
}


def _is_nested(m: GoldMention, mentions: list[GoldMention]) -> bool:
    """Inside a larger mention ("Москвы" in "мэрии Москвы"); an organisation also
    takes precedence over a person or place on exactly the same text."""
    for o in mentions:
        if o is m or o.tag not in MENTION_PARENTS.get(m.tag, ()):
            continue
        if (o.start, o.end) == (m.start, m.end):
            if m.tag in ("per", "loc") and o.tag == "org":
                return True
        elif o.start <= m.start and m.end <= o.end:
            return True
    return False


def _gold_entity_ignored(e: GoldEntity, doc: GoldDoc) -> bool:
    """Entities named only inside other names, or only by an adjective ("российский"),
    are not required in track 2."""
    if not e.mentions:
        return False
    if all(_is_nested(m, doc.mentions) for m in e.mentions):
        return True
    return all(m.is_geo_adj() for m in e.mentions)


def score_track2(doc: GoldDoc, resp: list[RespEntity]) -> dict[str, Score]:
    assert doc.entities is not None
    gold = [e for e in doc.entities if e.tag in TRACK2_TAGS and e.attrs]
    out = {tag: Score() for tag in TRACK2_TAGS}
    for tag in TRACK2_TAGS:
        gi = [e for e in gold if e.tag == tag]
        pi = [r for r in resp if (r.tag if r.tag != "locorg" else "loc") == tag]
        prio = [[_attr_quality(g.attrs, r.attrs) for r in pi] for g in gi]
        pairs = best_matching(prio)
        mg = {a for a, _ in pairs}
        for a, b in pairs:
            if not _gold_entity_ignored(gi[a], doc):
                out[tag] += Score.simple(prio[a][b], 1, 1)
        for a, g in enumerate(gi):
            if a not in mg and not _gold_entity_ignored(g, doc):
                out[tag] += Score.simple(0, 1, 0)
        out[tag] += Score.simple(0, 0, len(pi) - len(pairs))
    out["overall"] = sum(out.values(), Score())
    return out


# ---------------------------------------------------------------------------- track 3


def _arg_matches(g: GoldArg, name: str, value: str) -> bool:
    return g.name == name and any(similar(v, value) for v in g.values)


def _fact_can_match(g: GoldFact, r: RespFact) -> bool:
    return g.tag == r.tag and any(_arg_matches(a, n, v) for a in g.args for n, v in r.args)


def cluster_quality(g: GoldFact, resp: list[RespFact]) -> float:
    """(A + A·I) / 2 for one gold fact and the response facts paired with it."""
    if not resp:
        return 0.0
    by_gold: dict[int, set[int]] = {}
    unmatched_resp = 0
    for k, r in enumerate(resp):
        for name, value in r.args:
            i = next((i for i, a in enumerate(g.args) if _arg_matches(a, name, value)), None)
            if i is None:
                unmatched_resp += 1
            else:
                by_gold.setdefault(i, set()).add(k)
    n = len(by_gold)
    denom = n + (len(g.args) - n) + unmatched_resp
    arg_q = n / denom if denom else 0.0
    if len(resp) == 1:
        id_q = 1.0
    else:
        keys = sorted(by_gold)
        pairs = list(itertools.combinations(keys, 2))
        together = sum(1 for x, y in pairs if by_gold[x] & by_gold[y])
        id_q = together / len(pairs) if pairs else 1.0
    return (arg_q + id_q * arg_q) / 2


def _facts_score(gold: list[GoldFact], resp: list[RespFact], choice: Sequence[int]) -> Score:
    clusters: dict[int, list[RespFact]] = {}
    for k, c in enumerate(choice):
        if c >= 0:
            clusters.setdefault(c, []).append(resp[k])
    tp_gold = 0.0
    tp_pred = 0.0
    for c, members in clusters.items():
        q = cluster_quality(gold[c], members)
        tp_gold += q
        tp_pred += q * len(members)
    return Score(tp_gold, tp_pred, len(gold), len(resp))


def score_facts(gold: list[GoldFact], resp: list[RespFact]) -> Score:
    """Best pairing of one document's response facts (of one type) with the gold."""
    options = [[i for i, g in enumerate(gold) if _fact_can_match(g, r)] + [-1] for r in resp]
    n = 1
    for o in options:
        n *= len(o)
    if n <= MAX_FACT_SEARCH:
        best = max(
            (_facts_score(gold, resp, c) for c in itertools.product(*options)),
            key=lambda s: s.f1,
            default=Score(0, 0, len(gold), len(resp)),
        )
        return best
    # Too many combinations: each response fact joins the gold fact it fits best alone.
    choice = []
    for r, opts in zip(resp, options, strict=True):
        scored = [(cluster_quality(gold[i], [r]), i) for i in opts if i >= 0]
        choice.append(max(scored)[1] if scored else -1)
    return _facts_score(gold, resp, choice)


def score_track3(doc: GoldDoc, resp: list[RespFact]) -> dict[str, Score]:
    assert doc.facts is not None
    out = {}
    for tag in FACT_TAGS:
        out[tag] = score_facts(
            [f for f in doc.facts if f.tag == tag], [r for r in resp if r.tag == tag]
        )
    out["overall"] = sum(out.values(), Score())
    return out
