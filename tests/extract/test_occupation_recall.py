"""Posts of Central Asian local heads and envoys, and past posts told by a verb
("ранее руководил управлением ..."): own invented sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], Doc]:
    return lambda text: nlp_doc(text, "2024-06-03", COMPONENTS)


@pytest.mark.parametrize(
    ("text", "person", "post", "where"),
    [
        (
            "Хоким Андижанской области Бахром Юлдашев открыл новый текстильный цех.",
            "Бахром Юлдашев",
            "хоким",
            "Андижанская область",
        ),
        (
            "Хяким Ашхабада Овезмурат Бердиев осмотрел строительство вокзала.",
            "Овезмурат Бердиев",
            "хяким",
            "Ашхабад",
        ),
        (
            "Полпред правительства в Нарынской области Азамат Токтобаев посетил рынок.",
            "Азамат Токтобаев",
            "полпред",
            "Нарынская область",
        ),
    ],
)
def test_local_heads_and_envoys(run, text, person, post, where, posts) -> None:
    found = posts(run(text))
    assert any(p == person and post in pos and w == where for p, pos, w, _ in found), found


def test_the_post_word_alone_is_no_place(run) -> None:
    doc = run("Хоким Андижанской области Бахром Юлдашев открыл новый текстильный цех.")
    assert "Хоким" not in {e.name for e in doc.entities}


def test_past_post_of_a_relative_clause(run, posts) -> None:
    doc = run(
        "Директором завода назначен Ерлан Касенов, который до этого руководил "
        "департаментом логистики холдинга."
    )
    assert ("Ерлан Касенов", "руководитель", None, "past") in posts(doc)


def test_past_post_of_a_participle_with_a_named_body(run, posts) -> None:
    doc = run("Министром назначен Марат Оспанов, ранее возглавлявший АО «Жетысу Энерго».")
    found = posts(doc)
    assert any(
        p == "Марат Оспанов" and pos == "руководитель" and ph == "past" for p, pos, _w, ph in found
    ), found


def test_pronoun_subject_of_a_past_post(run, posts) -> None:
    doc = run("Нурлан Сеитов назначен министром. Ранее он возглавлял АО «Степь Энерго».")
    assert any(
        p == "Нурлан Сеитов" and pos == "руководитель" and ph == "past"
        for p, pos, _w, ph in posts(doc)
    )


def test_running_a_body_now_has_no_unnamed_past_post(run, posts) -> None:
    doc = run("Ерлан Касенов руководит департаментом логистики холдинга.")
    assert not any(w is None for _p, _pos, w, _ph in posts(doc))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Указом президента министром энергетики назначен Сардор ТУРСУНОВ.", "Сардор Турсунов"),
        ("Председателем правления банка избран Жасулан ТОКТАРОВ.", "Жасулан Токтаров"),
    ],
)
def test_surname_in_capitals_is_a_person(run, text, name, posts) -> None:
    doc = run(text)
    assert ("person", name) in {(e.type, e.name) for e in doc.entities}
    assert any(p == name for p, _pos, _w, _ph in posts(doc))


def test_company_in_capitals_stays_an_organisation(run) -> None:
    doc = run("Компания Tengri LOGISTICS открыла склад в Караганде.")
    assert all(e.type != "person" for e in doc.entities)


@pytest.mark.parametrize(
    ("text", "name", "post"),
    [
        (
            "Исполняющим обязанности акима района назначен Серик Жанузаков.",
            "Серик Жанузаков",
            "исполняющий обязанности акима",
        ),
        (
            "Временно исполняющей обязанности директора музея назначена Алия Нуртаева.",
            "Алия Нуртаева",
            "исполняющий обязанности директора",
        ),
    ],
)
def test_acting_post_as_the_predicate(run, text, name, post, posts) -> None:
    found = posts(run(text))
    assert any(p == name and pos.startswith(post) and ph == "start" for p, pos, _w, ph in found), (
        found
    )


def test_pronoun_successor_ends_the_predecessor(run, posts) -> None:
    doc = run(
        "Директором элеватора назначен Бекжан Омаров. Он сменил на этом посту Дамира "
        "Жунусова, который ушёл на пенсию."
    )
    assert ("Дамир Жунусов", "директор", None, "end") in posts(doc)


def test_gerund_successor_ends_the_predecessor(run, posts) -> None:
    doc = run("Бекжан Омаров был назначен министром в марте, сменив Дамира Жунусова.")
    assert any(p == "Дамир Жунусов" and ph == "end" for p, _pos, _w, ph in posts(doc))


def test_pronoun_successor_takes_no_post_the_predecessor_moves_to(run, posts) -> None:
    doc = run(
        "Министром назначен Бекжан Омаров. Он сменил на посту Дамира Жунусова, "
        "назначенного акимом Павлодарской области."
    )
    assert not any(p == "Бекжан Омаров" and "аким" in pos for p, pos, _w, _ph in posts(doc))
