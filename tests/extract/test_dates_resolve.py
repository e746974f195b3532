"""Time expressions resolved against the publication date, or kept as text without one."""

from __future__ import annotations

import pytest

from newsfacts.extract.dates import find_dates, parse_published

PUB = "2022-04-28"


def one(text: str, published: str | None = PUB):
    found = find_dates(text, published)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("Соглашение подписано 15 марта 2022 года в Астане.", "2022-03-15", "point"),
        ("Документ подписан 28.04.2021.", "2021-04-28", "point"),
        ("План рассчитан на 2021 год.", "2021", "point"),
        ("В 2021 году экспорт вырос.", "2021", "point"),
        ("Рейсы запустят 1 июня.", "2022-06-01", "point"),
        ("Пик пришёлся на март 2023 года.", "2023-03", "point"),
        ("Товарооборот по итогам 2021 года вырос.", "2021", "period"),
        ("Выручка за 2021 год выросла.", "2021", "period"),
        ("Завод построят до 2025 года.", "2025", "until"),
        ("К 2030 году мощность удвоят.", "2030", "until"),
        ("Рейсы летают с июня текущего года.", "2022-06", "since"),
        ("Выставка пройдёт в сентябре.", "2022-09", "point"),
        ("В этом году открыто 5 школ.", "2022", "point"),
        ("В текущем году планов много.", "2022", "point"),
        ("В прошлом году было иначе.", "2021", "point"),
        ("Рост был в первом квартале.", "2022-01/2022-03", "period"),
        ("Рост был в IV квартале 2021 года.", "2021-10/2021-12", "period"),
        ("За первое полугодие 2021 года прибыль выросла.", "2021-01/2021-06", "period"),
        ("За девять месяцев прибыль выросла.", "2022-01/2022-09", "period"),
        ("В январе–марте экспорт вырос.", "2022-01/2022-03", "period"),
        ("В 2020–2021 годах цены росли.", "2020/2021", "period"),
        ("Вчера посол прибыл в Ташкент.", "2022-04-27", "point"),
        ("На прошлой неделе прошли переговоры.", "2022-W16", "period"),
        ("С начала года цены выросли.", "2022-01", "since"),
        ("Форум пройдёт 12–13 октября.", "2022-10-12/2022-10-13", "period"),
        ("Население на начало года составило 2 млн.", "2022-01-01", "point"),
        ("Интернет проведут в 500 сёл до конца года.", "2022", "until"),
        ("Завод запустят до конца 2025 года.", "2025", "until"),
    ],
)
def test_resolved(text: str, value: str, kind: str) -> None:
    d = one(text)
    assert (d.value, d.kind, d.resolved) == (value, kind, True)
    assert text[d.start : d.end] == d.text


@pytest.mark.parametrize(
    "text",
    ["В этом году открыто 5 школ.", "Рейсы летают с июня текущего года.", "Вчера посол прибыл.",
     "Выставка пройдёт в сентябре.", "Рейсы запустят 1 июня."],
)  # fmt: skip
def test_relative_without_published_stays_text(text: str) -> None:
    d = one(text, None)
    assert d.resolved is False
    assert d.value == d.text


def test_absolute_without_published_is_resolved() -> None:
    d = one("по итогам 2021 года", None)
    assert (d.value, d.resolved) == ("2021", True)


def test_not_dates() -> None:
    assert find_dates("В Алматы работают более 100 предприятий, до 10 тыс. человек.", PUB) == []
    assert find_dates("Встреча к 30-летию отношений.", PUB) == []


def test_impossible_date_is_skipped_not_raised() -> None:
    assert all(d.value != "2022-02-31" for d in find_dates("31 февраля 2022 года", PUB))


@pytest.mark.parametrize("bad", ["", "вчера", "2022-13-45", "28/04/2022"])
def test_bad_published_means_unresolved(bad: str) -> None:
    assert parse_published(bad) is None
    assert one("в прошлом году", bad).resolved is False
