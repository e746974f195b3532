"""Post chunks from the learned tagger, for the posts the position lexicon lacks.

`occupation_posts.find_chunks` knows a post only by its head word in the lexicon
("аким", "посол"); NEREL marks every word naming an occupation ("тренер",
"режиссёр", "прокурор"). The tagger's POST spans that no lexicon chunk overlaps
become extra chunks, which the holder rules and the pair classifier then treat like
any other: the chunk is the span's modifiers and syntactic head (its genitive tail
is left to the place rules, as for "министр" + "России").
"""

from __future__ import annotations

import warnings
from functools import cache

from newsfacts.extract.grammars.lexicon import FORMER
from newsfacts.extract.grammars.tokens import Sent, lemma
from newsfacts.extract.learned import linear, multiclass
from newsfacts.extract.learned.relfeats import head_of
from newsfacts.extract.learned.tagger import tag_sentence
from newsfacts.extract.occupation_posts import PostChunk

MODEL_NAME = "post_event_tagger"


@cache
def tagger_model() -> multiclass.MulticlassModel | None:
    """The shipped tagger; None (lexicon posts only, one warning) when unusable."""
    try:
        return multiclass.packaged(MODEL_NAME)
    except linear.ModelError as exc:
        warnings.warn(f"occupation: learned post tagger off: {exc}", stacklevel=2)
        return None


def tagged_chunks(
    sent: Sent, chunks: list[PostChunk], model: multiclass.MulticlassModel | None = None
) -> list[PostChunk]:
    """Chunks for the tagger's POST spans that overlap no lexicon chunk."""
    model = model if model is not None else tagger_model()
    if model is None or not any(m[2].type == "person" for m in sent.mentions):
        return []  # no person to hold a post: the tagger's work would be wasted
    covered = {k for c in chunks for k in range(c.first, c.last + 1)}
    out: list[PostChunk] = []
    toks = sent.tokens
    for first, last, label in tag_sentence(sent, chunks, model):
        if label != "POST" or any(k in covered for k in range(first, last + 1)):
            continue
        head = head_of(sent, (first, last))
        tok = toks[head]
        feats = tok.feats or {}
        if tok.pos != "NOUN" or feats.get("Number") == "Plur" or feats.get("Animacy") != "Anim":
            # a group ("руководители регионов"), a name, or a thing ("газета", "фронт")
            continue
        if any(
            m[0] <= tok.start and tok.stop <= m[1] and m[3] == "name" and m[2].type == "person"
            for m in sent.mentions
        ):
            continue  # inside a person's name
        former = first > 0 and lemma(toks[first - 1]) in FORMER
        out.append(PostChunk(min(first, head), head, head, former))
    return out
