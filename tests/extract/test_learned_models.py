"""The learned models of issue 10: multi-class scorer, post/event tagger, place and
participant classifiers, and how the extractor uses the place classifier.

Sentences are our own, written for these tests; no corpus text.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsfacts.extract.learned import linear, multiclass
from newsfacts.extract.learned.linear import ModelError
from newsfacts.extract.learned.multiclass import MulticlassModel
from newsfacts.extract.learned.tagger import decode

MODELS = Path(__file__).resolve().parents[2] / "src/newsfacts/data/models"
BASE = ("natasha", "entities", "coref", "dates")

# --------------------------------------------------------------------------- scorer


def test_multiclass_reproduces_sklearn(tmp_path: Path) -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rng = random.Random(3)
    words = [f"w{i}" for i in range(10)]
    xs, ys = [], []
    for _ in range(400):
        x = rng.sample(words, 3)
        xs.append({w: 1.0 for w in x})
        ys.append("A" if "w1" in x else "B" if "w2" in x else "C")
    vec = DictVectorizer(sparse=False)
    clf = LogisticRegression(C=1.0, max_iter=500, random_state=0).fit(vec.fit_transform(xs), ys)
    names = vec.get_feature_names_out()
    model = MulticlassModel(
        [str(c) for c in clf.classes_],
        {str(n): [float(v) for v in clf.coef_[:, j]] for j, n in enumerate(names)},
        [float(v) for v in clf.intercept_],
    )
    model.save(tmp_path / "m.json")
    loaded = multiclass.load(tmp_path / "m.json")
    tests = [rng.sample(words, 3) for _ in range(30)] + [["unknown", "w1"]]
    expected = clf.predict_proba(vec.transform([{w: 1.0 for w in t} for t in tests]))
    for t, row in zip(tests, expected, strict=True):
        got = loaded.probabilities(t)
        assert got == pytest.approx(list(row), abs=1e-9)
        assert loaded.predict(t) == clf.classes_[row.argmax()]


@pytest.mark.parametrize(
    "data",
    [
        {"format": "other"},
        {"format": multiclass.FORMAT, "classes": ["a", "b"], "intercepts": [0.0]},
        {
            "format": multiclass.FORMAT,
            "classes": ["a", "b"],
            "intercepts": [0.0, 0.0],
            "weights": {"f": [1.0]},
        },
        {
            "format": multiclass.FORMAT,
            "classes": ["a", "b"],
            "intercepts": [0.0, float("nan")],
            "weights": {},
        },
    ],
)
def test_multiclass_rejects_bad_files(tmp_path: Path, data: dict) -> None:
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError):
        multiclass.load(p)


def test_decode_bio() -> None:
    tags = ["O", "B-POST", "I-POST", "O", "I-EVENT", "I-EVENT", "B-POST", "B-POST", "I-EVENT"]
    assert decode(tags) == [
        (1, 2, "POST"),
        (4, 5, "EVENT"),
        (6, 6, "POST"),
        (7, 7, "POST"),
        (8, 8, "EVENT"),
    ]


def test_shipped_models_load_and_are_small() -> None:
    tagger = multiclass.packaged("post_event_tagger")
    assert set(tagger.classes) == {"O", "B-POST", "I-POST", "B-EVENT", "I-EVENT"}
    for name in ("occupation_places", "event_participants"):
        m = linear.packaged(name)
        assert 0 < m.threshold < 1 and m.meta["trained_on"] == "NEREL 1.1 train"
    for f in ("post_event_tagger", "occupation_places", "event_participants"):
        assert (MODELS / f"{f}.json").stat().st_size < 3_000_000


# --------------------------------------------------------------------------- on text


def _sents(nlp_doc, text: str, components=BASE):  # type: ignore[no-untyped-def]
    from newsfacts.extract.grammars.tokens import sentences

    doc = nlp_doc(text, None, components)
    return doc, sentences(doc)


def test_tagger_marks_post_and_event(nlp_doc) -> None:  # type: ignore[no-untyped-def]
    from newsfacts.extract.learned.tagger import tag_sentence
    from newsfacts.extract.occupation_posts import find_chunks

    _, sents = _sents(
        nlp_doc, "Министр энергетики Казахстана Болат Акчулаков провёл совещание с инвесторами."
    )
    sent = sents[0]
    spans = tag_sentence(sent, find_chunks(sent), multiclass.packaged("post_event_tagger"))
    words = {(lab, " ".join(t.text for t in sent.tokens[a : b + 1])) for a, b, lab in spans}
    assert ("POST", "Министр энергетики Казахстана") in words
    assert ("EVENT", "совещание") in words
    assert not any("Акчулаков" in w for _, w in words)


def test_participants_of_talks_not_their_venue(nlp_doc) -> None:  # type: ignore[no-untyped-def]
    from newsfacts.extract.learned.events import event_candidates, rule_roles
    from newsfacts.extract.learned.relfeats import sent_info

    doc, sents = _sents(
        nlp_doc,
        "Министр иностранных дел Казахстана Мухтар Тлеуберди провёл переговоры "
        "с Энтони Блинкеном в Вашингтоне.",
        (*BASE, "occupation", "meeting"),
    )
    sent = sents[0]
    k = next(i for i, t in enumerate(sent.tokens) if t.text == "переговоры")
    model = linear.packaged("event_participants")
    probs: dict[str, float] = {}
    for c in event_candidates(sent_info(sent), (k, k), rule_roles(doc.facts)):
        name = c.mention[2].name
        probs[name] = max(probs.get(name, 0.0), model.probability(c.features))
    assert probs["Энтони Блинкен"] >= model.threshold
    assert probs["Мухтар Тлеуберди"] >= model.threshold
    assert probs["Вашингтон"] < model.threshold


# --------------------------------------------------------------------------- in the extractor


@pytest.fixture
def learned_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The place classifier and tagger posts, shipped switched off (BENCHMARKS §11)."""
    from newsfacts.extract import occupation as occ

    monkeypatch.setattr(occ, "USE_PLACES", True)
    monkeypatch.setattr(occ, "USE_TAGGER", True)


def _occupations(nlp_doc, text: str, learned: bool) -> list[tuple]:  # type: ignore[no-untyped-def]
    from newsfacts.extract import occupation as occ

    doc = nlp_doc(text, None, BASE)
    ents = {e.id: e.name for e in doc.entities}
    return [
        (ents[f.args["person"]], f.args["position"], ents.get(f.args.get("where")))
        for f in occ.extract_occupations(doc, learned=learned)
    ]


def test_place_classifier_finds_the_company_before_the_post(nlp_doc, learned_on) -> None:  # type: ignore[no-untyped-def]
    text = "В компании «Казахтелеком» директором по развитию работает Иван Петров."
    assert _occupations(nlp_doc, text, learned=False) == [("Иван Петров", "директор", None)]
    assert _occupations(nlp_doc, text, learned=True) == [
        ("Иван Петров", "директор", "Казахтелеком")
    ]


def test_tagged_post_outside_the_lexicon_needs_a_place(nlp_doc, learned_on) -> None:  # type: ignore[no-untyped-def]
    from newsfacts.extract.grammars.lexicon import POSITION_HEADS

    assert "шахматистка" not in POSITION_HEADS
    placed = "Шахматистка сборной Казахстана Айгерим Сарсенова выиграла турнир."
    assert _occupations(nlp_doc, placed, learned=False) == []
    assert _occupations(nlp_doc, placed, learned=True) == [
        ("Айгерим Сарсенова", "шахматистка", "сборная Казахстана")
    ]
    # no place in the sentence: FactRuEval and analysts count no such post
    assert _occupations(nlp_doc, "Шахматистка Айгерим Сарсенова выиграла турнир.", True) == []


def test_learned_places_and_posts_are_off_by_default(nlp_doc) -> None:  # type: ignore[no-untyped-def]
    text = "Шахматистка сборной Казахстана Айгерим Сарсенова выиграла турнир."
    assert _occupations(nlp_doc, text, learned=True) == []
