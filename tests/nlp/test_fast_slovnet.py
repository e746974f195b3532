"""`analyse` must give exactly what natasha's stock calls give, only faster.

Each test runs the stock natasha calls (`Doc.segment`, `tag_morph`, `parse_syntax`,
`tag_ner`, `lemmatize`) next to our path and compares every token's morphology,
lemma, syntax and every NER span.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from natasha import Doc as NatashaDoc

from newsfacts.nlp import fast_slovnet
from newsfacts.nlp.natasha_pipe import analyse

# Our own short stories in the style of the seed (business and diplomatic news).
TEXTS = [
    "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Аланом Карлони. "
    "Стороны обсудили открытие прямого авиарейса Милан – Алматы в 2023 году.",
    "Национальный банк Казахстана повысил базовую ставку до 14,5%.\n"
    "Как сообщила пресс-служба регулятора, решение принято 5 декабря.",
    "Председатель правления АО «Самрук-Казына» Алмасадам Саткалиев заявил, что фонд "
    "готов профинансировать строительство ТЭЦ в Кокшетау. По его словам, проект "
    "обойдётся в 200 млрд тенге. Министр энергетики Узбекистана Журабек Мирзамахмудов "
    "посетил Астану. Ташкент и Астана подписали меморандум о сотрудничестве. "
    "Ранее «Казатомпром» сообщил о росте добычи урана на 10%. "
    "Компания KEGOC объявила о запуске новой линии. ЕБРР выделит кредит. "
    "Визит продлится три дня. Переговоры прошли в Бишкеке. "
    "Президент Киргизии Садыр Жапаров принял делегацию из Китая.",
    "Заголовок без точки\nПервый абзац сразу после заголовка, в нём Министерство "
    "иностранных дел Таджикистана.",
]


def stock(text: str, models: Any) -> Any:
    nd = NatashaDoc(text)
    nd.segment(models.segmenter)
    nd.tag_morph(models.morph_tagger)
    nd.parse_syntax(models.syntax_parser)
    nd.tag_ner(models.ner_tagger)
    for token in nd.tokens:
        token.lemmatize(models.morph_vocab)
    return nd


def layer(nd: Any) -> tuple[list[Any], list[Any], list[Any]]:
    tokens = [
        (t.start, t.stop, t.text, t.pos, t.feats, t.id, t.head_id, t.rel, t.lemma)
        for t in nd.tokens
    ]
    spans = [(s.start, s.stop, s.type, s.text, [t.text for t in s.tokens]) for s in nd.spans]
    sents = [(s.start, s.stop, [t.start for t in s.tokens], len(s.spans)) for s in nd.sents]
    return tokens, spans, sents


@pytest.mark.parametrize("text", TEXTS)
def test_analyse_equals_stock_natasha(text: str, nlp_models: Any) -> None:
    ours, theirs = layer(analyse(text)), layer(stock(text, nlp_models))
    assert ours[0] == theirs[0]  # tokens: morphology, syntax, lemmas
    assert ours[1] == theirs[1]  # NER spans
    assert ours[2] == theirs[2]  # sentences and what they envelop
    assert ours[1], "the fixtures name people, places or organisations"


def test_without_syntax_or_ner(nlp_models: Any) -> None:
    nd = analyse(TEXTS[0], syntax=False, ner=False)
    ref = stock(TEXTS[0], nlp_models)
    assert [(t.pos, t.feats, t.lemma) for t in nd.tokens] == [
        (t.pos, t.feats, t.lemma) for t in ref.tokens
    ]
    assert all(t.head_id is None for t in nd.tokens)
    assert nd.spans is None


def test_feats_are_per_token(nlp_models: Any) -> None:
    """natasha gives every token its own feats dict; one shared per tag would leak edits."""
    nd = analyse("Посол встретился с послом. Посол уехал.")
    first, again = nd.tokens[0], nd.tokens[5]
    assert first.feats == again.feats
    assert first.feats is not again.feats


@pytest.mark.parametrize("text", ["", "   \n  ", "…", "2023"])
def test_degenerate_texts(text: str, nlp_models: Any) -> None:
    nd = analyse(text)
    ref = stock(text, nlp_models) if text.strip() else None
    assert nd.spans == ([] if ref is None else [s for s in ref.spans])
    if ref is not None:
        assert layer(nd)[0] == layer(ref)[0]


def test_stock_fallback_gives_the_same(nlp_models: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = layer(analyse(TEXTS[2]))
    monkeypatch.setattr(nlp_models, "fast", None)
    assert layer(analyse(TEXTS[2])) == fast


def test_cnn_encoder_is_bit_identical(nlp_models: Any) -> None:
    """Random activations, padded rows included: the same float32 results to the bit."""
    rng = np.random.default_rng(7)
    model = nlp_models.syntax_parser.infer.model
    ours = fast_slovnet.CNNEncoder(model.encoder)
    for batch, seq_len in ((1, 1), (3, 2), (5, 17), (2, 40)):
        x = rng.standard_normal((batch, seq_len, 330)).astype(np.float32)
        pad = np.zeros((batch, seq_len), dtype=bool)
        pad[0, seq_len // 2 + 1 :] = True  # the first row is shorter
        x[pad] = 0  # padding embeddings are zero vectors in navec and the shape table
        expected = model.encoder(x, pad)
        got = ours(x.copy(), pad)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected)


def test_viterbi_equals_slovnet_crf(nlp_models: Any) -> None:
    crf = nlp_models.ner_tagger.infer.model.head.crf
    rng = np.random.default_rng(3)
    for seq_len in (1, 2, 9, 60):
        emissions = (rng.standard_normal((seq_len, 8)) * 4).astype(np.float32)
        mask = np.ones((1, seq_len), dtype=bool)
        expected = crf.decode(emissions[np.newaxis], mask)[0].tolist()
        assert fast_slovnet.viterbi(emissions, crf.transitions.array) == expected


def test_shared_encoder_refuses_different_vocabularies(nlp_models: Any) -> None:
    from slovnet.vocab import Vocab

    encoder = nlp_models.morph_tagger.infer.encoder

    class Other:
        words_vocab = Vocab(["<pad>", "<unk>", "астана"])
        shapes_vocab = encoder.shapes_vocab

    with pytest.raises(fast_slovnet.VocabMismatch):
        fast_slovnet.SharedEncoder([encoder, Other()])


def test_shared_encoder_matches_slovnet(nlp_models: Any) -> None:
    encoder = nlp_models.ner_tagger.infer.encoder
    shared = fast_slovnet.SharedEncoder([encoder])
    words = ["Алматы", "и", "Ташкент", "—", "2023", "KEGOC", "«", "Самрук-Казына"]
    word_ids, shape_ids = encoder.item(words)
    got_words, got_shapes, pad = shared.batch([words, words[:3]])
    assert got_words[0].tolist() == word_ids
    assert got_shapes[0].tolist() == shape_ids
    assert pad[1].tolist() == [False] * 3 + [True] * 5


def test_navec_lookup_equals_slovnet(nlp_models: Any) -> None:
    embedding = nlp_models.morph_tagger.infer.model.emb.word
    lookup = fast_slovnet.NavecLookup(embedding)
    rng = np.random.default_rng(11)
    for shape in ((1, 1), (4, 9), (8, 33)):
        word_id = rng.integers(0, embedding.indexes.array.shape[0], shape)
        expected = embedding(word_id)
        got = lookup(word_id)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected)
