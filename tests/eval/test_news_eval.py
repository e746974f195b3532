"""`newsfacts eval news`: the gold format is checked and each matching rule decides right.

The gold lines here are our own, written for these tests; the real batches in
data/news_gold are never scored by tests (each is scored once, blind, by the lead).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsfacts.cli import main as cli_main
from newsfacts.eval.news import evaluate, gold_views, record_views
from newsfacts.eval.news_gold import GoldText, NewsGoldError, check_line, load
from newsfacts.eval.news_match import Name, facts_match, name_match, overlap, phrase_match

ROOT = Path(__file__).resolve().parents[2]

TEXT = (
    "Айдос Касымов назначен акимом Жамбылской области. Ранее он возглавлял "
    "АО «Тараз Энерго». Касымов провёл встречу с послом Турции Мехметом Озаном. "
    "Стороны подписали меморандум о строительстве текстильной фабрики. "
    "Экспорт текстиля может вырасти до 40 млн долларов."
)
S = [s.strip() for s in re.findall(r"[^.]+\.", TEXT)]

ENTITIES = [
    {"type": "person", "name": "Айдос Касымов", "aliases": ["Касымов"]},
    {"type": "person", "name": "Мехмет Озан", "aliases": []},
    {"type": "location", "name": "Жамбылская область", "aliases": ["область"]},
    {"type": "location", "name": "Турция", "aliases": []},
    {"type": "organization", "name": "Тараз Энерго", "aliases": ["АО «Тараз Энерго»"]},
]
FACTS: list[dict[str, Any]] = [
    {
        "type": "occupation",
        "args": {"person": "Айдос Касымов", "position": "аким", "where": "Жамбылская область"},
        "phase": "start",
        "evidence": S[0],
    },
    {
        "type": "occupation",
        "args": {"person": "Айдос Касымов", "position": "руководитель", "where": "Тараз Энерго"},
        "phase": "past",
        "evidence": S[1],
    },
    {
        "type": "meeting",
        "args": {"participants": ["Айдос Касымов", "Мехмет Озан"], "place": None, "time": None},
        "evidence": S[2],
    },
    {
        "type": "deal",
        "args": {
            "parties": ["Айдос Касымов", "Мехмет Озан"],
            "signatories": [],
            "kind": "меморандум",
            "subject": "строительство текстильной фабрики",
        },
        "evidence": S[3],
    },
    {
        "type": "quantity",
        "args": {
            "indicator": "экспорт текстиля",
            "subjects": [],
            "value": 40000000,
            "unit": "USD",
            "qualifier": "le",
            "period": None,
            "change": None,
        },
        "modality": "possible",
        "evidence": S[4],
    },
]

CHANGE: dict[str, Any] = {
    **FACTS[4],
    "args": {
        **FACTS[4]["args"],
        "value": None,
        "unit": None,
        "qualifier": None,
        "change": {"value": 20, "unit": "%", "against": None},
    },
}


def gold_line(**over: Any) -> dict[str, Any]:
    line = {
        "id": "t-01",
        "batch": "t",
        "text": TEXT,
        "published": "2024-05-02",
        "entities": ENTITIES,
        "facts": FACTS,
    }
    line.update(over)
    return line


def span(sentence: str) -> list[list[int]]:
    start = TEXT.index(sentence)
    return [[start, start + len(sentence)]]


def record(facts: list[dict[str, Any]]) -> dict[str, Any]:
    """An extractor record as `Record.to_dict()` would print it."""
    return {
        "article": {"text": TEXT},
        "entities": [
            {"id": "E1", "type": "person", "name": "Касымов", "aliases": ["Касымов"]},
            {"id": "E2", "type": "person", "name": "Мехметом Озаном"},
            {"id": "E3", "type": "location", "name": "Жамбылская область"},
            {"id": "E4", "type": "location", "name": "Турция"},
        ],
        "facts": facts,
    }


def test_sentences_of_the_fixture_are_substrings() -> None:
    assert all(s in TEXT for s in S) and len(S) == 5


def test_the_doc_example_line_is_valid() -> None:
    doc = (ROOT / "docs" / "fact-labelling.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", doc, re.S).group(1))
    assert check_line(example, batch="b01") == []
    assert {f["type"] for f in example["facts"]} >= {"occupation", "meeting", "deal", "quantity"}


def test_check_line_names_every_problem() -> None:
    assert check_line(gold_line()) == []
    bad_facts = [
        {**FACTS[0], "phase": "appointed"},
        {**FACTS[1], "evidence": "Ранее он руководил компанией."},
        {**FACTS[2], "args": {"participants": ["Айдос Касымов", "Иван Петров"]}},
        {
            **FACTS[4],
            "args": {**FACTS[4]["args"], "period": "2023", "change": {"against": "2023"}},
        },
        {**FACTS[4], "modality": "maybe"},
    ]
    problems = "\n".join(check_line(gold_line(facts=bad_facts, published="02.05.2024")))
    assert "phase must be one of" in problems
    assert "evidence is not copied exactly" in problems
    assert "'Иван Петров' is not the name of an entity" in problems
    assert "change.against equals the period" in problems
    assert "modality must be one of" in problems
    assert "published must be YYYY-MM-DD" in problems


def test_load_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "t.jsonl").write_text(
        json.dumps(gold_line(), ensure_ascii=False) + "\n{broken\n", encoding="utf-8"
    )
    with pytest.raises(NewsGoldError, match=r"t\.jsonl:2: invalid JSON"):
        load(tmp_path)
    with pytest.raises(NewsGoldError, match="no such batch"):
        load(tmp_path, "b99")


def test_names_match_across_case_capitals_and_aliases() -> None:
    assert name_match("Абылкаир Скаков", "Абылкаира СКАКОВА")
    assert name_match("Ерболат Досаев", "Досаев")
    assert name_match(Name("Челябинский трубопрокатный завод", ["ЧТПЗ"]), "ЧТПЗ")
    assert not name_match("Казахстан", "Узбекистан")
    assert not name_match("Министерство иностранных дел Казахстана", "Казахстан")
    # a generic alias is compared as a whole, so it does not match every region
    assert not name_match(Name("Жамбылская область", ["область"]), "Туркестанская область")
    assert phrase_match("исполняющий обязанности акима", "аким")
    assert not phrase_match("аким", "министр")
    assert overlap("экспорт текстиля", "экспорт") and not overlap("экспорт", "импорт")


def _args(fact: dict[str, Any], pred_facts: list[dict[str, Any]]) -> tuple[Any, Any]:
    item = GoldText("t-01", "t", TEXT, "2024-05-02", ENTITIES, [fact])
    golds, _ = gold_views(item)
    preds, _ = record_views(record(pred_facts))
    return golds[0].args, preds[0].args


@pytest.mark.parametrize(
    ("gold", "pred", "expected"),
    [
        # the holder, not the appointer or another person, and a compatible post
        (FACTS[0], {"person": "E1", "position": "аким", "where": "E3"}, True),
        (FACTS[0], {"person": "E2", "position": "аким", "where": "E3"}, False),
        (FACTS[0], {"person": "E1", "position": "аким", "where": "E4"}, False),
        # a meeting needs both sides
        (FACTS[2], {"participants": ["E1", "E2"]}, True),
        (FACTS[2], {"participants": ["E1", "E4"]}, False),
        # a deal needs a side and the kind of document
        (FACTS[3], {"parties": ["E1", "E4"], "kind": "Deal", "trigger": "меморандум"}, True),
        (FACTS[3], {"parties": ["E3"], "object": "инвестиции", "trigger": "инвестиция"}, False),
        # a quantity: same figure and an overlapping indicator
        (FACTS[4], {"indicator": "экспорт", "value": 40000000, "unit": "USD"}, True),
        (FACTS[4], {"indicator": "импорт", "value": 40000000, "unit": "USD"}, False),
        (FACTS[4], {"indicator": "экспорт текстиля", "value": 40, "unit": "USD"}, False),
        # a change with no level: the change's value and unit
        (
            CHANGE,
            {"indicator": "экспорт", "value": None, "change": {"value": 20, "unit": "%"}},
            True,
        ),
        (
            CHANGE,
            {"indicator": "экспорт", "value": None, "change": {"value": 20, "unit": "x"}},
            False,
        ),
    ],
)
def test_matching_rules(gold: dict[str, Any], pred: dict[str, Any], expected: bool) -> None:
    g, p = _args(gold, [{"type": gold["type"], "args": pred}])
    assert facts_match(gold["type"], g, p) is expected


def test_occupation_without_a_place_needs_the_same_sentence() -> None:
    # «главы государства Нурлан Беков»: a post near the name is not every post he held
    g, p = _args(FACTS[1], [{"type": "occupation", "args": {"person": "E1", "position": "глава"}}])
    assert facts_match("occupation", g, p, evidence=True)
    assert not facts_match("occupation", g, p, evidence=False)


def test_evaluate_counts_recall_phase_modality_and_dumps_errors() -> None:
    item = GoldText("t-01", "t", TEXT, "2024-05-02", ENTITIES, FACTS)
    preds = [
        {  # the appointment, but with the wrong phase
            "type": "occupation",
            "args": {"person": "E1", "position": "аким", "where": "E3"},
            "phase": "end",
            "evidence": span(S[0]),
        },
        {"type": "meeting", "args": {"participants": ["E1", "E2"]}, "evidence": span(S[2])},
        {  # the figure, stored as a plain level
            "type": "quantity",
            "args": {"indicator": "экспорт текстиля", "value": 40000000, "unit": "USD"},
            "evidence": span(S[4]),
        },
        {  # the same figure again: one record per figure, so this copy is spurious
            "type": "quantity",
            "args": {"indicator": "экспорт", "value": 40000000, "unit": "USD"},
            "evidence": span(S[4]),
        },
    ]
    reports, dump = evaluate({"t": [item]}, runner=lambda _: record(preds))
    s = reports["t"].summary()
    assert s["overall"]["tp"] == 3 and s["overall"]["gold"] == 5 and s["overall"]["predicted"] == 4
    assert s["types"]["quantity"]["precision"] == 0.5
    assert s["appointment_recall"] == 1.0
    assert s["deal_recall"] == 0.0
    assert s["phase_accuracy"] == 0.0 and s["phase_confusion"] == {"start->end": 1}
    assert s["modality_accuracy"] == 0.0 and s["modality_confusion"] == {"possible->actual": 1}
    assert s["entities"]["tp"] == 4  # Тараз Энерго is not found
    assert s["entity_names_exact"] == 2  # «Касымов» and «Мехметом Озаном» are not normalized
    (entry,) = dump
    assert [f["type"] for f in entry["missed"]] == ["occupation", "deal"]
    assert entry["spurious"][0]["evidence"] == [S[4]]
    assert entry["wrong_phase"][0]["pred"]["phase"] == "end"
    assert entry["entities_missed"] == ["Тараз Энерго"]


def test_cli_check_and_a_real_run_write_the_dump(tmp_path: Path, capsys: Any) -> None:
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / "t.jsonl").write_text(json.dumps(gold_line(), ensure_ascii=False) + "\n", "utf-8")
    assert cli_main(["eval", "news", "--data", str(gold), "--check"]) == 0
    assert "1 texts, 5 facts: format OK" in capsys.readouterr().out
    out = tmp_path / "out"
    assert cli_main(["eval", "news", "--data", str(gold), "--out", str(out)]) == 0
    scores = json.loads((out / "news_scores.json").read_text("utf-8"))
    assert scores["t"]["texts"] == 1 and scores["t"]["failed"] == 0
    assert scores["t"]["overall"]["gold"] == 5
    (entry,) = [json.loads(x) for x in (out / "news_errors.jsonl").read_text("utf-8").splitlines()]
    assert entry["id"] == "t-01" and "missed" in entry and "spurious" in entry
