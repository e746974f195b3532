"""The natasha layer: segmentation, morphology, syntax and NER, models loaded once.

natasha ships its navec embeddings and slovnet models inside the wheel, so nothing
is fetched at run time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from natasha import (
    Doc as NatashaDoc,
)
from natasha import (
    MorphVocab,
    NewsEmbedding,
    NewsMorphTagger,
    NewsNERTagger,
    NewsSyntaxParser,
    Segmenter,
)
from natasha.segment import adapt_sent
from razdel import sentenize
from razdel.substring import Substring

from newsfacts.pipeline import Doc, component


class ParagraphSegmenter(Segmenter):
    """razdel's sentences, never across a line break.

    A title or a heading has no final full stop, and razdel would glue it to the
    next paragraph's first sentence; a news paragraph always ends a sentence.
    """

    def sentenize(self, text: str):  # type: ignore[override]
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                for sent in sentenize(line):
                    yield adapt_sent(Substring(sent.start + offset, sent.stop + offset, sent.text))
            offset += len(line) + 1


class Models:
    def __init__(self) -> None:
        self.segmenter = ParagraphSegmenter()
        self.morph_vocab = MorphVocab()
        emb = NewsEmbedding()
        self.morph_tagger = NewsMorphTagger(emb)
        self.syntax_parser = NewsSyntaxParser(emb)
        self.ner_tagger = NewsNERTagger(emb)


@lru_cache(maxsize=1)
def models() -> Models:
    return Models()


def analyse(text: str, *, syntax: bool = True, ner: bool = True) -> Any:
    m = models()
    nd = NatashaDoc(text)
    nd.segment(m.segmenter)
    if not nd.tokens:  # slovnet cannot tag an empty batch
        nd.spans = []
        return nd
    nd.tag_morph(m.morph_tagger)
    if syntax:
        nd.parse_syntax(m.syntax_parser)
    if ner:
        nd.tag_ner(m.ner_tagger)
    for token in nd.tokens:
        token.lemmatize(m.morph_vocab)
    return nd


@component("natasha")
def natasha_layer(doc: Doc) -> None:
    doc.nlp = analyse(doc.text)
