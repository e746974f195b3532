"""The syntax parser sometimes emits head cycles; tree walks must still end."""

from __future__ import annotations

from collections.abc import Callable

from newsfacts.extract.clauses import Sent, conjuncts
from newsfacts.pipeline import Doc


def cyclic_sentence(nlp_doc: Callable[..., Doc]) -> Sent:
    doc = nlp_doc(
        "Стороны обсудили энергетику, транспорт и сельское хозяйство.", components=["natasha"]
    )
    tokens = list(doc.nlp.sents[0].tokens)
    words = [t for t in tokens if t.pos != "PUNCT"]
    # Make every word the head of the next one and close the loop, all as conj.
    for a, b in zip(words, words[1:] + words[:1], strict=True):
        b.head_id, b.rel = a.id, "conj"
    return Sent(doc, tokens)


def test_subtree_and_conjuncts_end_on_a_head_cycle(nlp_doc: Callable[..., Doc]) -> None:
    sent = cyclic_sentence(nlp_doc)
    words = [t for t in sent.tokens if t.pos != "PUNCT"]
    subtree = sent.subtree(words[0], stop_rels=set())
    assert len(subtree) == len({t.id for t in subtree}) <= len(sent.tokens)
    assert {t.id for t in words} <= {t.id for t in subtree}
    for tok in words:
        found = conjuncts(sent, tok)
        assert len(found) == len({t.id for t in found})
