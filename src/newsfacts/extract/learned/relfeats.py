"""Features of any two token spans of one sentence, shared by the pair classifiers.

The post–place and participant–event classifiers ask the same questions as the
person–post one (`pairs.py`): how far apart, what lies between, how the syntax
links the two heads; this module answers them for arbitrary spans so each classifier
adds only what is particular to its arguments (and the rules' own decision).
"""

from __future__ import annotations

import math

from newsfacts.extract.grammars.tokens import Sent, is_finite_verb, lemma
from newsfacts.extract.learned.pairs import MAX_PATH, SentInfo, _bucket, _head_of, dep_path

TokSpan = tuple[int, int]  # token indexes [first, last]


def sent_info(sent: Sent) -> SentInfo:
    """A `pairs.SentInfo` used only for its dependency-path cache."""
    return SentInfo(sent, [], [], [], set(), {})


def token_span(sent: Sent, start: int, stop: int) -> TokSpan | None:
    """Token indexes covering the characters [start, stop)."""
    idx = [i for i, t in enumerate(sent.tokens) if t.start < stop and start < t.stop]
    return (idx[0], idx[-1]) if idx else None


def head_of(sent: Sent, span: TokSpan) -> int:
    return _head_of(sent, span[0], span[1])


def span_pair_features(
    info: SentInfo, a: TokSpan, b: TokSpan, a_head: int, b_head: int, *, tag: str = ""
) -> dict[str, float]:
    """Distance, order, what lies between and the dependency path from a to b."""
    sent = info.sent
    toks = sent.tokens
    a_first = a[1] < b[0]
    lo_end, hi_start = (a[1], b[0]) if a_first else (b[1], a[0])
    between = toks[lo_end + 1 : hi_start] if hi_start > lo_end else []
    gap = len(between)
    order = "a_first" if a_first else "b_first"
    f: dict[str, float] = {
        f"{tag}{order}": 1.0,
        f"{tag}gap={_bucket(gap, (0, 1, 2, 3, 5, 8, 12, 20))}": 1.0,
        f"{tag}{order}&gap={_bucket(gap, (0, 1, 2, 4, 8))}": 1.0,
        f"{tag}gap_log": math.log1p(gap) / 3.0,
    }
    counts = {
        "commas": sum(1 for t in between if t.text == ","),
        "verbs": sum(1 for t in between if is_finite_verb(t)),
        "dashes": sum(1 for t in between if t.text in ("—", "–", "-")),
        "brackets": sum(1 for t in between if t.text in ("(", ")")),
        "conj": sum(1 for t in between if lemma(t) in ("и", "или", "а", "но")),
        "which": sum(1 for t in between if lemma(t) in ("который", "что", "где", "когда")),
        "ents": len(
            {
                id(m[2])
                for m in sent.mentions
                if between and m[0] >= between[0].start and m[1] <= between[-1].stop
            }
        ),
    }
    for name, n in counts.items():
        f[f"{tag}btw_{name}={_bucket(n, (0, 1, 2))}"] = 1.0
    if gap <= 6:
        for t in between:
            f[f"{tag}btw_l={lemma(t)}"] = 1.0
    for t in between:
        if is_finite_verb(t):
            f[f"{tag}btw_verb={lemma(t)}"] = 1.0
    ta, tb = toks[a_head], toks[b_head]
    ca = (ta.feats or {}).get("Case", "-")
    cb = (tb.feats or {}).get("Case", "-")
    f[f"{tag}cases={ca}_{cb}"] = 1.0
    f[f"{tag}b_case={cb}&{order}"] = 1.0
    f[f"{tag}rels={ta.rel}_{tb.rel}"] = 1.0
    f[f"{tag}b_rel={tb.rel}"] = 1.0
    if ta.head_id == tb.head_id:
        f[f"{tag}same_governor"] = 1.0
    path, lca = dep_path(info, a_head, b_head)
    if lca is None:
        f[f"{tag}path=none"] = 1.0
    else:
        f[f"{tag}path_len={_bucket(len(path), (1, 2, 3, 4, 6))}"] = 1.0
        if len(path) <= MAX_PATH:
            f[f"{tag}path={' '.join(path)}"] = 1.0
        for label in set(path):
            f[f"{tag}path_has={label}"] = 1.0
        if lca == a_head:
            f[f"{tag}b_under_a"] = 1.0
        elif lca == b_head:
            f[f"{tag}a_under_b"] = 1.0
        else:
            f[f"{tag}lca_pos={toks[lca].pos}"] = 1.0
            if toks[lca].pos in ("VERB", "AUX"):
                f[f"{tag}lca_verb={lemma(toks[lca])}"] = 1.0
    return f
