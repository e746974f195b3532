"""The natasha layer: segmentation, morphology, syntax and NER, models loaded once.

natasha ships its navec embeddings and slovnet models inside the wheel, so nothing
is fetched at run time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
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
from natasha.doc import DocSent, DocToken, inject_morph, inject_syntax, offset_syntax, sent_words
from natasha.segment import adapt_sent
from razdel import sentenize, tokenize
from razdel.substring import Substring

from newsfacts.nlp.fast_slovnet import FastSlovnet, VocabMismatch
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


# A sentence longer than this many tokens is cut into pieces. The longest sentence
# in the FactRuEval devset, NEREL dev and the seed has 131 tokens, so news is never
# cut; a text with no sentence ends (a list, a dump, a run-on line) would otherwise
# be one "sentence", and syntax, NER and every per-sentence extractor grow with the
# square of sentence length or worse (issue 12: 40k characters on one line took
# more than 60 s). Pieces end after a comma-like token when one is near the limit.
MAX_SENTENCE_TOKENS = 160
_CUT_AFTER = frozenset(',;:—–-)»"')


def cap_sentences(nd: Any, limit: int = MAX_SENTENCE_TOKENS) -> None:
    """Cut every sentence of more than `limit` tokens into pieces of at most `limit`.

    Runs after tokens are enveloped in sentences; a piece is a `DocSent` of its own,
    so everything downstream sees ordinary sentences. Linear in the token count."""
    if all(len(sent.tokens) <= limit for sent in nd.sents):
        return
    text = nd.text
    out: list[Any] = []
    for sent in nd.sents:
        tokens = sent.tokens
        while len(tokens) > limit:
            cut = limit
            for i in range(limit - 1, limit // 2, -1):
                if tokens[i].text in _CUT_AFTER:
                    cut = i + 1
                    break
            out.append(_piece(text, tokens[:cut]))
            tokens = tokens[cut:]
        out.append(sent if tokens is sent.tokens else _piece(text, tokens))
    nd.sents = out


def _piece(text: str, tokens: list[Any]) -> Any:
    start, stop = tokens[0].start, tokens[-1].stop
    return DocSent(start, stop, text[start:stop], tokens=tokens)


@contextmanager
def one_vocab_per_content() -> Iterator[None]:
    """While slovnet models load, a vocabulary whose content was seen before is the
    object built then.

    natasha's three news models each ship the same 250,002-word vocabulary; slovnet
    decompresses, splits and indexes it three times (~0.2 s of every process's model
    load, on the serial start of `ingest --workers N`, issue 13). A vocabulary is
    never changed after loading, so sharing one is safe; `FastSlovnet` relies on
    their being equal anyway."""
    from slovnet.exec import pack

    original = pack.Pack.load_vocab
    built: dict[bytes, Any] = {}

    def load_vocab(self: Any, id: str) -> Any:
        # Keyed by the unpacked text: each pack's gzip header differs.
        content = pack.decompress(self.read(pack.vocab_name(id)))
        key = hashlib.blake2b(content, digest_size=16).digest()
        if key not in built:
            built[key] = pack.Vocab(content.decode("utf8").splitlines())
        return built[key]

    pack.Pack.load_vocab = load_vocab
    try:
        yield
    finally:
        pack.Pack.load_vocab = original


class Models:
    def __init__(self) -> None:
        self.segmenter = ParagraphSegmenter()
        self.morph_vocab = MorphVocab()
        emb = NewsEmbedding()
        with one_vocab_per_content():
            self.morph_tagger = NewsMorphTagger(emb)
            self.syntax_parser = NewsSyntaxParser(emb)
            self.ner_tagger = NewsNERTagger(emb)
        try:
            self.fast: FastSlovnet | None = FastSlovnet(
                self.morph_tagger, self.syntax_parser, self.ner_tagger
            )
        except VocabMismatch:  # another natasha release: fall back to the stock calls
            self.fast = None


@lru_cache(maxsize=1)
def models() -> Models:
    return Models()


def map_by_length(model: Any, sents: list[list[str]]) -> list[Any]:
    """Run a slovnet model over sentences batched shortest-first.

    slovnet pads every batch to its longest sentence; batching sentences of similar
    length wastes less work (about 13% less for morphology plus syntax on news), with
    identical output.
    """
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
    out: list[Any] = [None] * len(sents)
    for i, markup in zip(order, model.map([sents[i] for i in order]), strict=True):
        out[i] = markup
    return out


def tag_morph_and_syntax(nd: Any, *, syntax: bool) -> None:
    """natasha's Doc.tag_morph and Doc.parse_syntax, with length-sorted batches."""
    m = models()
    words = [sent_words(sent) for sent in nd.sents]
    for sent, markup in zip(nd.sents, map_by_length(m.morph_tagger, words), strict=True):
        inject_morph(sent.tokens, markup.tokens)
    if syntax:
        parsed = map_by_length(m.syntax_parser, words)
        for sent_id, (sent, markup) in enumerate(zip(nd.sents, parsed, strict=True), 1):
            inject_syntax(sent.tokens, markup.tokens)
            offset_syntax(sent_id, sent.tokens)


def segment(nd: Any, segmenter: ParagraphSegmenter) -> None:
    """natasha's `Doc.segment`, making each token record once instead of twice.

    Tokens come from razdel directly, as `ParagraphSegmenter.tokenize` (natasha's
    `Segmenter.tokenize`) would give them."""
    text = nd.text
    nd.tokens = [DocToken(t.start, t.stop, t.text) for t in tokenize(text)]
    nd.sents = [DocSent(s.start, s.stop, s.text) for s in segmenter.sentenize(text)]
    nd.envelop_sent_tokens()


def analyse(text: str, *, syntax: bool = True, ner: bool = True) -> Any:
    """natasha's Doc with tokens, sentences, morphology, lemmas, syntax and NER spans.

    The results are those of natasha's stock calls (`segment`, `tag_morph`,
    `parse_syntax`, `tag_ner`, `lemmatize`); `fast_slovnet` only does less work
    around the same models.
    """
    m = models()
    nd = NatashaDoc(text)
    if m.fast is None:
        return _analyse_stock(nd, syntax=syntax, ner=ner)
    segment(nd, m.segmenter)
    cap_sentences(nd)
    if not nd.tokens:  # slovnet cannot tag an empty batch
        nd.spans = []
        return nd
    m.fast.inject(nd, syntax=syntax, lemma=lemma_of)
    if ner:
        m.fast.tag_ner(nd)
    return nd


def _analyse_stock(nd: Any, *, syntax: bool, ner: bool) -> Any:
    """The path through natasha's own calls: used when `FastSlovnet` cannot be built
    for the installed models, and by the tests as the reference."""
    m = models()
    nd.segment(m.segmenter)
    cap_sentences(nd)
    if not nd.tokens:
        nd.spans = []
        return nd
    tag_morph_and_syntax(nd, syntax=syntax)
    if ner:
        nd.tag_ner(m.ner_tagger)
    for token in nd.tokens:
        token.lemma = lemma_of(token.text, token.pos, tuple(sorted(token.feats.items())))
    return nd


@lru_cache(maxsize=262_144)
def lemma_of(word: str, pos: str, feats: tuple[tuple[str, str], ...]) -> str:
    """natasha's lemmatizer, memoised: news repeats its words, and each uncached call
    walks pymorphy's dictionary (a fifth of the pipeline's time before this cache)."""
    return models().morph_vocab.lemmatize(word, pos, dict(feats))


@component("natasha")
def natasha_layer(doc: Doc) -> None:
    doc.nlp = analyse(doc.text)
