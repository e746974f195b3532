"""Russian figures to numbers in base units: spaces, commas, scales, currencies in all cases."""

from __future__ import annotations

import pytest

from newsfacts.extract.numbers import (
    NumberError,
    currency_of,
    find_amounts,
    measure_of,
    parse_number,
    qualifier_after,
    qualifier_before,
    scale_of,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("280", 280),
        ("13,5", 13.5),
        ("1 200 000", 1200000),
        ("1\u00a0200\u00a0000", 1200000),
        ("1.200.000", 1200000),
        ("2.5", 2.5),
        ("16,75", 16.75),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_parse_number_rejects_garbage() -> None:
    with pytest.raises(NumberError):
        parse_number("тринадцать")


@pytest.mark.parametrize(
    ("word", "mult"),
    [("тыс.", 1e3), ("тысяч", 1e3), ("млн", 1e6), ("миллиона", 1e6), ("млрд", 1e9),
     ("миллиардов", 1e9), ("трлн", 1e12), ("триллиона", 1e12), ("рублей", 1.0)],
)  # fmt: skip
def test_scale_words(word: str, mult: float) -> None:
    assert scale_of(word) == mult


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("долларов США", "USD"), ("доллара", "USD"), ("долларами", "USD"), ("долл.", "USD"),
        ("евро", "EUR"), ("тенге", "KZT"), ("рублей", "RUB"), ("руб.", "RUB"),
        ("белорусских рублей", "BYN"), ("сумов", "UZS"), ("юаней", "CNY"), ("юанях", "CNY"),
        ("сомов", "KGS"), ("сомони", "TJS"), ("манатов", "AZN"), ("туркменских манатов", "TMT"),
        ("фунтов стерлингов", "GBP"), ("кипрских фунтов", "CYP"), ("иен", "JPY"),
        ("$", "USD"), ("€", "EUR"),
    ],
)  # fmt: skip
def test_currency_words_in_all_cases(text: str, code: str) -> None:
    found = currency_of(text)
    assert found is not None and found[0] == code


def test_no_currency_in_ordinary_words() -> None:
    assert currency_of("суммой") is None
    assert currency_of("предприятий") is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("составил 13,5 млн долларов США", 13500000, "USD"),
        ("1,2 млрд тенге", 1200000000, "KZT"),
        ("до 10 тыс. казахстанцев", 10000, None),
        ("$13,5 млн", 13500000, "USD"),
        ("€2 млрд", 2000000000, "EUR"),
        ("45 млн €", 45000000, "EUR"),
        ("13 500 000 долл. США", 13500000, "USD"),
        ("два миллиарда рублей", 2000000000, "RUB"),
        ("на 12,5%", 12.5, "%"),
        ("на 3 процента", 3, "%"),
        ("на 0,5 п.п.", 0.5, "п.п."),
        ("1 млн 145 тыс. человек", 1145000, None),
        ("3 трлн сумов", 3000000000000, "UZS"),
        ("16,6 млрд долларов", 16600000000, "USD"),
    ],
)
def test_find_amounts(text: str, value: float, unit: str | None) -> None:
    amounts = find_amounts(text)
    assert len(amounts) == 1
    assert amounts[0].value == pytest.approx(value)
    assert amounts[0].unit == unit
    assert isinstance(amounts[0].value, int) == (value == int(value))


def test_number_words_need_a_scale() -> None:
    assert find_amounts("одним из крупнейших инвесторов") == []


@pytest.mark.parametrize(
    ("prefix", "qualifier"),
    [
        ("работают более ", "gt"), ("свыше ", "gt"), ("превысил ", "gt"),
        ("не менее ", "ge"), ("как минимум ", "ge"), ("менее ", "lt"),
        ("посещают до ", "le"), ("не более ", "le"), ("не превышает ", "le"),
        ("около ", "approx"), ("порядка ", "approx"), ("почти ", "approx"),
        ("составил ", None),
    ],
)  # fmt: skip
def test_qualifier_before(prefix: str, qualifier: str | None) -> None:
    assert qualifier_before(prefix) == qualifier


def test_qualifier_after() -> None:
    assert qualifier_after(" и более предприятий") == "ge"
    assert qualifier_after(" предприятий") is None


@pytest.mark.parametrize(
    ("text", "lemma"),
    [
        ("км от города", "километр"),
        ("кв. м жилья", "метр"),
        ("кВт·ч электроэнергии", "киловатт-час"),
        ("МВт.", "мегаватт"),
        ("т зерна", "тонна"),
        ("т.", "тонна"),
        ("га посевов", "гектар"),
    ],
)
def test_abbreviated_measures(text: str, lemma: str) -> None:
    found = measure_of(text)
    assert found is not None and found[0] == lemma


@pytest.mark.parametrize("text", ["т. е. больше", "т.д.", "тонн", "кино", "гаражей"])
def test_not_abbreviated_measures(text: str) -> None:
    assert measure_of(text) is None


def test_a_run_of_hundreds_of_digits_is_no_figure() -> None:
    """float() of 400 digits is infinity, which crashed the quantity layer (issue 12)."""
    from newsfacts.extract.numbers import NumberError, find_amounts, parse_number

    huge = "7" * 400
    with pytest.raises(NumberError):
        parse_number(huge)
    assert find_amounts(f"Выручка составила {huge} тенге, рост на 5%.")[-1].unit == "%"
    assert all(a.value != float("inf") for a in find_amounts(f"{'9' * 300} млрд и 1 млн"))
