"""Intent facts: readiness, promise, agreement, intention, with negatives."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.extract.intent import extract_intents
from newsfacts.model import Fact
from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"


def intents(nlp_doc, text: str, published: str = "2023-03-15") -> tuple[Doc, list[Fact]]:
    doc = nlp_doc(text, published=published, components=COMPONENTS)
    extract_intents(doc)
    return doc, [f for f in doc.facts if f.type == "intent"]


def name(doc: Doc, value: object) -> str | None:
    ent = doc.entity(value) if isinstance(value, str) else None
    return ent.name if ent else None


def test_short_adjective_readiness_with_place(nlp_doc) -> None:
    doc, facts = intents(
        nlp_doc, "Турция готова построить в Ташкенте новый логистический терминал."
    )
    assert len(facts) == 1
    fact = facts[0]
    assert fact.modality == "readiness"
    assert name(doc, fact.args["agent"]) == "Турция"
    assert fact.args["action"] == "построить"
    assert fact.args["object"] == "новый логистический терминал"
    assert name(doc, fact.args["place"]) == "Ташкент"
    start, end = fact.evidence[0]
    assert doc.text[start:end].startswith("Турция готова")


def test_promise_keeps_genitive_object_and_person_agent(nlp_doc) -> None:
    doc, facts = intents(
        nlp_doc,
        "Министр энергетики Узбекистана Алишер Каримов пообещал завершить "
        "строительство подстанции до конца года.",
    )
    assert [f.modality for f in facts] == ["promise"]
    assert facts[0].args["action"] == "завершить"
    assert facts[0].args["object"] == "строительство подстанции"
    assert name(doc, facts[0].args["agent"]) == "Алишер Каримов"


def test_ambassador_speaks_for_the_country_of_the_side(nlp_doc) -> None:
    doc, facts = intents(
        nlp_doc,
        "Посол Японии в Казахстане Кэндзи Сато провел встречу с акимом Караганды. "
        "Посол заявил о готовности японской стороны профинансировать строительство "
        "медицинского центра в Караганде.",
    )
    assert len(facts) == 1
    fact = facts[0]
    assert fact.modality == "readiness"
    assert fact.args["action"] == "профинансировать"
    assert fact.args["object"] == "строительство медицинского центра"
    assert name(doc, fact.args["on_behalf_of"]) == "Япония"
    agent = doc.entity(fact.args["agent"])
    assert agent is not None and agent.type == "person" and agent.name == "Кэндзи Сато"


def test_intention_without_entity_keeps_subject_text(nlp_doc) -> None:
    doc, facts = intents(nlp_doc, "Компания намерена открыть в Караганде второй цех.")
    assert [f.modality for f in facts] == ["intention"]
    assert facts[0].args["agent"] == "Компания"
    assert facts[0].args["object"] == "второй цех"
    assert name(doc, facts[0].args["place"]) == "Караганда"
    assert facts[0].confidence < 0.7  # no entity behind the agent


def test_agreement_with_time_from_dates(nlp_doc) -> None:
    doc, facts = intents(
        nlp_doc,
        "Казахстан и Узбекистан договорились довести товарооборот до 10 млрд долларов к 2030 году.",
    )
    assert [f.modality for f in facts] == ["agreement"]
    fact = facts[0]
    assert sorted(name(doc, a) for a in fact.args["agent"]) == ["Казахстан", "Узбекистан"]
    assert fact.args["action"] == "довести"
    assert fact.args["object"] == "товарооборот"
    assert fact.args.get("time") == "2030"


def test_planning_with_explicit_subject_is_a_plan_not_an_intent(nlp_doc) -> None:
    doc, facts = intents(nlp_doc, "Компания «Арай» планирует открыть филиал в Алматы.")
    assert facts == []  # labelling spec 4.6: «планирует» is a plan with its planner
    (plan,) = [f for f in doc.facts if f.type == "plan"]
    assert plan.args["action"] == "открыть"
    assert name(doc, plan.args["agent"]) == "Арай"
    _, wish = intents(nlp_doc, "Компания «Арай» намерена открыть филиал в Алматы.")
    assert [f.modality for f in wish] == ["intention"]
    _, impersonal = intents(nlp_doc, "В Алматы планируется открыть филиал банка.")
    assert impersonal == []  # a plan fact, not an intent


@pytest.mark.parametrize(
    "text",
    [
        "Завод выпускает готовую продукцию.",
        "Готовый продукт поставляется в Россию.",
        "Компания не готова снижать цены.",
        "Он заявил о готовности документов.",
        "Стороны не договорились о цене.",
        "Неясно, согласятся ли банки снизить ставки.",
        "Компания была бы готова открыть завод.",
    ],
)
def test_not_an_intent(nlp_doc, text: str) -> None:
    _, facts = intents(nlp_doc, text)
    assert facts == []


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not there")
def test_seed_readiness_to_finance_in_almaty(nlp_doc) -> None:
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import read_path

    raw = next(iter(read_path(SEED)))
    article = clean(raw)
    doc = nlp_doc(article.text, published=article.published or "2022-04-28", components=COMPONENTS)
    extract_intents(doc)
    facts = [f for f in doc.facts if f.type == "intent" and f.args["action"] == "профинансировать"]
    assert facts, "the ambassador's readiness to finance the centre is found"
    fact = facts[-1]
    assert fact.modality == "readiness"
    assert fact.args["object"] == "создание инновационного центра креативных индустрий"
    assert name(doc, fact.args["place"]) == "Алматы"
    speakers = {name(doc, fact.args["agent"]), name(doc, fact.args.get("on_behalf_of"))}
    assert "Италия" in speakers


def test_title_without_full_stop_does_not_lend_its_words(nlp_doc) -> None:
    text = (
        "Турция готова инвестировать\nОб этом сообщил министр торговли во время визита в Ташкент."
    )
    doc, facts = intents(nlp_doc, text)
    assert len(facts) == 1
    assert facts[0].args["object"] is None
    assert "place" not in facts[0].args
    start, end = facts[0].evidence[0]
    assert doc.text[start:end] == "Турция готова инвестировать"


def test_agreement_about_an_action_or_a_thing(nlp_doc) -> None:
    _, facts = intents(
        nlp_doc, "Казахстан и Кыргызстан договорились о создании совместного предприятия."
    )
    assert [(f.args["action"], f.args["object"]) for f in facts] == [
        ("создание", "совместное предприятие")
    ]
    _, facts = intents(nlp_doc, "Казахстан и Кыргызстан договорились о культурной выставке.")
    assert [(f.args["action"], f.args["object"]) for f in facts] == [(None, "культурная выставка")]


def test_numerals_keep_the_phrase_as_written_only_when_they_govern_it(nlp_doc) -> None:
    _, facts = intents(nlp_doc, "Аким пообещал расширить индустриальную зону на 120 гектаров.")
    assert facts[0].args["object"] == "индустриальная зона на 120 гектаров"
    _, facts = intents(nlp_doc, "Министр пообещал построить два новых моста.")
    assert facts[0].args["object"] == "два новых моста"


def test_negated_action_keeps_its_negation(nlp_doc) -> None:
    _, facts = intents(nlp_doc, "Альянс обещает не оставлять союзников без поддержки.")
    assert [f.args["action"] for f in facts] == ["не оставлять"]


def test_sides_intend_with_the_countries_their_posts_name(nlp_doc) -> None:
    doc = nlp_doc(
        "Министр энергетики Армении Давид Саркисян встретился с министром энергетики "
        "Грузии Леваном Беридзе. Стороны намерены довести обмен электроэнергией до 2 млрд кВт·ч.",
        published="2024-03-01",
        components=(*COMPONENTS, "meeting"),
    )
    extract_intents(doc)
    (fact,) = [f for f in doc.facts if f.type == "intent"]
    agents = {name(doc, a) for a in fact.args["agent"]}
    assert {"Давид Саркисян", "Леван Беридзе", "Армения", "Грузия"} <= agents
