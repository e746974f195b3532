"""Candidate (person, post) pairs in one sentence and the features a linear model reads.

The occupation rules pair a post with a name only in a few fixed shapes (adjacent
"посол X", apposition, "X стал президентом", coreference). A sentence often states the
relation in some other shape ("X, который в 2005 году был назначен послом", "по словам
X, занимающего пост министра"), and enumerating those by hand does not end. So every
named person and every post chunk of the same sentence form a candidate, described by
plain string → float features (surface distance and what lies between, the dependency
path between the two heads, the post word) that `linear.LinearModel` scores.

Features are strings so the model file stays readable: a reviewer can see why a pair
was accepted by looking up the weights of its features.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from newsfacts.extract.grammars.tokens import Sent, is_finite_verb, lemma, sentences
from newsfacts.model import Entity
from newsfacts.pipeline import Doc

if TYPE_CHECKING:
    from newsfacts.extract.occupation_posts import PostChunk

MentionT = tuple[int, int, Entity, str]
MAX_BETWEEN_LEMMAS = 8  # lemmas between the two are features only for short gaps
MAX_PATH = 6  # dependency paths longer than this are one "long" feature
ANCESTOR_LIMIT = 40


@dataclass
class Candidate:
    """One person mention and one post chunk of the same sentence."""

    sent: Sent
    person: MentionT
    chunk: PostChunk
    features: dict[str, float]

    @property
    def span(self) -> tuple[int, int]:
        """Characters from the first to the last of the two arguments."""
        first = self.sent.tokens[self.chunk.first]
        last = self.sent.tokens[self.chunk.last]
        return min(first.start, self.person[0]), max(last.stop, self.person[1])


@dataclass
class SentInfo:
    """Per-sentence lookups computed once for all its candidates."""

    sent: Sent
    chunks: list[PostChunk]
    persons: list[MentionT]
    person_tokens: list[tuple[int, int]]  # token index range [lo, hi] per person
    chunk_tokens: set[int]
    depth_chain: dict[int, list[int]]


def _token_range(sent: Sent, start: int, stop: int) -> tuple[int, int] | None:
    idx = [i for i, t in enumerate(sent.tokens) if t.start < stop and start < t.stop]
    return (idx[0], idx[-1]) if idx else None


def person_mentions(sent: Sent) -> list[MentionT]:
    """Named person mentions, one per span (coref can add the same span twice)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for m in sent.mentions:
        if m[2].type == "person" and m[3] == "name" and (m[0], m[1]) not in seen:
            seen.add((m[0], m[1]))
            out.append(m)
    return out


def sent_info(sent: Sent, chunks: list[PostChunk]) -> SentInfo:
    persons: list[MentionT] = []
    ranges: list[tuple[int, int]] = []
    for m in person_mentions(sent):
        r = _token_range(sent, m[0], m[1])
        if r is not None:
            persons.append(m)
            ranges.append(r)
    covered = {k for c in chunks for k in range(c.first, c.last + 1)}
    return SentInfo(sent, chunks, persons, ranges, covered, {})


def pairs(info: SentInfo) -> Iterator[tuple[int, int]]:
    """(person index, chunk index) of every pair whose spans do not overlap."""
    for pi, (lo, hi) in enumerate(info.person_tokens):
        for ci, c in enumerate(info.chunks):
            if hi < c.first or c.last < lo:
                yield pi, ci


def _head_of(sent: Sent, lo: int, hi: int) -> int:
    """The token of [lo, hi] whose syntactic head lies outside the range."""
    for k in range(lo, hi + 1):
        h = sent.index.get(sent.tokens[k].head_id)
        if h is None or not lo <= h <= hi:
            return k
    return lo


def _chain(info: SentInfo, k: int) -> list[int]:
    """k and its ancestors; natasha trees can hold head cycles, so stop on a repeat."""
    got = info.depth_chain.get(k)
    if got is not None:
        return got
    sent = info.sent
    out = [k]
    seen = {k}
    cur = k
    while len(out) < ANCESTOR_LIMIT:
        h = sent.index.get(sent.tokens[cur].head_id)
        if h is None or h in seen:
            break
        out.append(h)
        seen.add(h)
        cur = h
    info.depth_chain[k] = out
    return out


def dep_path(info: SentInfo, a: int, b: int) -> tuple[list[str], int | None]:
    """Relation labels from a up to the lowest common ancestor, then down to b."""
    ca, cb = _chain(info, a), _chain(info, b)
    pos_b = {k: i for i, k in enumerate(cb)}
    for i, k in enumerate(ca):
        j = pos_b.get(k)
        if j is not None:
            toks = info.sent.tokens
            up = [toks[x].rel + "^" for x in ca[:i]]
            down = [toks[x].rel + "v" for x in reversed(cb[:j])]
            return up + down, k
    return [], None


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    for e in edges:
        if n <= e:
            return str(e)
    return f">{edges[-1]}"


def pair_features(info: SentInfo, pi: int, ci: int) -> dict[str, float]:
    sent = info.sent
    toks = sent.tokens
    plo, phi = info.person_tokens[pi]
    chunk = info.chunks[ci]
    post_first = chunk.last < plo
    a_end, b_start = (chunk.last, plo) if post_first else (phi, chunk.first)
    gap = max(0, b_start - a_end - 1)
    between = toks[a_end + 1 : b_start]
    order = "post_first" if post_first else "person_first"
    post = _post_word(toks[chunk.head])
    f: dict[str, float] = {
        order: 1.0,
        f"gap={_bucket(gap, (0, 1, 2, 3, 5, 8, 12, 20))}": 1.0,
        f"{order}&gap={_bucket(gap, (0, 1, 2, 4, 8))}": 1.0,
        "gap_log": math.log1p(gap) / 3.0,
        f"post={post}": 1.0,
        f"post={post}&{order}": 1.0,
    }
    if chunk.former:
        f["former"] = 1.0

    # what lies between the two
    persons_between = sum(1 for lo, hi in info.person_tokens if lo > a_end and hi < b_start)
    chunks_between = sum(1 for c in info.chunks if c.first > a_end and c.last < b_start)
    places_between = {
        id(m[2])
        for m in sent.mentions
        if m[2].type != "person" and m[0] >= toks[a_end].stop and m[1] <= toks[b_start].start
    }
    counts = {
        "persons": persons_between,
        "posts": chunks_between,
        "places": len(places_between),
        "commas": sum(1 for t in between if t.text == ","),
        "dashes": sum(1 for t in between if t.text in ("—", "–", "-")),
        "brackets": sum(1 for t in between if t.text in ("(", ")")),
        "quotes": sum(1 for t in between if t.text in ("«", "»", '"')),
        "verbs": sum(1 for t in between if is_finite_verb(t)),
        "conj": sum(1 for t in between if lemma(t) in ("и", "или", "а", "но")),
        "which": sum(1 for t in between if lemma(t) in ("который", "что", "где", "когда")),
    }
    for name, n in counts.items():
        f[f"btw_{name}={_bucket(n, (0, 1, 2))}"] = 1.0
    if counts["verbs"] == 0 and counts["commas"] == 0 and counts["persons"] == 0:
        f[f"clean_gap&{order}"] = 1.0
    if gap <= MAX_BETWEEN_LEMMAS:
        for t in between:
            f[f"btw_lemma={lemma(t)}"] = 1.0
        f[f"btw_seq={'_'.join(lemma(t) for t in between[:3])}&{order}"] = 1.0
    else:
        for t in between[:2]:
            f[f"btw_first={lemma(t)}"] = 1.0
        for t in between[-2:]:
            f[f"btw_last={lemma(t)}"] = 1.0
    for t in between:
        if is_finite_verb(t) or t.pos == "VERB":
            f[f"btw_verb={lemma(t)}"] = 1.0

    # neighbours outside the pair
    left = toks[min(plo, chunk.first) - 1] if min(plo, chunk.first) > 0 else None
    right = toks[max(phi, chunk.last) + 1] if max(phi, chunk.last) + 1 < len(toks) else None
    f[f"left={lemma(left) if left is not None else '<s>'}"] = 1.0
    f[f"right={lemma(right) if right is not None else '</s>'}"] = 1.0

    # nearest on each side: the rules' intuition, as a soft feature
    nearer_person = any(
        (lo > chunk.last and lo < plo) if post_first else (hi < chunk.first and hi > phi)
        for lo, hi in info.person_tokens
    )
    nearer_post = any(
        (c.last < plo and c.last > chunk.last)
        if post_first
        else (c.first > phi and c.first < chunk.first)
        for c in info.chunks
    )
    f[f"nearest_person={not nearer_person}"] = 1.0
    f[f"nearest_post={not nearer_post}"] = 1.0
    f[f"nearest_both={not nearer_person and not nearer_post}&{order}"] = 1.0

    # morphology of the two heads
    ph = _head_of(sent, plo, phi)
    ch = chunk.head
    pcase = (toks[ph].feats or {}).get("Case", "none")
    ccase = (toks[ch].feats or {}).get("Case", "none")
    f[f"cases={pcase}_{ccase}&{order}"] = 1.0
    f[f"post_case={ccase}"] = 1.0
    f[f"person_case={pcase}"] = 1.0
    if pcase == ccase:
        f["case_agree"] = 1.0
    prel, crel = toks[ph].rel, toks[ch].rel
    f[f"person_rel={prel}"] = 1.0
    f[f"post_rel={crel}"] = 1.0
    f[f"rels={prel}_{crel}&{order}"] = 1.0
    if toks[ph].head_id == toks[ch].head_id:
        f["same_governor"] = 1.0
    elif prel.startswith("nsubj") and crel.startswith("nsubj"):
        # "X приехал ..., где выступал министр": each is the subject of its own verb
        f["two_subjects"] = 1.0

    # the dependency path between the heads
    path, lca = dep_path(info, ph, ch)
    if lca is None:  # natasha made two trees of the sentence (two roots)
        f["path=none"] = 1.0
    else:
        f[f"path_len={_bucket(len(path), (1, 2, 3, 4, 6))}"] = 1.0
        if len(path) <= MAX_PATH:
            f[f"path={' '.join(path)}"] = 1.0
        for label in set(path):
            f[f"path_has={label}"] = 1.0
        if lca == ch:
            f["person_under_post"] = 1.0
        elif lca == ph:
            f["post_under_person"] = 1.0
        else:
            f[f"lca_pos={toks[lca].pos}"] = 1.0
            if toks[lca].pos in ("VERB", "AUX"):
                f[f"lca_verb={lemma(toks[lca])}"] = 1.0
    # a place or organisation named right after the post ("посол Италии")
    nxt = chunk.last + 1
    if nxt < len(toks) and sent.entity_at(toks[nxt], ("organization", "location")):
        f["post_has_place"] = 1.0
    f[f"n_persons={_bucket(len(info.persons), (1, 2, 3, 5))}"] = 1.0
    f[f"n_posts={_bucket(len(info.chunks), (1, 2, 3, 5))}"] = 1.0
    return f


def _post_word(tok: Any) -> str:
    from newsfacts.extract.occupation_posts import head_lemma

    return head_lemma(tok)


def sentence_candidates(sent: Sent, chunks: list[PostChunk]) -> list[Candidate]:
    """Every (person, post) pair of one sentence with its features."""
    if not chunks:
        return []
    info = sent_info(sent, chunks)
    return [
        Candidate(sent, info.persons[pi], info.chunks[ci], pair_features(info, pi, ci))
        for pi, ci in pairs(info)
    ]


def candidates(doc: Doc) -> list[Candidate]:
    """All candidate pairs of a document after the natasha and entity layers."""
    from newsfacts.extract.occupation_posts import find_chunks

    out: list[Candidate] = []
    for sent in sentences(doc):
        if not any(m[2].type == "person" for m in sent.mentions):
            continue
        out.extend(sentence_candidates(sent, find_chunks(sent)))
    return out
