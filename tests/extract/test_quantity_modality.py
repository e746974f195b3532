"""Quantity modality (docs/fact-labelling.md 4.10) on our own invented sentences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "quantity")


@pytest.fixture(scope="session")
def modalities(nlp_doc: Callable[..., Doc]) -> Callable[[str], dict[Any, str | None]]:
    """value (or change value) -> modality of each quantity fact of the text."""

    def run(text: str) -> dict[Any, str | None]:
        doc = nlp_doc(text, "2024-04-02", COMPONENTS)
        out: dict[Any, str | None] = {}
        for f in doc.facts:
            if f.type == "quantity":
                key = f.args["value"] if f.args["value"] is not None else f.args["change"]["value"]
                out[key] = f.modality
        return out

    return run


def test_past_level_is_actual_and_contrasted_target_planned(modalities) -> None:
    got = modalities(
        "В 2023 году авиакомпания Steppe Air перевезла 1,4 млн пассажиров, а в 2024 году "
        "рассчитывает перевезти 1,6 млн пассажиров."
    )
    assert got[1400000] is None
    assert got[1600000] == "planned"


def test_forecast_word_wins_over_modal_verb(modalities) -> None:
    got = modalities(
        "По прогнозу министерства, экспорт зерна из Павлодарской области может вырасти "
        "до 900 тыс. тонн."
    )
    assert got[900000] == "forecast"


def test_possibility(modalities) -> None:
    got = modalities(
        "Мощность новой ветровой станции в Жамбылской области может составить 150 МВт."
    )
    assert got[150] == "possible"


def test_future_verb_and_elided_second_clause_are_planned(modalities) -> None:
    got = modalities(
        "Мощность элеватора составит 60 тыс. тонн зерна, а стоимость строительства – 14 млрд тенге."
    )
    assert got[60000] == "planned"
    assert got[14000000000] == "planned"


def test_value_of_a_signed_contract_is_planned(modalities) -> None:
    got = modalities(
        "Компания «АгроТех» и фирма Nordmann заключили контракт на поставку 300 тракторов "
        "на сумму 40 млн евро."
    )
    assert got[40000000] == "planned"


def test_later_expectation_does_not_make_a_cost_a_forecast(modalities) -> None:
    got = modalities(
        "В прошлом году выручка холдинга составила 52 млрд тенге, запуск второй линии "
        "ожидается осенью."
    )
    assert got[52000000000] is None


def test_elided_noun_list_without_a(nlp_doc) -> None:
    """ "…, сельского хозяйства – на 3,2%": each figure keeps its own noun (issue 10 item 7)."""
    doc = nlp_doc(
        "По итогам года объём промышленного производства в области вырос на 5,1%, "
        "сельского хозяйства – на 3,2%, строительных работ – на 8,4%.",
        "2024-04-02",
        COMPONENTS,
    )
    by_change = {
        f.args["change"]["value"]: f.args["indicator"] for f in doc.facts if f.type == "quantity"
    }
    assert "сельского хозяйства" in by_change[3.2]
    assert "строительных работ" in by_change[8.4]
    assert "промышленного производства" in by_change[5.1]
