"""Occupation phase (current/start/end/past), holders that must not get a post, and
successions with elided posts — our own short sentences, positive and negative."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")


def occupations(doc: Doc) -> list[dict[str, Any]]:
    out = []
    for fact in doc.facts:
        if fact.type != "occupation":
            continue
        args = dict(fact.args)
        for key in ("person", "where"):
            if key in args:
                args[key] = doc.entity(args[key]).name
        assert args["phase"] in ("current", "start", "end", "past")
        out.append(args)
    return out


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[..., list[dict[str, Any]]]:
    return lambda text: occupations(nlp_doc(text, "2024-05-10", COMPONENTS))


def phases(facts: list[dict[str, Any]]) -> dict[tuple[str, str], str]:
    return {(f["person"], f["position"]): f["phase"] for f in facts}


def test_apposition_is_current(run) -> None:
    facts = run("Аким Костаная Кайрат Ахметов открыл новый мост.")
    assert phases(facts) == {("Кайрат Ахметов", "аким"): "current"}


def test_appointment_is_start_with_its_date(run) -> None:
    (fact,) = run("Рустем Касенов был назначен послом Австрии в Казахстане в марте 2021 года.")
    assert (fact["phase"], fact["time"]) == ("start", "2021-03")


def test_dismissal_is_end(run) -> None:
    facts = run("Аким Павлодара Асет Ибраев освобожден от должности.")
    assert phases(facts) == {("Асет Ибраев", "аким"): "end"}


def test_former_and_earlier_posts_are_past(run) -> None:
    assert phases(run("Бывший министр транспорта Казахстана Марат Карабаев дал интервью.")) == {
        ("Марат Карабаев", "министр транспорта"): "past"
    }
    (fact,) = run("Ранее Канат Жумабаев занимал должность акима Атырау.")
    assert fact["phase"] == "past"
    (fact,) = run("До этого Талгат Ермеков возглавлял компанию «Казтрансойл».")
    assert (fact["position"], fact["phase"]) == ("руководитель", "past")


def test_holding_verb_in_the_present_is_current(run) -> None:
    (fact,) = run("Ержан Бекмуратов возглавляет компанию «Казтрансойл».")
    assert fact["phase"] == "current"


def test_appointers_post_is_not_the_appointees(run) -> None:
    facts = run(
        "Распоряжением премьер-министра новым вице-министром энергетики назначен Ануар Жумабаев."
    )
    assert not any(f["position"].startswith("премьер") for f in facts)
    facts = run("Указом президента новым акимом Туркестанской области назначен Дархан Сатыбалды.")
    assert [(f["person"], f["position"], f["phase"]) for f in facts] == [
        ("Дархан Сатыбалды", "аким", "start")
    ]


def test_genitive_of_kinship_or_post_is_not_the_holder(run) -> None:
    facts = run(
        "Назначение племянника Даулета Сарсенова на пост председателя правления банка обсуждают."
    )
    assert not any(f["person"] == "Даулет Сарсенов" for f in facts)
    facts = run("На форуме выступил первый заместитель Айдара Оспанова Серик Нуров.")
    assert not any(f["person"] == "Айдар Оспанов" for f in facts)


def test_succession_gives_start_and_end(run) -> None:
    facts = run(
        "Председатель правления банка «Отан» Канат Исаев ушел в отставку. "
        "Его сменил Арман Жаксылыков."
    )
    got = phases(facts)
    assert got[("Канат Исаев", "председатель правления")] == "end"
    assert got[("Арман Жаксылыков", "председатель правления")] == "start"


def test_elided_post_after_dismissal(run) -> None:
    facts = run(
        "Аким Туркестанской области Бахыт Алиев освобожден от должности. "
        "Вместо него исполняющим обязанности назначен Нуржан Серикбаев."
    )
    acting = [f for f in facts if f["person"] == "Нуржан Серикбаев"]
    assert len(acting) == 1
    assert acting[0]["position"] == "исполняющий обязанности акима"
    assert (acting[0]["where"], acting[0]["phase"]) == ("Туркестанская область", "start")
    assert acting[0]["post_from"] == "antecedent"


def test_post_pointed_back_to(run) -> None:
    facts = run(
        "Министр туризма Казахстана Ерлан Садыков ушел в отставку. "
        "На эту должность назначен Даурен Жумагулов."
    )
    got = phases(facts)
    assert got[("Даурен Жумагулов", "министр туризма")] == "start"


def test_at_the_head_of_an_organisation(run) -> None:
    facts = run("Место во главе компании «Казфосфат» занимает Болат Нурланов.")
    assert [(f["person"], f["position"], f["where"], f["phase"]) for f in facts] == [
        ("Болат Нурланов", "глава", "Казфосфат", "current")
    ]


def test_no_antecedent_no_elided_post(run) -> None:
    assert run("Вместо него на совещание пришел Нуржан Серикбаев.") == []


def test_successor_of_someone_ends_their_post(run) -> None:
    got = phases(run("Депутат Арман Бекетов стал преемником спикера Серика Оспанова."))
    assert got[("Серик Оспанов", "спикер")] == "end"
    assert got[("Арман Бекетов", "спикер")] == "start"


def test_a_verb_about_something_else_gives_no_phase(run) -> None:
    # «стал первым покупателем»: the verb is about the buyer, not about the post
    got = phases(run("Премьер-министр Эстонии Кая Каллас стала первым покупателем нового билета."))
    assert got == {("Кая Каллас", "премьер-министр"): "current"}


def test_demanded_resignation_is_no_end(run) -> None:
    got = phases(
        run("Протестующие требовали отставки министра энергетики Казахстана Болата Акчулакова.")
    )
    assert got == {("Болат Акчулаков", "министр энергетики"): "current"}


def test_leaving_life_or_a_room_is_no_end(run) -> None:
    got = phases(run("Ушедший из жизни губернатор Аляски Джон Смит был известен как рыбак."))
    assert got.get(("Джон Смит", "губернатор")) != "end"


def test_appointer_gives_the_post_to_the_object(run) -> None:
    facts = run("Президент Касым-Жомарт Токаев назначил Алибека Куантырова министром экономики.")
    got = {(f["person"], f["position"]) for f in facts}
    assert ("Алибек Куантыров", "министр экономики") in got
    assert ("Касым-Жомарт Токаев", "министр экономики") not in got


def test_participle_clause_gives_a_past_post(run) -> None:
    facts = run("Роман Скляр, ранее работавший министром индустрии, стал вице-премьером.")
    got = phases(facts)
    assert got[("Роман Скляр", "министр индустрии")] == "past"
    assert got[("Роман Скляр", "вице-премьер")] == "start"


def test_subject_name_is_no_apposition_of_a_genitive_post(run) -> None:
    facts = run("Указом главы государства Нурлан Ногаев освобожден от должности.")
    assert not any(f["position"] == "глава" for f in facts)


def test_meeting_partner_is_not_the_holder(run) -> None:
    facts = run("Аким Шымкента Габит Сыздыкбеков встретился с послом Турции в Казахстане.")
    assert not any(f["person"] == "Габит Сыздыкбеков" and f["position"] == "посол" for f in facts)


def test_coordinated_posts_share_the_verb(run) -> None:
    got = phases(run("Нурлан Ногаев стал министром энергетики, а затем и вице-премьером."))
    assert got[("Нурлан Ногаев", "вице-премьер")] == "start"
    got = phases(
        run("В разное время Бакытжан Сагинтаев занимал должности акима и премьер-министра.")
    )
    assert got.get(("Бакытжан Сагинтаев", "премьер-министр")) == "past"
