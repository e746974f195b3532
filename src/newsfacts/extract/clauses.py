"""Shared helpers for the statement extractors (intent, proposal, plan, launch, discussion).

The five extractors read the same things off natasha's dependency trees: who is the
subject of a trigger, which noun phrase is its object, which location and time hang
off it. Keeping that here means each extractor is a short list of decisions about
its own trigger words, and a fix to phrase building helps all five at once.

Trees from natasha's news parser are often wrong around long genitive chains and
glued constructions, so every helper degrades to a linear reading of the sentence
rather than giving up.

The helpers live in modules of one job each: `clause_sentences` (sentence views),
`clause_phrases` (phrases and their normal forms), `clause_entities` (actors, sides,
places) and `statement_triggers` (the trigger lexicons); this module keeps the time
and fact helpers and re-exports the rest, so extractors import from one place.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from newsfacts.extract.clause_entities import (
    actors,
    conjuncts,
    country_by_adjective_lemma,
    country_from_adjective,
    entity_of,
    entity_of_head,
    is_group_word,
    meeting_sides,
    on_behalf_of,
    place_in,
    pp_tokens,
    subject_of,
)
from newsfacts.extract.clause_phrases import (
    Phrase,
    genitive_after,
    genitive_complement,
    inflect,
    is_deverbal,
    phrase,
)
from newsfacts.extract.clause_sentences import (
    DASHES,
    INNER_PUNCT,
    PHRASE_STOP_RELS,
    LineToken,
    Sent,
    Token,
    nearest_after,
    sentences,
    token_text,
)
from newsfacts.extract.grammars.tokens import lemma
from newsfacts.extract.grammars.tokens import time_args as time_args  # shared with relations
from newsfacts.extract.statement_triggers import triggers
from newsfacts.model import Fact
from newsfacts.pipeline import Doc, TimeExpr

__all__ = [
    "DASHES",
    "INNER_PUNCT",
    "PHRASE_STOP_RELS",
    "LineToken",
    "Phrase",
    "Sent",
    "Token",
    "actors",
    "add_unique",
    "conjuncts",
    "country_by_adjective_lemma",
    "country_from_adjective",
    "entity_of",
    "entity_of_head",
    "genitive_after",
    "genitive_complement",
    "guarded",
    "inflect",
    "is_deverbal",
    "is_group_word",
    "iter_tokens",
    "lemma",
    "make_fact",
    "meeting_sides",
    "nearest_after",
    "on_behalf_of",
    "phrase",
    "place_in",
    "pp_tokens",
    "sentences",
    "subject_of",
    "time_args",
    "time_in",
    "token_text",
    "triggers",
]


log = logging.getLogger(__name__)


# --- time ---------------------------------------------------------------------------


def time_in(doc: Doc, start: int, end: int) -> TimeExpr | None:
    for te in sorted(doc.dates, key=lambda d: d.start):
        if te.start < end and start < te.end:
            return te
    return None


# --- facts --------------------------------------------------------------------------


def make_fact(
    fact_type: str,
    args: dict[str, Any],
    sent: Sent,
    confidence: float,
    modality: str | None = None,
    at: Token | None = None,
) -> Fact:
    """Evidence is the sentence around `at`: short enough to quote, long enough to
    check. A title glued to the lead by the segmenter is cut off at the line break."""
    start, end = sent.span
    if at is not None:
        text = sent.doc.text
        line_start = text.rfind("\n", start, at.start) + 1
        line_end = text.find("\n", at.stop, end)
        start = max(start, line_start)
        end = line_end if line_end != -1 else end
    return Fact(
        type=fact_type,
        args=args,
        evidence=[(start, end)],
        confidence=round(max(0.05, min(confidence, 0.99)), 3),
        modality=modality,
        extractor=fact_type,
    )


def add_unique(doc: Doc, fact: Fact) -> bool:
    """Skip a fact already present with the same type, args and evidence."""
    for f in doc.facts:
        if f.type == fact.type and f.args == fact.args and f.evidence == fact.evidence:
            return False
    doc.add_fact(fact)
    return True


def iter_tokens(doc: Doc) -> Iterator[tuple[Sent, Token]]:
    for sent in sentences(doc):
        for tok in sent.tokens:
            yield sent, tok


def guarded(name: str, extract: Any, doc: Doc) -> None:
    """Run one statement extractor; a parse it cannot handle costs that extractor's
    remaining facts for this article (logged, noted in doc.user["skipped"]), never
    the article itself or the other components."""
    if doc.nlp is None:
        return
    try:
        extract(doc)
    except Exception as exc:  # a bug or an odd tree must not stop ingest
        log.warning(
            "%s: article %s: skipped after %s: %s", name, doc.article.id, type(exc).__name__, exc
        )
        doc.user.setdefault("skipped", []).append(f"{name}: {type(exc).__name__}: {exc}")
