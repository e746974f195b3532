"""`load` and `kb sync` build the gazetteer's case forms with pymorphy2 alone, not
with natasha's vocabulary (whose neural models take seconds to load): the index
must come out the same either way."""

from __future__ import annotations

import pytest

from newsfacts.extract import gazetteer


def test_gazetteer_index_without_natasha_models_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from natasha import MorphVocab

    gazetteer._index.cache_clear()
    try:
        # pymorphy2 alone, even when another test loaded natasha's models already
        monkeypatch.setattr(gazetteer, "_morph", gazetteer._own_morph)
        own = gazetteer._index()
        vocab = MorphVocab()
        monkeypatch.setattr(gazetteer, "_morph", lambda: vocab)
        gazetteer._index.cache_clear()
        natasha = gazetteer._index()
    finally:
        gazetteer._index.cache_clear()
    assert len(own.by_form) > 1000
    assert own == natasha
