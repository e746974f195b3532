"""Launch facts: launched/opened/started things with route, place and time."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.extract.launch import extract_launches
from newsfacts.model import Fact
from newsfacts.pipeline import Doc, TimeExpr

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"
NO_DATES = ("natasha", "entities", "coref")


def launches(doc: Doc) -> list[Fact]:
    extract_launches(doc)
    return [f for f in doc.facts if f.type == "launch"]


def test_short_passive_with_place(nlp_doc) -> None:
    doc = nlp_doc("В Бишкеке запущен завод по переработке молока.", components=NO_DATES)
    facts = launches(doc)
    assert len(facts) == 1
    assert facts[0].args["object"] == "завод по переработке молока"
    assert doc.entity(facts[0].args["place"]).name == "Бишкек"


def test_route_in_order_and_time_since(nlp_doc) -> None:
    text = "С мая текущего года открыто прямое авиасообщение по маршруту Астана – Сеул – Астана."
    doc = nlp_doc(text, published="2023-03-15", components=NO_DATES)
    at = text.index("С мая")
    span = "С мая текущего года"
    doc.dates.append(TimeExpr(at, at + len(span), span, "2023-05", kind="since"))
    facts = launches(doc)
    assert len(facts) == 1
    args = facts[0].args
    assert args["object"] == "прямое авиасообщение"
    assert [doc.entity(i).name for i in args["route"]] == ["Астана", "Сеул", "Астана"]
    assert (args["time"], args["time_kind"]) == ("2023-05", "since")
    assert "place" not in args


def test_started_work_and_opened(nlp_doc) -> None:
    doc = nlp_doc(
        "В Караганде начал работу новый логистический хаб. В Шымкенте открылся новый торговый центр.",
        components=NO_DATES,
    )
    facts = launches(doc)
    assert [f.args["object"] for f in facts] == ["новый логистический хаб", "новый торговый центр"]
    assert [doc.entity(f.args["place"]).name for f in facts] == ["Караганда", "Шымкент"]


def test_opening_as_an_event(nlp_doc) -> None:
    doc = nlp_doc("В Таразе состоялось открытие сахарного завода.", components=NO_DATES)
    facts = launches(doc)
    assert [f.args["object"] for f in facts] == ["сахарный завод"]
    assert doc.entity(facts[0].args["place"]).name == "Тараз"


def test_launch_noun_with_route(nlp_doc) -> None:
    doc = nlp_doc("Авиакомпания объявила о запуске рейсов Алматы – Тбилиси.", components=NO_DATES)
    facts = launches(doc)
    assert len(facts) == 1
    assert [doc.entity(i).name for i in facts[0].args["route"]] == ["Алматы", "Тбилиси"]


@pytest.mark.parametrize(
    "text",
    [
        "Компания готова открыть магазин в Таразе.",  # an intent (readiness)
        "Завод не был запущен из-за нехватки сырья.",
        "Министр открыл вопрос о тарифах.",
        "Правительство ввело пошлины на импорт сахара.",
        "В церемонии открытия приняли участие министры.",
        "Учёные сообщили об открытии нового физического эффекта.",  # a discovery
        "Экипаж корабля при старте — шесть астронавтов, при посадке — семь.",
    ],
)
def test_not_a_launch(nlp_doc, text: str) -> None:
    assert launches(nlp_doc(text, components=NO_DATES)) == []


@pytest.mark.parametrize(
    ("text", "thing"),
    [
        ("В Алматы планируется запуск трамвая.", "трамвай"),
        ("Компания планирует открыть магазин в Таразе.", "магазин"),
        ("Запустить фабрику планируется в 2026 году.", "фабрика"),
        ("Запуск второй очереди элеватора запланирован на осень.", "вторая очередь"),
    ],
)
def test_scheduled_launch_is_planned(nlp_doc, text: str, thing: str) -> None:
    """A launch a plan schedules is a launch with modality planned (labelling spec 4.7)."""
    facts = launches(nlp_doc(text, components=NO_DATES))
    assert [f.modality for f in facts] == ["planned"]
    assert thing in facts[0].args["object"]


def test_launched_thing_has_no_modality(nlp_doc) -> None:
    facts = launches(nlp_doc("В Шымкенте открылся кирпичный завод.", components=NO_DATES))
    assert [f.modality for f in facts] == [None]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not there")
def test_seed_direct_flights_from_june(nlp_doc) -> None:
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import read_path

    article = clean(next(iter(read_path(SEED))))
    doc = nlp_doc(
        article.text,
        published=article.published or "2022-04-28",
        components=("natasha", "entities", "coref", "dates"),
    )
    facts = [f for f in launches(doc) if f.args.get("route")]
    assert len(facts) == 1
    args = facts[0].args
    assert args["object"] == "прямое авиасообщение"
    assert [doc.entity(i).name for i in args["route"]] == ["Алматы", "Милан", "Алматы"]
    assert args["time"] == "2022-06"
    assert args.get("time_kind") == "since"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "....",
        "готова",
        "Итоги\n—\n«»\nзапуск",
        "Стороны обсудили",
        "Предложил.",
        "Запуск — Алматы – – Милан –",
        "«Открыт» (запущен) [готов] 2024 – 2025",
        "ПЛАНИРУЕТСЯ ОТКРЫТИЕ ЗАВОДА В АСТАНЕ",
    ],
)
def test_odd_input_gives_facts_or_nothing_never_an_error(nlp_doc, text: str) -> None:
    from newsfacts.pipeline import REGISTRY

    doc = nlp_doc(text, components=NO_DATES)
    for name in ("intent", "proposal", "plan", "launch", "discussion"):
        REGISTRY[name](doc)
    assert "skipped" not in doc.user
    for fact in doc.facts:
        assert all(0 <= s <= e <= len(text) for s, e in fact.evidence)


def test_a_failing_extractor_is_skipped_and_noted(nlp_doc) -> None:
    from newsfacts.extract.clauses import guarded

    doc = nlp_doc("В Астане открылся новый центр.", components=NO_DATES)

    def broken(_: Doc) -> None:
        raise KeyError("1_99")

    guarded("launch", broken, doc)
    assert doc.user["skipped"] == ["launch: KeyError: '1_99'"]


def test_planned_launch_replaces_the_agentless_plan(nlp_doc) -> None:
    from newsfacts.extract.launch import extract_launches
    from newsfacts.extract.plan import extract_plans

    doc = nlp_doc("Запустить новый цех планируется в 2027 году.", published="2025-02-01")
    extract_plans(doc)
    assert [f.args["action"] for f in doc.facts if f.type == "plan"] == ["запустить"]
    extract_launches(doc)
    assert [f.type for f in doc.facts] == ["launch"]
    assert doc.facts[0].modality == "planned"
