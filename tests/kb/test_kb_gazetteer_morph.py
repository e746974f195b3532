"""`load` and `kb sync` take the gazetteer's case forms from an on-disk cache, and
build them with pymorphy2 alone, not with natasha's vocabulary (whose neural models
take seconds to load): the index must come out the same every way."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.extract import gazetteer


def test_gazetteer_index_without_natasha_models_is_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from natasha import MorphVocab

    # pymorphy2 alone, even when another test loaded natasha's models already
    monkeypatch.setattr(gazetteer, "_morph", gazetteer._own_morph)
    own = gazetteer._build_index()
    vocab = MorphVocab()
    monkeypatch.setattr(gazetteer, "_morph", lambda: vocab)
    natasha = gazetteer._build_index()
    assert len(own.by_form) > 1000
    assert own == natasha


def test_gazetteer_cache_gives_the_built_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSFACTS_CACHE", str(tmp_path))
    built = gazetteer._build_index()
    gazetteer._index.cache_clear()
    try:
        first = gazetteer._index()  # builds and writes the cache
        [cached] = tmp_path.glob("gazetteer-*.json")
        gazetteer._index.cache_clear()
        assert gazetteer._index() == built == first
        cached.write_text("{broken", "utf-8")  # a damaged cache is rebuilt, not trusted
        gazetteer._index.cache_clear()
        assert gazetteer._index() == built
        assert gazetteer.lookup("Казахстане") == gazetteer.country("KZ")
    finally:
        gazetteer._index.cache_clear()


def test_shared_analyzer_parses_as_pymorphy2s_default() -> None:
    """nlp.morph names the dictionary by path (no pkg_resources look-up)."""
    import pymorphy2

    from newsfacts.nlp.morph import morph

    default = pymorphy2.MorphAnalyzer()
    words = [
        "Казахстане",
        "алматинская",
        "нур-султан",
        "послом",
        "встретился",
        "Досаева",
        "абырвалг",
        "МВД",
    ]
    for word in words:
        ours = [(p.word, str(p.tag), p.normal_form, p.score) for p in morph().parse(word.lower())]
        theirs = [(p.word, str(p.tag), p.normal_form, p.score) for p in default.parse(word.lower())]
        assert ours == theirs, word
