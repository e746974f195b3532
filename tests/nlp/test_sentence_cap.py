"""Run-on text is cut into sentences of bounded length (issue 12).

Syntax, NER and the per-sentence extractors grow with the square of a sentence's
length or worse, so a text with no sentence end must not reach them as one sentence.
"""

from __future__ import annotations

from typing import Any

from newsfacts.nlp.natasha_pipe import MAX_SENTENCE_TOKENS, analyse

CLAUSE = "аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти, "


def _check_pieces(nd: Any) -> None:
    assert all(len(sent.tokens) <= MAX_SENTENCE_TOKENS for sent in nd.sents)
    assert [t for sent in nd.sents for t in sent.tokens] == nd.tokens  # nothing lost
    for sent in nd.sents:
        assert sent.text == nd.text[sent.start : sent.stop]
        assert sent.start == sent.tokens[0].start and sent.stop == sent.tokens[-1].stop


def test_a_run_on_line_is_cut_after_commas(nlp_models: Any) -> None:
    nd = analyse(CLAUSE * 60)  # about 720 tokens, no sentence end
    _check_pieces(nd)
    assert len(nd.sents) >= 720 // MAX_SENTENCE_TOKENS
    assert all(sent.tokens[-1].text == "," for sent in nd.sents)


def test_a_line_without_punctuation_is_cut_at_the_limit(nlp_models: Any) -> None:
    nd = analyse("слово " * (3 * MAX_SENTENCE_TOKENS + 5))
    _check_pieces(nd)
    assert [len(s.tokens) for s in nd.sents] == [MAX_SENTENCE_TOKENS] * 3 + [5]


def test_news_sentences_are_kept_whole(nlp_models: Any) -> None:
    text = "Аким Алматы встретился с послом Италии. " + "Стороны обсудили, " * 20 + "итоги."
    nd = analyse(text)
    assert [s.text for s in nd.sents] == [
        "Аким Алматы встретился с послом Италии.",
        text.split(". ", 1)[1],
    ]
