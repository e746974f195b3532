"""Indicators built from natasha's tree, not only from lexicon words (our own sentences).

Each case is a construction, not a lexicon entry: head adjectives, complements a head
governs, verbs that name the measure, the noun a figure's verb is about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "quantity")


@pytest.fixture(scope="session")
def indicator_of(nlp_doc: Callable[..., Doc]) -> Callable[..., list[dict[str, Any]]]:
    def run(text: str) -> list[dict[str, Any]]:
        doc = nlp_doc(text, "2023-05-10", COMPONENTS)
        return [f.args for f in doc.facts if f.type == "quantity"]

    return run


def _only(facts: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(facts) == 1, facts
    return facts[0]


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # a head adjective that names a kind of the indicator stays
        ("Минимальная пенсия в Кыргызстане с 1 января составит 10 тыс. сомов.",
         "минимальная пенсия"),
        # an average is its own measure (spec, decision 1); "годовой", "общий" say nothing
        ("Средняя пенсия в Таджикистане выросла до 900 сомони.", "средняя пенсия"),
        ("Годовой оборот розничной торговли составил 12 трлн тенге.",
         "оборот розничной торговли"),
        # a lexicon line whose adjective pymorphy lemmatises oddly still matches
        ("Валовой сбор хлопка в Узбекистане составил 3 млн тонн.", "валовой сбор хлопка"),
    ],
)  # fmt: skip
def test_head_adjectives(indicator_of, text: str, indicator: str) -> None:
    assert _only(indicator_of(text))["indicator"] == indicator


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("Выручка от продажи зерна превысила 200 млрд тенге.", "выручка от продажи зерна"),
        ("Задолженность по налогам составила 30 млрд тенге.", "задолженность по налогам"),
        # governed by the genitive word, not the head
        ("Ставка налога на имущество составит 1,5%.", "ставка налога на имущество"),
        # a phrase the head does not govern is left out
        ("Цены на сахар в Бишкеке выросли на 4%.", "цена"),
        # a bare share takes the phrase after its figure
        ("Китай занимает первое место с долей около 20% во внешней торговле Казахстана.",
         "доля во внешней торговле"),
    ],
)  # fmt: skip
def test_governed_complements(indicator_of, text: str, indicator: str) -> None:
    assert _only(indicator_of(text))["indicator"] == indicator


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # money: the subject says whose spending or what costs
        ("Иностранные студенты потратили в Алматы 40 млрд тенге.",
         "расходы иностранных студентов"),
        ("Строительство школы обойдётся в 3 млрд тенге.", "стоимость строительства"),
        # goods: what the measure is of, not who did it
        ("Фермеры собрали 3 млн тонн картофеля.", "сбор картофеля"),
        ("В Шымкенте введено 900 тыс. квадратных метров жилья.", "ввод жилья"),
        # a passive verb names the same measure
        ("Ежегодно на комбинате перерабатывается около 200 тыс. тонн руды.",
         "переработка руды"),
    ],
)  # fmt: skip
def test_verbs_that_name_the_measure(indicator_of, text: str, indicator: str) -> None:
    assert _only(indicator_of(text))["indicator"] == indicator


def test_a_count_stays_a_count(indicator_of) -> None:
    f = _only(indicator_of("В области ввели в строй 12 школ."))
    assert (f["indicator"], f["unit"]) == ("число школ", "школа")


def test_a_distance_is_not_what_the_verb_measures(indicator_of) -> None:
    facts = indicator_of("Завод планируется построить в 40 км от Ташкента.")
    assert all(f["indicator"] != "строительство" for f in facts)


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # no lexicon word: the subject of "составить"
        ("Профицит бюджета составил 1,5 млрд манатов.", "профицит бюджета"),
        # the lexicon word is only a complement of that subject
        ("Чистый приток иностранных инвестиций в Армению составил 3 млрд долларов.",
         "чистый приток иностранных инвестиций"),
        # a currency as the subject is its exchange rate
        ("Сом за месяц ослаб к доллару на 2%.", "курс сома"),
        # a price verb: the price of its subject (a place adjective is kept there)
        ("Грузинское вино подорожало на 7%.", "цена грузинского вина"),
        # a change noun as the subject: the figure measures its genitive
        ("Годовой рост продаж цемента составил 6%.", "продажи цемента"),
        # a second verb shares the first one's subject
        ("Рынок страхования вырос на 18% и достиг 1,5 трлн тенге.", "рынок страхования"),
    ],
)  # fmt: skip
def test_the_noun_the_figures_verb_is_about(indicator_of, text: str, indicator: str) -> None:
    assert _only(indicator_of(text))["indicator"] == indicator


def test_compared_figure_counts_the_same_thing(indicator_of) -> None:
    facts = indicator_of("В 2022 году Узбекистан принял 5 млн туристов против 3,5 млн годом ранее.")
    first = next(f for f in facts if f["value"] == 5000000)
    second = next(f for f in facts if f["value"] == 3500000)
    assert (second["unit"], second["indicator"]) == ("турист", "число туристов")
    # "годом ранее" is the year before the sentence's period
    assert (first["period"], second["period"]) == ("2022", "2021")


def test_abbreviated_measure_is_the_full_unit(indicator_of) -> None:
    f = _only(indicator_of("В Караганде за год построено 310 тыс. кв. м жилья."))
    assert (f["value"], f["unit"], f["indicator"]) == (310000, "метр", "ввод жилья")
    f = _only(indicator_of("Протяжённость новой трассы составит 84 км."))
    assert (f["unit"], f["indicator"]) == ("километр", "протяжённость новой трассы")


def test_money_on_a_sum_is_what_things_are_worth(indicator_of) -> None:
    facts = indicator_of("Турецкие компании запустили 8 совместных проектов на 300 млн долларов.")
    money = next(f for f in facts if f["unit"] == "USD")
    assert money["indicator"] == "стоимость"


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # the instrumental noun the figure specifies, with what the measure is of
        ("На шельфе открыто месторождение с запасами в 40 млн тонн нефти.", "запасы нефти"),
        # a lexicon word right before the figure wins over the verb ("построит")
        ("Компания построит склад площадью 20 тыс. кв. м.", "площадь"),
    ],
)  # fmt: skip
def test_the_noun_the_figure_specifies(indicator_of, text: str, indicator: str) -> None:
    assert _only(indicator_of(text))["indicator"] == indicator


def test_elided_indicator_takes_the_new_genitive(indicator_of) -> None:
    facts = indicator_of("Добыча угля в регионе составит 30 млн тонн, а меди — 400 тыс. тонн.")
    assert [f["indicator"] for f in facts] == ["добыча угля", "добыча меди"]
    facts = indicator_of("Экспорт составил 5 млрд долларов, а импорт — 3 млрд долларов.")
    assert [f["indicator"] for f in facts] == ["экспорт", "импорт"]
