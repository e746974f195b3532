"""NEREL scoring on a brat file of our own."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from eval_gold_fixtures import SHARED

from newsfacts.eval import nerel, nerel_predictions

TEXT = "Министр финансов Казахстана Ерулан Жамаубаев посетил Ташкент 5 мая."
ANN = (
    "T1\tPROFESSION 0 16\tМинистр финансов\n"
    "T2\tCOUNTRY 17 27\tКазахстана\n"
    "T3\tPERSON 28 44\tЕрулан Жамаубаев\n"
    "T4\tCITY 53 60\tТашкент\n"
    "T5\tDATE 61 66\t5 мая\n"
    "T6\tORGANIZATION 0 27;28 28\tМинистр финансов Казахстана\n"
    "R1\tWORKS_AS Arg1:T3 Arg2:T1\t\n"
    "R2\tWORKPLACE Arg1:T3 Arg2:T2\n"
    "N1\tReference T2 Wikidata:Q232\tКазахстан\n"
)


def test_read_ann(tmp_path: Path) -> None:
    (tmp_path / "a.ann").write_text(ANN, encoding="utf-8")
    ann = nerel.read_ann(tmp_path / "a.ann")
    assert nerel.Mention("PERSON", 28, 44) in ann.mentions
    assert nerel.Mention("ORGANIZATION", 0, 28) in ann.mentions  # outer extent
    assert ann.relations == [
        nerel.Relation("WORKS_AS", (28, 44), (0, 16)),
        nerel.Relation("WORKPLACE", (28, 44), (17, 27)),
    ]
    assert TEXT[28:44] == "Ерулан Жамаубаев"


def test_bad_ann_line_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "b.ann").write_text("T1\tPERSON x y\tИван\n", encoding="utf-8")
    with pytest.raises(nerel.NerelError, match="b.ann:1"):
        nerel.read_ann(tmp_path / "b.ann")


def test_exact_and_relaxed_entity_scores() -> None:
    gold = [nerel.Mention("PERSON", 28, 44), nerel.Mention("CITY", 53, 60)]
    pred = [
        nerel.Mention("PERSON", 35, 44),  # surname only: overlap, not exact
        nerel.Mention("CITY", 53, 60),
        nerel.Mention("CITY", 0, 7),  # spurious
    ]
    exact = nerel.score_mentions(gold, pred, ("PERSON", "CITY", "MONEY"), relaxed=False)
    assert (exact["PERSON"].tp_gold, exact["PERSON"].n_pred) == (0, 1)
    assert exact["CITY"].precision == pytest.approx(1 / 2)
    assert exact["CITY"].recall == pytest.approx(1.0)
    assert exact["MONEY"].f1 == 1.0  # nothing to find, nothing found
    relaxed = nerel.score_mentions(gold, pred, ("PERSON",), relaxed=True)
    assert relaxed["PERSON"].f1 == pytest.approx(1.0)


def test_relations_need_both_arguments() -> None:
    gold = [nerel.Relation("WORKS_AS", (28, 44), (0, 16))]
    pred = [
        nerel.Relation("WORKS_AS", (28, 44), (0, 7)),  # "Министр" only
        nerel.Relation("WORKPLACE", (28, 44), (53, 60)),
    ]
    exact = nerel.score_relations(gold, pred, nerel.RELATION_TYPES, relaxed=False)
    assert exact["WORKS_AS"].tp_gold == 0
    assert exact["WORKPLACE"].precision == 0.0
    relaxed = nerel.score_relations(gold, pred, nerel.RELATION_TYPES, relaxed=True)
    assert relaxed["WORKS_AS"].f1 == pytest.approx(1.0)


def test_locate_finds_inflected_position() -> None:
    text = "Его назначили министром финансов в мае."
    assert nerel.locate(text, (0, len(text)), "министр финансов") == (14, 32)
    assert nerel.locate(text, (0, 10), "министр финансов") is None
    assert nerel.locate(text, (0, len(text)), "посол") is None


def test_position_span_prefers_what_the_extractor_saw() -> None:
    text = "Министра финансов Казахстана Жамаубаева встретили в Ташкенте."
    whole = [(0, len(text))]
    seen = {"position": "министр финансов", "position_text": "Министра финансов Казахстана"}
    assert nerel.position_span(text, seen, whole) == (0, 28)
    assert nerel.position_span(text, {"position": "министр финансов"}, whole) == (0, 17)
    assert nerel.position_span(text, {"position_span": [0, 8]}, whole) == (0, 8)
    assert nerel.position_span(text, {"position": "аким"}, whole) is None


def test_predictions_from_our_record() -> None:
    ents = [
        SimpleNamespace(
            id="E1", type="person", name="Ерулан Жамаубаев", subtype=None, mentions=[(28, 44)]
        ),
        SimpleNamespace(
            id="E2", type="location", name="Казахстан", subtype="country", mentions=[(17, 27)]
        ),
        SimpleNamespace(
            id="E3", type="location", name="Ташкент", subtype="city", mentions=[(53, 60)]
        ),
    ]
    doc = SimpleNamespace(
        text=TEXT,
        entities=ents,
        mentions=[],
        dates=[SimpleNamespace(start=61, end=66)],
        facts=[
            SimpleNamespace(
                type="occupation",
                evidence=[(0, 52)],
                args={"person": "E1", "position": "министр финансов", "where": "E2"},
            ),
            SimpleNamespace(
                type="quantity",
                evidence=[(0, 66)],
                args={"value": 5, "unit": "%", "value_span": [61, 62]},
            ),
        ],
        entity=lambda i: next((e for e in ents if e.id == i), None),
    )
    ann = nerel.predictions(doc)
    assert set(ann.mentions) == {
        nerel.Mention("PERSON", 28, 44),
        nerel.Mention("COUNTRY", 17, 27),
        nerel.Mention("CITY", 53, 60),
        nerel.Mention("DATE", 61, 66),
        nerel.Mention("PROFESSION", 0, 16),
        nerel.Mention("PERCENT", 61, 62),
    }
    assert set(ann.relations) == {
        nerel.Relation("WORKS_AS", (28, 44), (0, 16)),
        nerel.Relation("WORKPLACE", (28, 44), (17, 27)),
    }
    # Against the gold above: both relations exact.
    gold = nerel.Annotation(
        relations=[
            nerel.Relation("WORKS_AS", (28, 44), (0, 16)),
            nerel.Relation("WORKPLACE", (28, 44), (17, 27)),
        ]
    )
    rel = nerel.score_relations(gold.relations, ann.relations, nerel.RELATION_TYPES, relaxed=False)
    assert rel["WORKS_AS"].f1 == rel["WORKPLACE"].f1 == pytest.approx(1.0)


def test_command_runs_on_a_brat_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "doc1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "doc1.ann").write_text(ANN, encoding="utf-8")
    (tmp_path / "orphan.txt").write_text("Без разметки.", encoding="utf-8")
    out = tmp_path / "out"
    assert nerel.run(tmp_path, out) == 0
    printed = capsys.readouterr().out
    assert "NEREL: 1 documents" in printed
    for label in ("PROFESSION", "MONEY", "WORKS_AS", "natasha NER baseline"):
        assert label in printed
    assert (out / "nerel-scores.json").exists()


def test_command_rejects_folder_without_annotations(tmp_path: Path) -> None:
    with pytest.raises(nerel.NerelError, match="no .txt files with a matching .ann"):
        nerel.evaluate(tmp_path)


@pytest.mark.slow
def test_nerel_dev_sample() -> None:
    dev = SHARED / "nerel-1.1" / "dev"
    if not dev.is_dir():
        pytest.skip("shared NEREL dev data not available")
    totals = nerel.evaluate(dev, limit=3)
    assert totals.docs == 3
    assert totals.base_exact["PERSON"].n_gold > 0
    assert totals.base_exact["PERSON"].recall > 0.5  # natasha finds most people
    assert totals.exact["PERSON"].n_pred > 0


def test_person_argument_is_the_name_not_the_resolved_post() -> None:
    # coreference also gives the person a nominal mention over "Министр финансов"; the
    # relation's person argument must be the name NEREL annotates, not the post
    person = SimpleNamespace(id="E1", type="person", mentions=[(28, 44)])
    doc = SimpleNamespace(
        mentions=[
            SimpleNamespace(start=0, end=16, entity_id="E1", kind="nominal"),
            SimpleNamespace(start=28, end=44, entity_id="E1", kind="name"),
        ],
        entity=lambda i: person if i == "E1" else None,
    )
    assert nerel_predictions._mention_near(doc, "E1", (0, 16), [(0, 66)]) == (28, 44)
