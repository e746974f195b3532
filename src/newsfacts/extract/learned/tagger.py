"""A token tagger for post (PROFESSION) and event (EVENT) mentions, rules as features.

The occupation rules find a post only when its head word is in the position lexicon,
and no rule marks events in general (only meeting, deal and signing triggers). NEREL
annotates both for every word that names one, so a classifier over the tokens' own
words, morphology and syntax, with the rules' decisions as extra features (inside a
rule post chunk, a meeting or deal trigger, a phase verb), can find the ones the
lexicons miss. Each token gets O / B-POST / I-POST / B-EVENT / I-EVENT from a
`multiclass.MulticlassModel` (trained by `scripts/train_learned.py` on NEREL train);
spans are read off left to right.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsfacts.extract.grammars.lexicon import (
    DEAL_TRIGGERS,
    MEETING_NOUNS,
    MEETING_VERBS,
    PHASE_END,
    PHASE_START,
    POSITION_HEADS,
)
from newsfacts.extract.grammars.tokens import Sent, lemma

if TYPE_CHECKING:
    from newsfacts.extract.learned.multiclass import MulticlassModel
    from newsfacts.extract.occupation_posts import PostChunk

LABELS = ("POST", "EVENT")


def _shape(text: str) -> str:
    if text.isdigit():
        return "digit"
    if text.isupper() and len(text) > 1:
        return "upper"
    if text[:1].isupper():
        return "cap"
    if text.isalpha():
        return "lower"
    return "other"


def rule_marks(sent: Sent, chunks: list[PostChunk]) -> list[str]:
    """The rules' view of each token: inside a post chunk (B/I/H for its head), a
    meeting or deal trigger, a phase verb, or nothing."""
    marks = ["-"] * len(sent.tokens)
    for c in chunks:
        for k in range(c.first, c.last + 1):
            marks[k] = "PI"
        marks[c.first] = "PB"
        marks[c.head] = "PH"
    for k, t in enumerate(sent.tokens):
        if marks[k] != "-":
            continue
        lem = lemma(t)
        if lem in MEETING_VERBS or lem in MEETING_NOUNS:
            marks[k] = "MEET"
        elif lem in DEAL_TRIGGERS:
            marks[k] = "DEAL"
        elif lem in PHASE_START or lem in PHASE_END:
            marks[k] = "PHASE"
    return marks


def _tok_feats(prefix: str, tok: Any) -> list[str]:
    feats = tok.feats or {}
    return [
        f"{prefix}l={lemma(tok)}",
        f"{prefix}p={tok.pos}",
        f"{prefix}c={feats.get('Case', '-')}",
    ]


def token_features(sent: Sent, i: int, marks: list[str]) -> list[str]:
    """Binary string features of token i (its window of two tokens each side)."""
    toks = sent.tokens
    tok = toks[i]
    lem = lemma(tok)
    low = tok.text.lower()
    feats = tok.feats or {}
    out = [
        "bias",
        f"w={low}",
        f"l={lem}",
        f"suf3={low[-3:]}",
        f"suf2={low[-2:]}",
        f"pre3={low[:3]}",
        f"pos={tok.pos}",
        f"case={feats.get('Case', '-')}",
        f"num={feats.get('Number', '-')}",
        f"vform={feats.get('VerbForm', '-')}",
        f"asp={feats.get('Aspect', '-')}",
        f"rel={tok.rel}",
        f"shape={_shape(tok.text)}",
        f"rule={marks[i]}",
        f"rule={marks[i]}&pos={tok.pos}",
    ]
    if lem in POSITION_HEADS:
        out.append("lex_post")
    h = sent.index.get(tok.head_id)
    if h is not None:
        out.append(f"hl={lemma(toks[h])}")
        out.append(f"hrule={marks[h]}")
        out.append(f"rel={tok.rel}&hp={toks[h].pos}")
    else:
        out.append("root")
    ent = sent.entity_at(tok)
    out.append(f"ent={ent.type if ent is not None else '-'}")
    for d in (-2, -1, 1, 2):
        k = i + d
        if 0 <= k < len(toks):
            out.extend(_tok_feats(f"{d}", toks[k]))
            out.append(f"{d}rule={marks[k]}")
        else:
            out.append(f"{d}edge")
    if i > 0:
        out.append(f"bigram={lemma(toks[i - 1])}_{lem}")
    return out


def sentence_features(sent: Sent, chunks: list[PostChunk]) -> list[list[str]]:
    marks = rule_marks(sent, chunks)
    return [token_features(sent, i, marks) for i in range(len(sent.tokens))]


def decode(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first, last, label) token spans from BIO tags; a stray I- opens a span."""
    spans: list[tuple[int, int, str]] = []
    cur: list[Any] | None = None
    for k, tag in enumerate(tags):
        kind, _, label = tag.partition("-")
        if kind == "I" and cur is not None and cur[2] == label:
            cur[1] = k
            continue
        if cur is not None:
            spans.append((cur[0], cur[1], cur[2]))
            cur = None
        if kind in ("B", "I"):
            cur = [k, k, label]
    if cur is not None:
        spans.append((cur[0], cur[1], cur[2]))
    return spans


def tag_sentence(
    sent: Sent, chunks: list[PostChunk], model: MulticlassModel
) -> list[tuple[int, int, str]]:
    """Post and event spans of one sentence, as token index ranges."""
    tags = [model.predict(f) for f in sentence_features(sent, chunks)]
    return decode(tags)
