"""Appointments in the start phase that a post next to a name does not show: a
capitalised post opening the sentence, one post for several appointees, and acting
posts that take the post just left. Own invented sentences (issue 10)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc], posts) -> Callable[[str], set]:
    return lambda text: posts(nlp_doc(text, "2024-06-03", COMPONENTS))


def test_compound_post_opening_the_sentence(run) -> None:
    got = run("Вице-министром энергетики Казахстана назначена Динара Сейтова.")
    assert any(
        p == "Динара Сейтова"
        and post.startswith("вице-министр")
        and w == "Казахстан"
        and ph == "start"
        for p, post, w, ph in got
    )


def test_post_opening_the_sentence_is_no_organisation(nlp_doc) -> None:
    doc = nlp_doc(
        "Вице-министром энергетики Казахстана назначена Динара Сейтова.", None, COMPONENTS
    )
    assert not any(e.name.lower().startswith("вице-министр") for e in doc.entities)


def test_one_post_for_two_appointees(run) -> None:
    got = run("Заместителями акима Караганды назначены Ерлан Бакиров и Бауыржан Омаров.")
    for person in ("Ерлан Бакиров", "Бауыржан Омаров"):
        assert (person, "заместитель акима", "Караганда", "start") in got


def test_plural_post_outside_an_appointment_is_no_post(run) -> None:
    got = run("Заместители акима Караганды Ерлан Бакиров и Бауыржан Омаров посетили завод.")
    assert not any(post == "заместитель акима" and ph == "start" for _p, post, _w, ph in got)


def test_acting_head_of_region_takes_the_post_just_left(run) -> None:
    got = run(
        "Аким Жамбылской области Нурлан Касымов ушёл в отставку. Исполняющим обязанности "
        "главы региона назначен его первый заместитель Ерлан Сарсенов."
    )
    assert (
        "Ерлан Сарсенов",
        "исполняющий обязанности акима",
        "Жамбылская область",
        "start",
    ) in got
    assert ("Ерлан Сарсенов", "исполняющий обязанности главы", None, "start") not in got
    # the deputy post is his title, not what he was appointed to
    assert ("Ерлан Сарсенов", "первый заместитель", None, "current") in got


def test_acting_instead_of_a_dismissed_envoy(run) -> None:
    got = run(
        "Полпред в Нарынской области Азамат Токтосунов освобождён от должности. "
        "Вместо него исполняющим обязанности назначен заместитель полпреда Нурбек Алиев."
    )
    assert (
        "Нурбек Алиев",
        "исполняющий обязанности полпреда",
        "Нарынская область",
        "start",
    ) in got


def test_his_duties_are_performed_by_a_deputy(run) -> None:
    got = run(
        "Президент отправил в отставку министра энергетики Кыргызстана Тилека Омурова. "
        "Его обязанности временно исполняет заместитель министра Айжан Бекова."
    )
    assert any(
        p == "Айжан Бекова"
        and post.startswith("исполняющий обязанности министра")
        and ph == "start"
        for p, post, _w, ph in got
    )


def test_acting_for_another_post_takes_nothing_from_the_predecessor(run) -> None:
    got = run(
        "Аким Жамбылской области Нурлан Касымов ушёл в отставку. Исполняющим обязанности "
        "министра назначен Ерлан Сарсенов."
    )
    assert not any(w == "Жамбылская область" for p, _post, w, _ph in got if p == "Ерлан Сарсенов")


def test_board_elects_a_chairman_named_after_the_post(run) -> None:
    got = run(
        "Наблюдательный совет АО «Кокше Энерго» избрал председателем правления Даниила Ахметова."
    )
    assert any(
        p == "Даниил Ахметов" and post == "председатель правления" and ph == "start"
        for p, post, _w, ph in got
    )


def test_he_replaced_someone_on_a_named_post(run) -> None:
    got = run(
        "Бывший министр энергетики Марат Омаров возглавил авиакомпанию SkyJet. "
        "Он сменил на посту президента компании Игоря Белова."
    )
    assert ("Марат Омаров", "президент", "SkyJet", "start") in got
    assert ("Игорь Белов", "президент", "SkyJet", "end") in got
    assert ("Игорь Белов", "президент", "SkyJet", "start") not in got
