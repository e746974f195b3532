"""Candidate (post, place or organisation) pairs and their features.

The rules (`occupation_places.place_of`) take the first ORG/LOC after the post, an
nmod child, a geographic adjective or a descriptor noun. NEREL's WORKPLACE shows many
other shapes ("в компании X он работал директором", "X, глава Y", a place before
the post). A classifier scores every organisation or place mention of the post's
sentence; the rules' own choice is one of its features, so it learns when to trust
them and when another mention is likelier.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsfacts.extract.grammars.tokens import Sent, lemma
from newsfacts.extract.learned.pairs import SentInfo
from newsfacts.extract.learned.relfeats import head_of, span_pair_features, token_span
from newsfacts.model import Entity

if TYPE_CHECKING:
    from newsfacts.extract.occupation_posts import PostChunk

PLACE_TYPES = ("organization", "location")


@dataclass
class PlaceCandidate:
    mention: tuple[int, int, Entity, str]
    span: tuple[int, int]  # token indexes
    features: dict[str, float]


def place_candidates(
    info: SentInfo,
    chunk: PostChunk,
    rule_where: Entity | None,
    rule_doc_level: bool,
    holder: tuple[int, int] | None = None,
) -> list[PlaceCandidate]:
    """Every ORG/LOC mention of the sentence outside the post's holder, one per entity
    and position, with features of its link to the post."""
    sent: Sent = info.sent
    toks = sent.tokens
    post = (chunk.first, chunk.last)
    post_lemma = lemma(toks[chunk.head])
    out: list[PlaceCandidate] = []
    seen: set[tuple[int, int]] = set()
    for m in sent.mentions:
        ent = m[2]
        if ent.type not in PLACE_TYPES or (m[0], m[1]) in seen:
            continue
        span = token_span(sent, m[0], m[1])
        if span is None:
            continue
        seen.add((m[0], m[1]))
        inside = post[0] <= span[0] and span[1] <= post[1]
        if not inside and not (span[1] < post[0] or post[1] < span[0]):
            continue  # overlaps the post's edge: not a separate argument
        f = span_pair_features(info, post, span, chunk.head, head_of(sent, span))
        kind = ent.subtype or ent.type
        f[f"type={ent.type}"] = 1.0
        f[f"kind={kind}"] = 1.0
        f[f"post={post_lemma}&type={ent.type}"] = 1.0
        f[f"mention={m[3]}"] = 1.0
        if inside:
            f["inside_post"] = 1.0
        if rule_where is not None and ent.id == rule_where.id:
            f["rule_place" + ("_doc" if rule_doc_level else "")] = 1.0
        elif rule_where is not None:
            f["rule_other"] = 1.0
        else:
            f["rule_none"] = 1.0
        if holder is not None:
            hs = token_span(sent, holder[0], holder[1])
            if hs is not None and min(hs[1], post[1]) < span[0] < max(hs[0], post[0]):
                f["between_post_holder"] = 1.0
        nearer = any(
            o is not m
            and o[2].type in PLACE_TYPES
            and abs(o[0] - toks[chunk.head].start) < abs(m[0] - toks[chunk.head].start)
            for o in sent.mentions
        )
        f[f"nearest={not nearer}"] = 1.0
        out.append(PlaceCandidate(m, span, f))
    return out
