"""The "quantity" component on our own short articles (natasha loaded once per session)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "quantity")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"


@pytest.fixture(scope="session")
def quantities(nlp_doc: Callable[..., Doc]) -> Callable[..., list[dict[str, Any]]]:
    def run(text: str, published: str | None = "2023-05-10") -> list[dict[str, Any]]:
        doc = nlp_doc(text, published, COMPONENTS)
        return [f.args for f in doc.facts if f.type == "quantity"]

    return run


def by_value(facts: list[dict[str, Any]], value: float) -> dict[str, Any]:
    found = [f for f in facts if f["value"] == value]
    assert len(found) == 1, facts
    return found[0]


def test_level_with_period_and_change(quantities) -> None:
    facts = quantities(
        "Товарооборот Узбекистана и Турции по итогам 2022 года составил 3,1 млрд долларов, "
        "превысив показатель 2021 года на 8,4%."
    )
    assert len(facts) == 1
    f = facts[0]
    assert (f["value"], f["unit"], f["qualifier"]) == (3100000000, "USD", "eq")
    assert f["indicator"] == "товарооборот"
    assert f["period"] == "2022"
    assert f["change"] == {"value": 8.4, "unit": "%", "against": "2021"}


def test_decrease_is_negative(quantities) -> None:
    f = by_value(quantities("Импорт сократился на 6% и составил 2 млрд тенге."), 2000000000)
    assert f["change"]["value"] == -6
    assert f["indicator"] == "импорт"


def test_counts_and_qualifiers(quantities) -> None:
    facts = quantities(
        "В Шымкенте работают более 40 предприятий с участием китайского капитала. "
        "Музей ежегодно посещают до 10 тыс. школьников."
    )
    f = by_value(facts, 40)
    assert (f["unit"], f["qualifier"], f["indicator"]) == ("предприятие", "gt", "число предприятий")
    f = by_value(facts, 10000)
    assert (f["unit"], f["qualifier"]) == ("школьник", "le")


def test_their_number_takes_the_counted_noun(quantities) -> None:
    facts = quantities(
        "В Бишкеке действуют 15 банков с участием иностранного капитала, "
        "в целом по стране их число составляет 22."
    )
    f = by_value(facts, 22)
    assert (f["unit"], f["indicator"]) == ("банк", "число банков")


def test_period_resolved_against_published(quantities) -> None:
    f = quantities("В прошлом году экспорт пшеницы составил 8 млн тонн.", "2023-02-01")[0]
    assert f["period"] == "2022"
    assert f["indicator"] == "экспорт пшеницы"
    assert f["unit"] == "тонна"


def test_unresolved_period_is_flagged(quantities) -> None:
    f = quantities("В прошлом году экспорт пшеницы составил 8 млн тонн.", None)[0]
    assert f["period"] == "В прошлом году"
    assert f["period_resolved"] is False


def test_change_without_level(quantities) -> None:
    facts = quantities("Производство цемента в первом квартале выросло в 1,5 раза.", "2023-04-20")
    assert len(facts) == 1
    f = facts[0]
    assert f["value"] is None and f["unit"] is None
    assert f["change"] == {"value": 1.5, "unit": "x", "against": None}
    assert f["period"] == "2023-01/2023-03"


def test_range_shares_scale_and_unit(quantities) -> None:
    facts = quantities("Инвестиции в проект составят от 300 до 400 млн долларов.")
    assert {(f["value"], f["unit"], f["qualifier"]) for f in facts} == {
        (300000000, "USD", "ge"),
        (400000000, "USD", "le"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Президент поздравил граждан с 30-летием независимости.",
        "Справки по телефону +7 (717) 270-11-22.",
        "Переговоры начнутся в 15:30 в Доме министерств.",
        "Соглашение подписано 12 мая 2023 года в Ташкенте.",
        "Италия является одним из крупнейших инвесторов республики.",
        "Стороны обсудили стратегию «Казахстан-2050».",
        "Самолёт приземлился в 19.58 мск.",
        "Акция началась около 7 вечера.",
        "Концерт пройдёт в клубе «16 тонн».",
        "Дело возбуждено по части 2 статьи 190 Уголовного кодекса.",
    ],
)
def test_negatives(quantities, text: str) -> None:
    assert quantities(text) == []


def test_subjects_between_countries(nlp_doc) -> None:
    doc = nlp_doc(
        "Президент Казахстана провёл переговоры с президентом Монголии. "
        "Товарооборот между странами в 2022 году составил 190 млн долларов.",
        "2023-05-10",
        COMPONENTS,
    )
    fact = next(f for f in doc.facts if f.type == "quantity")
    names = {doc.entity(e).name for e in fact.args["subjects"]}
    assert names == {"Казахстан", "Монголия"}
    start, end = fact.evidence[0]
    assert doc.text[start:end].startswith("Товарооборот между странами")
    assert 0 < fact.confidence <= 1


def test_subjects_from_country_adjective(nlp_doc) -> None:
    doc = nlp_doc(
        "Посол Турции встретился с мэром Бишкека. "
        "В Бишкеке работают 50 предприятий с участием турецкого капитала.",
        "2023-05-10",
        COMPONENTS,
    )
    fact = next(f for f in doc.facts if f.type == "quantity")
    names = {doc.entity(e).name for e in fact.args["subjects"]}
    assert names == {"Бишкек", "Турция"}


@pytest.mark.skipif(not SEED.is_file(), reason="../shared seed article not available")
def test_seed_article(nlp_doc) -> None:
    doc = nlp_doc(SEED.read_text(encoding="utf-8"), "2022-04-28", COMPONENTS)
    facts = [f.args for f in doc.facts if f.type == "quantity"]
    trade = by_value(facts, 13500000)
    assert (trade["unit"], trade["qualifier"], trade["period"]) == ("USD", "eq", "2021")
    assert trade["indicator"] == "товарооборот"
    assert trade["change"] == {"value": 12.5, "unit": "%", "against": "2020"}
    names = {e.id: e.name for e in doc.entities}
    assert {names[s] for s in trade["subjects"]} == {"Индонезия", "Казахстан"}
    assert {names[s] for s in by_value(facts, 100)["subjects"]} == {"Алматы", "Италия"}
    assert by_value(facts, 100)["qualifier"] == "gt"
    assert by_value(facts, 100)["unit"] == "предприятие"
    assert by_value(facts, 10000)["qualifier"] == "le"
    assert by_value(facts, 280)["unit"] == "предприятие"
    assert all(f["value"] != 30 or f["unit"] == "инициатива" for f in facts)  # not "30-летию"
    since = [d for d in doc.dates if d.kind == "since"]
    assert [d.value for d in since] == ["2022-06"]


def test_compared_year_in_instrumental_is_the_baseline(quantities, nlp_doc) -> None:
    text = (
        "По итогам 2022 года выручка компании составила 40 млрд тенге, "
        "увеличившись на 18% по сравнению с 2021 годом."
    )
    f = quantities(text)[0]
    assert f["period"] == "2022"
    assert f["change"] == {"value": 18, "unit": "%", "against": "2021"}
    dates = nlp_doc(text, "2023-03-01", COMPONENTS).dates
    assert all(d.kind != "since" for d in dates)


def test_word_right_before_the_figure_is_its_indicator(quantities) -> None:
    f = quantities("Обсуждён проект производства удобрений стоимостью около 2 млрд долларов.")[0]
    assert (f["indicator"], f["qualifier"]) == ("стоимость", "approx")
    f = quantities("Банк выдал фермерам кредиты на сумму 30 млрд тенге.")[0]
    assert f["indicator"] == "кредит"


def test_dash_range_shares_the_unit(quantities) -> None:
    facts = quantities("Компания контролирует 2–3% рынка цемента.")
    assert {(f["value"], f["unit"], f["qualifier"]) for f in facts} == {
        (2, "%", "ge"),
        (3, "%", "le"),
    }


def test_count_does_not_borrow_another_figures_indicator(quantities) -> None:
    facts = quantities(
        "Новая велодорожка имеет протяжённость 7 км и на ней установят 4 велопарковки."
    )
    assert by_value(facts, 7)["indicator"] == "протяжённость"
    assert by_value(facts, 4)["indicator"] == "число велопарковок"


def test_change_verb_of_another_clause_is_not_this_figures(quantities) -> None:
    f = quantities("Экспорт заметно вырос, а контракты подписаны на 5 млрд долларов.")[0]
    assert (f["value"], f["unit"], f.get("change")) == (5000000000, "USD", None)
