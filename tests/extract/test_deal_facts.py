"""Deal facts: FactRuEval deal kinds from the trigger, parties from the clause."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "deal")


def deals(doc: Doc) -> list[tuple[frozenset[str], str]]:
    out = []
    for fact in doc.facts:
        if fact.type == "deal":
            assert fact.evidence and 0 < fact.confidence <= 1
            names = frozenset(doc.entity(p).name for p in fact.args["parties"])
            out.append((names, fact.args["kind"]))
    return out


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], list]:
    return lambda text: deals(nlp_doc(text, "2023-03-15", COMPONENTS))


def test_purchase_with_seller(run) -> None:
    got = run("Банк «Халык» купил компанию «Алтын Банк» у китайского CITIC.")
    assert got == [(frozenset({"Халык", "Алтын Банк", "CITIC"}), "купля/продажа")]


def test_loan_through_light_verb(run) -> None:
    got = run("ЕБРР выделил компании «Самрук-Энерго» кредит в размере 100 млн долларов.")
    assert len(got) == 1
    parties, kind = got[0]
    assert kind == "займ/возвращение займа"
    assert "Самрук-Энерго" in parties and len(parties) == 2


def test_fine(run) -> None:
    got = run(
        "Агентство по защите конкуренции оштрафовало компанию «Казахтелеком» на 2 млрд тенге."
    )
    assert got == [
        (
            frozenset({"Агентство по защите конкуренции", "Казахтелеком"}),
            "наложение/выплата штрафа",
        )
    ]


def test_investment(run) -> None:
    got = run("Компания «Air Astana» инвестировала 50 млн долларов в авиакомпанию FlyArystan.")
    assert got == [(frozenset({"Air Astana", "FlyArystan"}), "инвестиции")]


@pytest.mark.parametrize(
    "text",
    [
        "Жители Алматы стали чаще покупать электромобили.",
        "Цены на жильё в Астане выросли на 5%.",
    ],
)
def test_no_deal_without_two_parties(run, text: str) -> None:
    assert run(text) == []


def test_a_deal_noun_talked_about_is_no_deal(run) -> None:
    # the speaker is no party, and a topic of talk is no transaction
    assert run("Аким Ержан Сапаров рассказал об инвестициях Астаны в Instagram.") == []


def test_a_flow_of_investment_is_no_deal(run) -> None:
    assert run("Ержан Сапаров заявил, что приток инвестиций в Алматы из Турции вырос.") == []


def test_light_verb_keeps_the_subject_as_party(run) -> None:
    got = run("Компания «Тенгри» совершила покупку завода «Кентау».")
    assert got and "Тенгри" in got[0][0]


@pytest.mark.parametrize(
    "text",
    [
        "Министр Бакыт Осмонов предложил Всемирному банку профинансировать строительство моста.",
        "Аким Марат Сейтов потребовал от компании «Жайык Мунай» погасить долг перед бюджетом.",
        "Турецкая сторона выразила готовность привлечь кредит банка «Зираат» для проекта.",
    ],
)
def test_an_offer_or_demand_of_a_deal_is_no_deal(run, text: str) -> None:
    assert run(text) == []
