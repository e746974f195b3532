"""natasha's three slovnet models run on the tokens we already have, with less glue.

natasha's stock calls each re-encode the same words (lowercase, word shape, two
vocabulary lookups) once per model, build a slovnet record per token and then a
natasha record per token, parse the morphology tag string of every token, and
`Doc.tag_ner` re-tokenises the whole text with razdel before tagging it; slovnet's
numpy models copy and transpose their activations between every step. Here the
weights are natasha's own arrays and every float32 operation is slovnet's, on the
same numbers in the same order (the BLAS calls get the same matrices), so every
tag, head, lemma and span comes out identical; only the work around them is
shared, memoised or done with fewer copies:

- the three models' word and shape vocabularies are equal in content (checked at
  load), so each word is encoded once, memoised across documents;
- navec vectors are gathered with one flat `take`, once per batch for
  morphology and syntax, which also share those columns of their first window
  matrix;
- the CNN encoder keeps batch x seq x channels, so its window matrix is built
  without a transposed padded copy and ReLU and batch norm run in place;
- a tag id is parsed into (pos, feats) once, and a lemma is found once per
  (word, tag);
- syntax heads are decoded once (slovnet decodes them twice);
- NER runs on the document's own razdel tokens, as one sequence like
  `Doc.tag_ner`, and its CRF is decoded with fewer numpy calls.

`tests/nlp` compares all of it with natasha's stock calls, and
`scripts/check_same_output.py` compares whole-pipeline output before and after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from natasha.doc import DocSpan
from slovnet.bio import bio_spans
from slovnet.conll import parse_conll_tag
from slovnet.shape import word_shape

BATCH_SIZE = 8  # slovnet's default; batches are the same as natasha's (length-sorted)
MEMO_LIMIT = 200_000  # entries a memo (words, lemmas) keeps before it starts afresh


Lemmatizer = Callable[[str, str, tuple[tuple[str, str], ...]], str]


class VocabMismatch(ValueError):
    """The three models do not share a vocabulary; the stock path must be used."""


class SharedEncoder:
    """word -> (navec word id, shape id), the same for all three models.

    slovnet's `WordShapeEncoder.item` computes this per model and per call; news
    repeats its words, so a memo turns most of it into one dict lookup.
    """

    def __init__(self, encoders: Sequence[Any]) -> None:
        first = encoders[0]
        for other in encoders[1:]:
            if (
                other.words_vocab.items != first.words_vocab.items
                or other.shapes_vocab.items != first.shapes_vocab.items
            ):
                raise VocabMismatch("slovnet models use different vocabularies")
        self.words_vocab = first.words_vocab
        self.shapes_vocab = first.shapes_vocab
        self.word_pad = first.words_vocab.pad_id
        self.shape_pad = first.shapes_vocab.pad_id
        self.memo: dict[str, tuple[int, int]] = {}

    def ids(self, word: str) -> tuple[int, int]:
        found = self.memo.get(word)
        if found is None:
            if len(self.memo) >= MEMO_LIMIT:
                self.memo.clear()
            found = (
                self.words_vocab.encode(word.lower()),
                self.shapes_vocab.encode(word_shape(word)),
            )
            self.memo[word] = found
        return found

    def batch(self, sents: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Padded word ids, shape ids and pad mask, as `WordShapeEncoder.input` makes them."""
        size = max(len(s) for s in sents)
        word_id = np.full((len(sents), size), self.word_pad)
        shape_id = np.full((len(sents), size), self.shape_pad)
        ids = self.ids
        for row, words in enumerate(sents):
            if words:
                pairs = [ids(w) for w in words]
                word_id[row, : len(pairs)] = [p[0] for p in pairs]
                shape_id[row, : len(pairs)] = [p[1] for p in pairs]
        return word_id, shape_id, word_id == self.word_pad


class CNNEncoder:
    """slovnet's `CNNEncoder` with the same float32 operations and less copying.

    slovnet keeps activations as batch x channels x seq, so every layer pads a
    transposed copy, and ReLU and batch norm allocate five more arrays. Here they
    stay batch x seq x channels, which is the layout the window matrix and the
    next matmul want anyway: the window matrix, the weight matrix and hence the
    BLAS call are the same as slovnet's, ReLU (`clip(0)` is `maximum(x, 0)`) and
    batch norm run in place with the same operations in the same order, so the
    results are equal to the bit.
    """

    def __init__(self, encoder: Any) -> None:
        self.layers = []
        for layer in encoder.layers:
            conv, norm = layer.conv, layer.norm
            filters, in_dim, kernel = conv.weight.shape
            self.layers.append(
                (
                    conv.weight.array.reshape(filters, in_dim * kernel).T,
                    conv.bias.array,
                    conv.padding,
                    kernel,
                    norm.mean.array,
                    norm.std.array,
                    norm.weight.array,
                    norm.bias.array,
                )
            )

    @property
    def first_layer(self) -> tuple[int, int, int]:
        """(input channels, padding, kernel) of the first layer."""
        weight_t, _, padding, kernel, *_ = self.layers[0]
        return weight_t.shape[0] // kernel, padding, kernel

    def windows(self, batch: int, seq_len: int) -> np.ndarray:
        """An empty first-layer window matrix, for `fill_windows` and `run`."""
        in_dim, padding, kernel = self.first_layer
        count = seq_len + 2 * padding - kernel + 1
        return np.empty((batch, count, in_dim, kernel), dtype=self.layers[0][0].dtype)

    def __call__(self, x: np.ndarray, pad_mask: np.ndarray) -> np.ndarray:
        cols = self.windows(*x.shape[:2])
        fill_windows(cols, x, self.first_layer[1])
        return self.run(cols, pad_mask)

    def run(self, cols: np.ndarray, pad_mask: np.ndarray) -> np.ndarray:
        """The encoder from a filled first-layer window matrix (left unchanged)."""
        padded_rows = pad_mask.any()
        x = cols
        for index, (weight_t, bias, padding, kernel, mean, std, scale, shift) in enumerate(
            self.layers
        ):
            if index:
                count = x.shape[1] + 2 * padding - kernel + 1
                cols = np.empty((x.shape[0], count, x.shape[2], kernel), dtype=x.dtype)
                fill_windows(cols, x, padding)
            batch, count, in_dim, _ = cols.shape
            out = np.matmul(cols.reshape(batch * count, in_dim * kernel), weight_t)
            out += bias
            np.maximum(out, 0, out=out)
            out -= mean
            out /= std
            out *= scale
            out += shift
            x = out.reshape(batch, count, -1)
            if padded_rows:
                x[pad_mask] = 0
        return x


def fill_windows(cols: np.ndarray, x: np.ndarray, padding: int, channel: int = 0) -> None:
    """Write x's channels into the window matrix from `channel` on.

    The window matrix is the one slovnet's Conv1d builds from a zero-padded copy:
    row w holds x[w + j - padding, c] at column c * kernel + j. It is filled one
    kernel offset at a time, so each copy runs along the channels; filled in
    channel slices, two models whose inputs share their first channels (the navec
    vectors) share those columns, and no concatenated input is built.
    """
    _, count, _, kernel = cols.shape
    seq_len = x.shape[1]
    part = slice(channel, channel + x.shape[2])
    for j in range(kernel):
        offset = j - padding
        lo, hi = max(0, -offset), min(count, seq_len - offset)
        cols[:, :lo, part, j] = 0
        cols[:, hi:, part, j] = 0
        if hi > lo:
            cols[:, lo:hi, part, j] = x[:, lo + offset : hi + offset]


def _tag_model_forward(
    model: Any, encoder: CNNEncoder, word_vectors: np.ndarray, shape_id: np.ndarray, pad_mask: Any
) -> np.ndarray:
    """`Tag.__call__` / the first half of `Syntax.__call__`, given the word vectors."""
    cols = encoder.windows(*shape_id.shape)
    padding = encoder.first_layer[1]
    fill_windows(cols, word_vectors, padding)
    fill_windows(cols, model.emb.shape(shape_id), padding, word_vectors.shape[-1])
    return encoder.run(cols, pad_mask)


class NavecLookup:
    """slovnet's `NavecEmbedding`: a word id's 100 codebook indexes -> 300 floats.

    slovnet gathers with two broadcast index arrays (`codes[qdims, indexes]`);
    one flat `take` over the codebooks gathers the same floats four times faster.
    """

    def __init__(self, embedding: Any) -> None:
        codes = embedding.codes.array  # qdim x centroids x chunk
        qdim, centroids, chunk = codes.shape
        self.indexes = embedding.indexes.array  # words x qdim
        self.flat = codes.reshape(qdim * centroids, chunk)
        self.offsets = np.arange(qdim, dtype=np.intp) * centroids
        self.dim = qdim * chunk

    def __call__(self, word_id: np.ndarray) -> np.ndarray:
        index = self.indexes[word_id.ravel()].astype(np.intp)
        index += self.offsets
        return self.flat.take(index, axis=0).reshape(*word_id.shape, self.dim)


class MorphTags:
    """Morphology tag id -> (pos, feats, sorted feats), parsed once per tag."""

    def __init__(self, tags_vocab: Any) -> None:
        self.table: list[tuple[str, dict[str, str], tuple[tuple[str, str], ...]]] = []
        for tag in tags_vocab.items:
            pos, feats = parse_conll_tag(tag)
            self.table.append((pos, feats, tuple(sorted(feats.items()))))


class FastSlovnet:
    """Morphology, syntax and NER with natasha's models and natasha's results."""

    def __init__(self, morph_tagger: Any, syntax_parser: Any, ner_tagger: Any) -> None:
        self.morph = morph_tagger.infer.model
        self.syntax = syntax_parser.infer.model
        self.ner = ner_tagger.infer.model
        self.morph_cnn = CNNEncoder(self.morph.encoder)
        self.syntax_cnn = CNNEncoder(self.syntax.encoder)
        self.ner_cnn = CNNEncoder(self.ner.encoder)
        self.encoder = SharedEncoder(
            [x.infer.encoder for x in (morph_tagger, syntax_parser, ner_tagger)]
        )
        self.morph_tags = MorphTags(morph_tagger.infer.decoder.tags_vocab)
        self.lemmas: dict[tuple[str, int], str] = {}
        self.lemma_source: Lemmatizer | None = None
        self.rels = list(syntax_parser.infer.decoder.rels_vocab.items)
        self.ner_tags = list(ner_tagger.infer.decoder.tags_vocab.items)
        # The word embedding is navec's, injected into each model: one lookup serves all.
        word = self.morph.emb.word
        for model in (self.syntax, self.ner):
            other = model.emb.word
            if not (
                other.indexes.array is word.indexes.array and other.codes.array is word.codes.array
            ):
                raise VocabMismatch("slovnet models use different navec embeddings")
        self.navec = NavecLookup(word)
        first = {cnn.first_layer for cnn in (self.morph_cnn, self.syntax_cnn, self.ner_cnn)}
        if len(first) != 1 or next(iter(first))[0] <= self.navec.dim:
            raise VocabMismatch("slovnet models differ in their first convolution")
        self.padding = next(iter(first))[1]

    # --- morphology and syntax --------------------------------------------------
    def morph_syntax(
        self, sents: Sequence[Sequence[str]], *, syntax: bool
    ) -> tuple[list[list[int]], list[tuple[list[int], list[int]]] | None]:
        """Per sentence: morphology tag ids, and (head indexes, rel ids) if `syntax`.

        Sentences are batched shortest-first, BATCH_SIZE at a time, exactly as
        `natasha_pipe.map_by_length` batches them for the stock models.
        """
        order = sorted(range(len(sents)), key=lambda i: len(sents[i]))
        tags: list[Any] = [None] * len(sents)
        parses: list[Any] = [None] * len(sents)
        for at in range(0, len(order), BATCH_SIZE):
            chunk = order[at : at + BATCH_SIZE]
            word_id, shape_id, pad_mask = self.encoder.batch([sents[i] for i in chunk])
            vectors = self.navec(word_id)
            sizes = (~pad_mask).sum(-1).tolist()

            # Morphology and syntax read the same navec vectors: their columns of
            # the first window matrix are filled once, the shape columns per model.
            cols = self.morph_cnn.windows(*word_id.shape)
            fill_windows(cols, vectors, self.padding)
            fill_windows(cols, self.morph.emb.shape(shape_id), self.padding, self.navec.dim)
            x = self.morph_cnn.run(cols, pad_mask)
            pred = self.morph.head(x).argmax(-1).tolist()
            for row, i in enumerate(chunk):
                tags[i] = pred[row][: sizes[row]]

            if syntax:
                fill_windows(cols, self.syntax.emb.shape(shape_id), self.padding, self.navec.dim)
                x = self.syntax_cnn.run(cols, pad_mask)
                mask = ~pad_mask
                head = self.syntax.head
                head_id = head.decode(head(x), mask)
                rel = self.syntax.rel
                rel_id = rel.decode(rel(x, head_id), mask)
                heads, rels = head_id.tolist(), rel_id.tolist()
                for row, i in enumerate(chunk):
                    parses[i] = (heads[row][: sizes[row]], rels[row][: sizes[row]])
        return tags, (parses if syntax else None)

    def inject(self, nd: Any, *, syntax: bool, lemma: Lemmatizer | None = None) -> None:
        """Set pos, feats, lemma (and id, head_id, rel) on natasha's tokens.

        `lemma(word, pos, sorted feats)` is asked once per (word, tag): the lemma
        depends on nothing else, and a (str, int) key hashes faster than the
        feats tuple the lemmatiser's own cache is keyed by.
        """
        sents = [[t.text for t in sent.tokens] for sent in nd.sents]
        tags, parses = self.morph_syntax(sents, syntax=syntax)
        table = self.morph_tags.table
        lemmas = self.lemmas
        if len(lemmas) >= MEMO_LIMIT or lemma is not self.lemma_source:
            lemmas.clear()  # bounded, and only ever one lemmatiser's answers
            self.lemma_source = lemma
        for sent, tag_ids in zip(nd.sents, tags, strict=True):
            for token, tag_id in zip(sent.tokens, tag_ids, strict=True):
                pos, feats, key = table[tag_id]
                token.pos = pos
                token.feats = feats.copy()  # a token's own dict, as natasha gives it
                if lemma is not None:
                    found = lemmas.get((token.text, tag_id))
                    if found is None:
                        found = lemmas[token.text, tag_id] = lemma(token.text, pos, key)
                    token.lemma = found
        if parses is None:
            return
        rels = self.rels
        for sent_id, (sent, (heads, rel_ids)) in enumerate(zip(nd.sents, parses, strict=True), 1):
            for index, (token, head_id, rel_id) in enumerate(
                zip(sent.tokens, heads, rel_ids, strict=True), 1
            ):
                token.id = f"{sent_id}_{index}"
                token.head_id = f"{sent_id}_{head_id}"
                token.rel = rels[rel_id]

    # --- NER ---------------------------------------------------------------------
    def ner_tag_ids(self, words: Sequence[str]) -> list[int]:
        """BIO tag ids for one document's words, tagged as one sequence."""
        word_id, shape_id, pad_mask = self.encoder.batch([words])
        x = _tag_model_forward(self.ner, self.ner_cnn, self.navec(word_id), shape_id, pad_mask)
        emissions = self.ner.head(x)[0]
        return viterbi(emissions, self.ner.head.crf.transitions.array)

    def tag_ner(self, nd: Any) -> None:
        """`Doc.tag_ner` on the tokens `nd.segment` found, without re-tokenising."""
        if not nd.text.strip() or not nd.tokens:
            nd.spans = []
            return
        names = self.ner_tags
        tags = [names[i] for i in self.ner_tag_ids([t.text for t in nd.tokens])]
        text = nd.text
        nd.spans = [
            DocSpan(s.start, s.stop, s.type, text[s.start : s.stop])
            for s in bio_spans(nd.tokens, tags)
        ]
        nd.envelop_span_tokens()
        nd.envelop_sent_spans()


def viterbi(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """slovnet's `CRF.decode` for one unpadded sequence.

    The same float32 sums in the same order ((score + transitions) + emission),
    and max() is the value argmax() picks, so the path is the one slovnet finds;
    one sequence needs no mask and no fancy indexing.
    """
    seq_len, tags_num = emissions.shape
    score = emissions[0]
    history = np.empty((max(seq_len - 1, 0), tags_num), dtype=np.intp)
    buf = np.empty((tags_num, tags_num), dtype=np.result_type(emissions, transitions))
    column = (tags_num, 1)
    for index in range(1, seq_len):
        np.add(score.reshape(column), transitions, out=buf)
        np.add(buf, emissions[index], out=buf)
        buf.argmax(0, out=history[index - 1])
        score = buf.max(0)
    best = int(score.argmax())
    path = [best]
    for row in history[::-1].tolist():
        best = row[best]
        path.append(best)
    path.reverse()
    return path


def spans_of(tokens: Sequence[Any], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """(start, stop, type) of the BIO tags over tokens, as slovnet reads them."""
    return [(s.start, s.stop, s.type) for s in bio_spans(tokens, tags)]


__all__ = ["FastSlovnet", "SharedEncoder", "VocabMismatch", "spans_of", "viterbi"]
