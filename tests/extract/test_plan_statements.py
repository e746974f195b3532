"""Plan facts: impersonal planning, one plan per coordinated action, own time each."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.extract.plan import extract_plans
from newsfacts.model import Fact
from newsfacts.pipeline import Doc, TimeExpr

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"
NO_DATES = ("natasha", "entities", "coref")


def plans(doc: Doc) -> list[Fact]:
    extract_plans(doc)
    return [f for f in doc.facts if f.type == "plan"]


def test_two_coordinated_plans_keep_their_own_time(nlp_doc) -> None:
    text = (
        "В Туркестане планируется строительство нового аэропорта и открытие "
        "в декабре туристического центра."
    )
    doc = nlp_doc(text, published="2023-03-15", components=NO_DATES)
    # the dates layer is someone else's: give this test its own resolved date
    at = text.index("в декабре")
    doc.dates.append(TimeExpr(at, at + len("в декабре"), "в декабре", "2023-12"))
    facts = plans(doc)
    assert len(facts) == 2
    first, second = facts
    assert first.args["agent"] is None
    assert (first.args["action"], first.args["object"]) == ("строительство", "новый аэропорт")
    assert "time" not in first.args
    assert (second.args["action"], second.args["object"]) == ("открытие", "туристический центр")
    assert second.args["time"] == "2023-12"
    for fact in facts:
        assert doc.entity(fact.args["place"]).name == "Туркестан"


def test_infinitive_plan(nlp_doc) -> None:
    doc = nlp_doc("Открыть центр в Актау планируется до конца года.", components=NO_DATES)
    facts = plans(doc)
    assert len(facts) == 1
    assert facts[0].args["action"] == "открыть"
    assert facts[0].args["object"] == "центр"
    assert doc.entity(facts[0].args["place"]).name == "Актау"


def test_subject_of_a_planned_infinitive_is_its_object(nlp_doc) -> None:
    facts = plans(
        nlp_doc("Этот процесс планируется полностью завершить к 2026 году.", components=NO_DATES)
    )
    assert [(f.args["action"], f.args["object"]) for f in facts] == [("завершить", "Этот процесс")]


def test_passive_participle_plan(nlp_doc) -> None:
    doc = nlp_doc(
        "На апрель запланировано подписание соглашения о строительстве моста.", components=NO_DATES
    )
    facts = plans(doc)
    assert [f.args["action"] for f in facts] == ["подписание"]
    assert facts[0].args["object"].startswith("соглашение")


@pytest.mark.parametrize(
    "text",
    [
        "Планировка квартир изменилась.",
        "Строительство моста не планируется.",
    ],
)
def test_not_a_plan(nlp_doc, text: str) -> None:
    assert plans(nlp_doc(text, components=NO_DATES)) == []


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not there")
def test_seed_cultural_centre_and_september_exhibition(nlp_doc) -> None:
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import read_path

    article = clean(next(iter(read_path(SEED))))
    doc = nlp_doc(
        article.text,
        published=article.published or "2022-04-28",
        components=("natasha", "entities", "coref", "dates"),
    )
    facts = plans(doc)
    by_action = {f.args["action"]: f for f in facts}
    assert set(by_action) >= {"открытие", "проведение"}
    assert by_action["открытие"].args["object"].endswith("итальянский культурный центр")
    assert by_action["проведение"].args["object"] == "культурная выставка"
    assert by_action["проведение"].args["time"] == "2022-09"
    assert "time" not in by_action["открытие"].args
    assert doc.entity(by_action["открытие"].args["place"]).name == "Алматы"
