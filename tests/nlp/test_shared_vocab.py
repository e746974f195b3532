"""natasha's three slovnet models load their common vocabulary once (issue 13:
model loading is on the serial start of every ingest), with the same items slovnet's
own loader gives each model."""

from __future__ import annotations

import os
from typing import Any

import natasha
from slovnet.const import SHAPE, TAG, WORD
from slovnet.exec.pack import Pack

from newsfacts.nlp.natasha_pipe import one_vocab_per_content

MODELS = os.path.join(os.path.dirname(natasha.__file__), "data", "model")


def _packs() -> list[str]:
    return sorted(os.path.join(MODELS, name) for name in os.listdir(MODELS))


def _kinds(path: str) -> tuple[str, ...]:
    """Words, shapes and, but for the syntax model (relations), tags."""
    return (WORD, SHAPE) if "syntax" in os.path.basename(path) else (WORD, SHAPE, TAG)


def test_the_models_share_one_word_vocabulary(nlp_models: Any) -> None:
    encoders = [
        nlp_models.morph_tagger.infer.encoder,
        nlp_models.syntax_parser.infer.encoder,
        nlp_models.ner_tagger.infer.encoder,
    ]
    assert all(e.words_vocab is encoders[0].words_vocab for e in encoders)
    assert all(e.shapes_vocab is encoders[0].shapes_vocab for e in encoders)
    assert len(encoders[0].words_vocab) > 100_000


def test_shared_vocabularies_equal_slovnets_own() -> None:
    stock = []
    for path in _packs():
        with Pack(path) as pack:
            stock.append([pack.load_vocab(kind) for kind in _kinds(path)])
    shared = []
    with one_vocab_per_content():
        for path in _packs():
            with Pack(path) as pack:
                shared.append([pack.load_vocab(kind) for kind in _kinds(path)])
    for mine, theirs in zip(shared, stock, strict=True):
        for a, b in zip(mine, theirs, strict=True):
            assert a.items == b.items and a.item_ids == b.item_ids
            assert (a.unk_id, a.pad_id) == (b.unk_id, b.pad_id)
    assert shared[0][0] is shared[1][0] is shared[2][0]  # one word vocabulary
    assert shared[0][2].items != shared[1][2].items  # morphology and NER keep their tags
    with Pack(_packs()[0]) as pack:  # and slovnet's loader is back afterwards
        assert pack.load_vocab(WORD) is not shared[0][0]
