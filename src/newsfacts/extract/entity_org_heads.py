"""Pass 3 of `entities`, *extend*: organisations named after a place or a post.

Why a module of its own: "правительство Китая", "пресс-служба акима Алматы",
"российское министерство финансов" are found from a head noun and the syntax around
it, a different seam from cleaning NER spans; the place inside stays its own mention.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract import gazetteer, lexicons
from newsfacts.extract.entity_candidates import (
    Candidate,
    _lemma,
    _make,
)
from newsfacts.extract.span_index import Taken
from newsfacts.pipeline import Doc


# --- 3. organisations named after a place or a post -------------------------------------
def _org_heads(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    by_start = {c.start: c for c in cands if c.type == "location"}
    org_spans = Taken(len(doc.text), ((c.start, c.end) for c in cands if c.type == "organization"))
    out = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i, token in enumerate(tokens):
            lemma = _lemma(token)
            if lemma not in lexicons.ORG_HEADS and lemma not in lexicons.ORG_HEADS_OF_POST:
                continue
            if org_spans.overlaps((token.start, token.stop)):
                continue
            j = i + 1
            end_token = None
            # "пресс-служба акима (Алматы)": a post in the genitive
            if (
                lemma in lexicons.ORG_HEADS_OF_POST
                and j < len(tokens)
                and lexicons.is_position(_lemma(tokens[j]))
                and tokens[j].feats.get("Case") == "Gen"
            ):
                end_token = tokens[j]
                j += 1
            place = by_start.get(tokens[j].start) if j < len(tokens) else None
            if place is not None and lemma in lexicons.ORG_HEADS:
                gen = [t for t in place.tokens if t.feats.get("Case") == "Gen"]
                if gen or not place.tokens:
                    end_idx = j
                    while end_idx < len(tokens) and tokens[end_idx].stop <= place.end:
                        end_idx += 1
                    end_token = tokens[end_idx - 1]
            first = i
            while (
                first > 0
                and tokens[first - 1].pos == "ADJ"
                and tokens[first - 1].head_id == token.id
                and tokens[first - 1].text[:1].islower()
            ):
                first -= 1
            if (
                end_token is None
                and lemma in lexicons.STATE_BODY_HEADS
                and token.feats.get("Number") != "Plur"  # "американские ведомства": generic
            ):
                end_token = _geo_adjective_org(tokens, first, i)
            if end_token is None:
                continue
            span_tokens = [t for t in tokens[first:] if t.stop <= end_token.stop]
            cand = _make(doc, span_tokens, "organization", "org-head")
            out.append(cand)
            org_spans.add((cand.start, cand.end))
    return out


def _services_of(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "пресс-служба акимата Шымкента", "пресс-служба Министерства иностранных дел":
    a service of an organisation is an organisation too; the inner one stays."""
    orgs = {c.start: c for c in cands if c.type == "organization"}
    out = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i, token in enumerate(tokens[:-1]):
            inner = orgs.get(tokens[i + 1].start)
            if _lemma(token) not in lexicons.ORG_HEADS_OF_POST or inner is None:
                continue
            if any(c.start <= token.start and inner.end <= c.end for c in cands if c is not inner):
                continue
            span = [t for t in tokens[i:] if t.stop <= inner.end]
            out.append(_make(doc, span, "organization", "org-head"))
    return out


def _geo_adjective_org(tokens: list[Any], first: int, head: int) -> Any | None:
    """ "российском министерстве финансов", "японского дипломатического ведомства": a
    state body named by a country adjective; returns the last token of the name."""
    adjectives = tokens[first:head]
    if not any(
        (place := gazetteer.place_by_adjective(_lemma(t))) is not None
        and place.kind in ("country", "organization", "other")
        for t in adjectives
    ):
        return None
    end = head
    ids = {t.id for t in tokens[first : head + 1]}
    k = head + 1
    while k < len(tokens) and k <= head + 3:
        t = tokens[k]
        if not (t.text[:1].islower() and t.pos in ("NOUN", "ADJ") and t.feats.get("Case") == "Gen"):
            break
        ids.add(t.id)
        if t.pos == "NOUN":
            end = k
        k += 1
    return tokens[end]
