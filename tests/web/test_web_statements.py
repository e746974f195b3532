"""Facts read as Russian statements, and every code of the record has a Russian label."""

from __future__ import annotations

from typing import Any

import pytest

from newsfacts import model
from newsfacts.web import labels as L
from newsfacts.web.statements import plain, statement


def ref(name: str, type_: str = "location", **extra: Any) -> dict[str, Any]:
    return {"key": f"{type_}:{name.lower()}", "name": name, "type": type_, **extra}


DOSAEV = ref("Ерболат Досаев", "person")
ALMATY = ref("Алматы", subtype="city", country="KZ")
ITALY = ref("Италия", subtype="country", code="IT")
KZ = ref("Казахстан", subtype="country", code="KZ")
INDONESIA = ref("Индонезия", subtype="country", code="ID")


def say(type_: str, args: dict[str, Any], **extra: Any) -> str:
    """The statement with no-break spaces as plain ones (they keep «13,5 млн» on one line)."""
    return plain(statement({"type": type_, "args": args, **extra})).replace("\u00a0", " ")


def test_the_three_statements_of_the_issue() -> None:
    occ = {"person": DOSAEV, "position": "аким", "position_text": "акимом", "where": ALMATY}
    assert (
        say("occupation", {**occ, "phase": "start"}, time="2022-01-19")
        == "Ерболат Досаев — аким Алматы (с 2022)"
    )
    intent = {
        "agent": ITALY,
        "action": "профинансировать",
        "object": "создание центра креативных индустрий",
        "place": ALMATY,
    }
    assert (
        say("intent", intent, modality="readiness")
        == "Италия готова профинансировать создание центра креативных индустрий в Алматы"
    )
    trade = {
        "indicator": "товарооборот",
        "subjects": [KZ, INDONESIA],
        "value": 13500000,
        "unit": "USD",
        "qualifier": "eq",
        "period": "2021",
        "change": {"value": 12.5, "unit": "%", "against": "2020"},
        "value_span": [10, 20],
    }
    text = say("quantity", trade)
    assert text == "Товарооборот Казахстан–Индонезия: 13,5 млн USD за 2021 г. (+12,5% к 2020)"


def test_forecasts_and_plans_read_apart_from_actual_figures() -> None:
    level = {"indicator": "экспорт зерна", "subjects": [KZ], "value": 12, "unit": "%"}
    actual = say("quantity", level, modality="actual")
    assert not actual.startswith(("Прогноз", "План"))
    assert say("quantity", level, modality="forecast") == "Прогноз: " + actual
    assert say("quantity", level, modality="planned") == "План: " + actual
    plant = {"object": "завод", "place": ALMATY}
    assert say("launch", plant, modality="planned").startswith("План: Запуск: завод")
    assert say("launch", plant).startswith("Запуск: завод")


def test_places_take_their_case_and_agents_their_gender() -> None:
    assert say("occupation", {"person": DOSAEV, "position": "посол", "where": ITALY}) == (
        "Ерболат Досаев — посол Италии"
    )
    org = ref("Национальный банк", "organization")
    assert say("occupation", {"person": DOSAEV, "position": "глава", "where": org}) == (
        "Ерболат Досаев — глава, Национальный банк"
    )
    pair = {"agent": [KZ, INDONESIA], "action": "удвоить", "object": "торговлю"}
    assert say("intent", pair, modality="intention").startswith("Казахстан и Индонезия намерены")
    bank = {"agent": ref("Европейский банк", "organization"), "action": "выделить", "object": "x"}
    assert " готов выделить" in say("intent", bank, modality="readiness")


def test_figures_group_digits_agree_and_qualify() -> None:
    count = {"indicator": "число предприятий", "subjects": [ALMATY], "value": 1200}
    assert say("quantity", {**count, "unit": "предприятие", "qualifier": "gt"}) == (
        "Число предприятий Алматы: более 1200 предприятий"
    )
    big = {**count, "value": 2_500_000, "unit": "человек", "qualifier": "le"}
    assert "не более 2,5 млн человек" in say("quantity", big)
    assert L.number(13500000) == "13\u00a0500\u00a0000" and L.number(12.5) == "12,5"


def test_dates_read_in_russian() -> None:
    assert L.date("2022-01-19") == "19 января 2022\u00a0г."
    assert L.date("2022-06") == "июнь 2022\u00a0г."
    assert L.when("2027", "until") == "до 2027\u00a0г."
    assert L.when("2022-06", "since") == "с июня 2022\u00a0г."
    assert L.when("в сентябре текущего года", None, False) == "в сентябре текущего года"


@pytest.mark.parametrize(
    "table, codes",
    [
        (L.FACT_TYPE, model.FACT_TYPES),
        (L.QUALIFIER, model.QUALIFIERS),
        (L.MODALITY, model.MODALITIES),
        (L.FIGURE_MODALITY, model.FIGURE_MODALITIES),
        (L.LOCATION_SUBTYPE, model.LOCATION_SUBTYPES),
        (L.ENTITY_TYPE, model.ENTITY_TYPES),
    ],
)
def test_every_code_has_a_russian_label(table: dict[str, str], codes: tuple[str, ...]) -> None:
    assert set(codes) <= set(table)


def test_locations_read_as_kind_and_country() -> None:
    assert L.place_kind(ALMATY) == "город, Казахстан"
    assert L.place_kind(ITALY) == "страна"
    assert L.place_kind(DOSAEV) == "персона"


def test_no_internal_field_name_reaches_a_statement() -> None:
    args = {
        "person": DOSAEV,
        "position": "аким",
        "position_text": "Аким",
        "where": ALMATY,
        "where_text": "Алматы",
        "method": "learned",
    }
    text = say("occupation", args)
    assert not any(word in text for word in ("position_text", "where_text", "learned", "E1"))
    runs = statement({"type": "occupation", "args": args})
    assert [r["ref"]["name"] for r in runs if "ref" in r] == ["Ерболат Досаев", "Алматы"]
