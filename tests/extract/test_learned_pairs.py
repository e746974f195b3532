"""The learned occupation pairs: JSON scorer, shipped model, pipeline integration.

Sentences are our own, written for these tests in the style of Central Asian business
news; no corpus text.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsfacts.extract import occupation as occ
from newsfacts.extract.grammars.tokens import Sent, sentences
from newsfacts.extract.learned import linear
from newsfacts.extract.learned.linear import LinearModel, ModelError
from newsfacts.extract.learned.pairs import dep_path, sent_info, sentence_candidates

OCC = ("natasha", "entities", "coref", "dates")
MODEL_FILE = Path(__file__).resolve().parents[2] / "src/newsfacts/data/models/occupation_pairs.json"


# --------------------------------------------------------------------------- scorer


def _synthetic(n: int, rng: random.Random) -> tuple[list[dict[str, float]], list[int]]:
    words = [f"w{i}" for i in range(12)]
    xs, ys = [], []
    for _ in range(n):
        x = {w: 1.0 for w in rng.sample(words, 4)}
        x["gap_log"] = rng.random()
        score = x.get("w1", 0) + x.get("w2", 0) - x.get("w3", 0) - x["gap_log"]
        xs.append(x)
        ys.append(int(score + rng.gauss(0, 0.5) > 0.3))
    return xs, ys


def test_json_scorer_reproduces_sklearn_predict_proba(tmp_path: Path) -> None:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rng = random.Random(7)
    xs, ys = _synthetic(300, rng)
    vec = DictVectorizer(sparse=False)
    clf = LogisticRegression(C=1.0, random_state=0).fit(vec.fit_transform(xs), ys)
    names = vec.get_feature_names_out()
    model = LinearModel(
        weights={str(n): float(w) for n, w in zip(names, clf.coef_[0], strict=True)},
        intercept=float(clf.intercept_[0]),
        threshold=0.5,
    )
    model.save(tmp_path / "m.json")
    loaded = linear.load(tmp_path / "m.json")
    tests, _ = _synthetic(50, rng)
    tests.append({"never_seen_feature": 1.0, "w1": 1.0})  # unknown features weigh nothing
    expected = clf.predict_proba(vec.transform(tests))[:, 1]
    for x, want in zip(tests, expected, strict=True):
        assert loaded.probability(x) == pytest.approx(want, abs=1e-9)
        assert loaded.accepts(x) == (want >= 0.5)


def test_sigmoid_does_not_overflow() -> None:
    model = LinearModel(weights={"a": 1000.0}, intercept=0.0)
    assert model.probability({"a": 1.0}) == pytest.approx(1.0)
    assert model.probability({"a": -1.0}) == pytest.approx(0.0)


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json {", "not a JSON model file"),
        ("[1, 2]", "expected a JSON object"),
        ('{"format": "pickle", "weights": {}, "intercept": 0}', "format is 'pickle'"),
        ('{"format": "newsfacts-linear/1", "intercept": 0}', "bad or missing field"),
        (
            '{"format": "newsfacts-linear/1", "weights": {"a": "x"}, "intercept": 0}',
            "bad or missing field",
        ),
        (
            '{"format": "newsfacts-linear/1", "weights": {"a": NaN}, "intercept": 0}',
            "non-finite",
        ),
        (
            '{"format": "newsfacts-linear/1", "weights": {}, "intercept": 0, "threshold": 2}',
            "not in [0, 1]",
        ),
        (
            '{"format": "newsfacts-linear/1", "weights": {}, "intercept": 0,'
            ' "thresholds": {"unplaced": -1}}',
            "unplaced -1.0 is not in [0, 1]",
        ),
    ],
)
def test_bad_model_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ModelError) as err:
        linear.load(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read"):
        linear.load(tmp_path / "absent.json")


# --------------------------------------------------------------------------- shipped model


def test_shipped_model_loads_with_sane_metadata() -> None:
    model = linear.packaged("occupation_pairs")
    assert MODEL_FILE.stat().st_size < 200_000
    assert 0.0 < model.threshold < 1.0
    assert set(model.thresholds) <= {"unplaced"}
    assert all(0.0 <= t <= 1.0 for t in model.thresholds.values())
    assert len(model.weights) == model.meta["features_kept"] > 100
    assert model.meta["features_kept"] <= model.meta["features_total"]
    assert "NEREL" in model.meta["trained_on"] and "train" in model.meta["trained_on"]
    assert "dev" in model.meta["threshold_from"]
    assert all(
        math.isfinite(w) and abs(w) >= model.meta["pruned_below"] for w in model.weights.values()
    )
    # the weights a reader would expect: a clean adjacent pair scores above a pair
    # with another person between
    assert model.weights.get("btw_persons=0", 0) > model.weights.get("btw_persons=1", 0)
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert data["format"] == linear.FORMAT


# --------------------------------------------------------------------------- features


def _tok(i: int, head: int, rel: str = "dep") -> SimpleNamespace:
    return SimpleNamespace(
        id=f"1_{i}",
        head_id=f"1_{head}",
        rel=rel,
        pos="NOUN",
        feats={},
        lemma=f"w{i}",
        text=f"w{i}",
        start=3 * i,
        stop=3 * i + 2,
    )


def test_dependency_path_survives_head_cycles() -> None:
    # 1 -> 2 -> 3 -> 1: a cycle the parser can emit; 4 hangs under 3
    toks = [_tok(1, 2), _tok(2, 3), _tok(3, 1), _tok(4, 3)]
    sent = Sent(start=0, stop=12, tokens=toks, index={t.id: i for i, t in enumerate(toks)})
    info = sent_info(sent, [])
    path, lca = dep_path(info, 0, 3)
    assert lca is not None and len(path) <= 4


# --------------------------------------------------------------------------- in the pipeline


@pytest.fixture(scope="module")
def occupation_doc(nlp_doc):
    def make(text: str):
        return nlp_doc(text, published="2024-03-01", components=OCC)

    return make


def _facts(doc, learned: bool) -> list:
    return occ.extract_occupations(doc, learned=learned)


# a participle clause between the name and the post: none of the rule shapes
PARTICIPLE = (
    # a relative clause: the rules read participles ("занимающего пост"), not "который"
    "По словам Даурена Абаева, который занимает пост министра информации Казахстана, "
    "новый закон вступит в силу летом."
)
APPOSITION_AFTER_CLAUSE = "Сделку одобрил Нурлан Ногаев, в прошлом аким Атырауской области."


@pytest.mark.parametrize(
    ("text", "person", "post", "place"),
    [
        (PARTICIPLE, "Даурен Абаев", "министр", "Казахстан"),
        (APPOSITION_AFTER_CLAUSE, "Нурлан Ногаев", "аким", "Атырау"),
    ],
)
def test_classifier_finds_a_pair_the_rules_miss(
    occupation_doc, text: str, person: str, post: str, place: str
) -> None:
    doc = occupation_doc(text)
    assert not any(doc.entity(f.args["person"]).name == person for f in _facts(doc, learned=False))
    learned = [f for f in _facts(doc, learned=True) if f.args.get("method") == "learned"]
    assert len(learned) == 1
    fact = learned[0]
    assert doc.entity(fact.args["person"]).name == person
    assert fact.args["position"].startswith(post)
    assert doc.entity(fact.args["where"]).name.startswith(place)
    model = occ.occupation_model()
    assert model is not None and model.threshold <= fact.confidence <= 1.0
    assert fact.evidence == [(0, len(text))]  # the sentence


def test_distant_unrelated_pair_is_not_found(occupation_doc) -> None:
    text = (
        "Марк Янссенс рассказал журналистам о поездке, а Айгерим Сапарова напомнила, "
        "что выставку открывал министр культуры Казахстана."
    )
    doc = occupation_doc(text)
    assert _facts(doc, learned=True) == []


def test_post_the_rules_gave_a_holder_gets_no_second_one(occupation_doc) -> None:
    text = (
        "Аким Алматы Ерболат Досаев открыл выставку, а после обеда гости, среди которых "
        "был и турист из Бельгии Марк Янссенс, осмотрели старый город."
    )
    doc = occupation_doc(text)
    facts = _facts(doc, learned=True)
    assert {doc.entity(f.args["person"]).name for f in facts} == {"Ерболат Досаев"}
    assert all(f.args.get("method") != "learned" for f in facts)


def test_candidates_cover_every_person_post_pair(occupation_doc) -> None:
    doc = occupation_doc(
        "Посол Италии Марко Альберти встретился с министром торговли Казахстана Арманом Шаккалиевым."
    )
    total = 0
    for sent in sentences(doc):
        chunks = occ.find_chunks(sent)
        cands = sentence_candidates(sent, chunks)
        persons = {c.person[:2] for c in cands}
        total += len(cands)
        assert len(cands) == len(persons) * len(chunks)
        for c in cands:
            assert ("post_first" in c.features) != ("person_first" in c.features)
    assert total == 4


def test_a_post_gets_at_most_one_learned_holder(occupation_doc) -> None:
    text = (
        "Марк Янссенс рассказал журналистам о поездке, а Айгерим Сапарова напомнила, "
        "что выставку открывал министр культуры Казахстана."
    )
    doc = occupation_doc(text)
    # a hand-made model that accepts every pair and prefers the nearer name
    eager = LinearModel(weights={"nearest_person=True": 1.0}, intercept=5.0, threshold=0.5)
    facts = occ.learned_facts(doc, occ.rule_facts(doc), eager)
    assert len(facts) == 1
    assert doc.entity(facts[0].args["person"]).name == "Айгерим Сапарова"
    assert facts[0].confidence == pytest.approx(
        eager.probability({"nearest_person=True": 1}), abs=1e-3
    )
