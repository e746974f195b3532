"""Meeting facts: verb and noun triggers, posts resolved to people, and non-meetings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation", "meeting")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"


def meetings(doc: Doc) -> list[frozenset[str]]:
    out = []
    for fact in doc.facts:
        if fact.type == "meeting":
            assert len(fact.args["participants"]) >= 2
            assert fact.evidence and 0 < fact.confidence <= 1
            out.append(frozenset(doc.entity(p).name for p in fact.args["participants"]))
    return out


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], Doc]:
    return lambda text: nlp_doc(text, "2023-03-15", COMPONENTS)


def test_verb_with_named_sides(run) -> None:
    doc = run("Аким Шымкента Мурат Айтенов встретился с послом Турции Исмаилом Джошкуном.")
    assert meetings(doc) == [frozenset({"Мурат Айтенов", "Исмаил Джошкун"})]


def test_noun_with_genitive_and_place(run) -> None:
    doc = run("Встреча Касым-Жомарта Токаева с Шавкатом Мирзиёевым прошла в Самарканде.")
    assert meetings(doc) == [frozenset({"Касым-Жомарт Токаев", "Шавкат Мирзиёев"})]
    fact = next(f for f in doc.facts if f.type == "meeting")
    assert doc.entity(fact.args["place"]).name == "Самарканд"


def test_talks_between_conjoined_subjects(run) -> None:
    doc = run(
        "Министр энергетики Казахстана Алмасадам Саткалиев и глава компании Shell "
        "Ваэль Саван провели переговоры в Астане."
    )
    assert meetings(doc) == [frozenset({"Алмасадам Саткалиев", "Ваэль Саван"})]


def test_receiving_a_guest_is_a_meeting(run) -> None:
    doc = run("Министр торговли Казахстана Серик Жумангарин принял посла Китая Чжан Сяо.")
    assert meetings(doc) == [frozenset({"Серик Жумангарин", "Чжан Сяо"})]


def test_guest_hung_off_the_place_by_the_parser(run) -> None:
    doc = run("Касым-Жомарт Токаев принимает в Акорде своего узбекского коллегу Шавката Мирзиёева.")
    assert meetings(doc) == [frozenset({"Касым-Жомарт Токаев", "Шавкат Мирзиёев"})]


def test_delegation_side_is_its_organisation(run) -> None:
    doc = run("Глава Минфина Ерулан Жамаубаев провёл переговоры с делегацией Всемирного банка.")
    assert meetings(doc) == [frozenset({"Ерулан Жамаубаев", "Всемирный банк"})]


@pytest.mark.parametrize(
    "text",
    [
        "Встреча выпускников прошла в Алматы в субботу.",
        "Представители компании приняли участие в выставке в Астане.",
        "Совет директоров компании принял решение о выплате дивидендов.",
        "В форуме приняли участие Алихан Смаилов и Роман Скляр.",
    ],
)
def test_no_meeting_without_two_sides(run, text: str) -> None:
    assert meetings(run(text)) == []


def test_seed_two_meetings_with_ambassadors_resolved(nlp_doc: Callable[..., Doc]) -> None:
    """ "встретился с послами Италии и Индонезии" is two audiences, each with a named envoy."""
    if not SEED.exists():
        pytest.skip("../shared seed article not available")
    from newsfacts.ingest.clean import clean
    from newsfacts.model import RawDocument

    article = clean(RawDocument(text=SEED.read_text(encoding="utf-8"), published="2022-04-28"))
    doc = nlp_doc(article.text, article.published, COMPONENTS)
    found = meetings(doc)
    assert sorted(found, key=sorted) == sorted(
        [
            frozenset({"Ерболат Досаев", "Марко Альберти"}),
            frozenset({"Ерболат Досаев", "Мохамад Фаджрул Рахман"}),
        ],
        key=sorted,
    )
    # February is when the Indonesian envoy took office, not when the meeting was held
    assert all(f.args.get("time") != "2022-02" for f in doc.facts if f.type == "meeting")


def test_plural_post_with_two_countries_meets_itself(run) -> None:
    doc = run("Министры иностранных дел Кыргызстана и Таджикистана провели переговоры в Бишкеке.")
    assert meetings(doc) == [frozenset({"Кыргызстан", "Таджикистан"})]


def test_hearing_a_report_is_a_meeting(run) -> None:
    doc = run(
        "Премьер-министр Алихан Смаилов заслушал доклад акима Караганды Ермаганбета Булекпаева."
    )
    assert meetings(doc) == [frozenset({"Алихан Смаилов", "Ермаганбет Булекпаев"})]


def test_two_people_who_discussed_met(run) -> None:
    doc = run("Садыр Жапаров и Эмомали Рахмон обсудили вопросы границы.")
    assert meetings(doc) == [frozenset({"Садыр Жапаров", "Эмомали Рахмон"})]


def test_session_with_participants(run) -> None:
    doc = run(
        "Аким Астаны Женис Касымбек провел совещание с участием министра финансов Мади Такиева."
    )
    got = meetings(doc)
    assert len(got) == 1 and "Мади Такиев" in got[0]


def test_countries_discussing_is_no_meeting_of_people(run) -> None:
    assert meetings(run("Казахстан и Китай обсудили поставки зерна.")) == []


def test_session_of_a_body_alone_is_no_meeting(run) -> None:
    assert meetings(run("Премьер-министр Олжас Бектенов провел заседание правительства.")) == []


def test_unnamed_ambassador_named_later_in_the_article(run) -> None:
    doc = run(
        "Аким Шымкента Габит Сыздыкбеков встретился с послом Турции. "
        "Градоначальник провел встречу с турецким послом Мехметом Севимом."
    )
    assert meetings(doc) == [frozenset({"Габит Сыздыкбеков", "Мехмет Севим"})]
