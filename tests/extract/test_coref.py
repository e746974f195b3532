"""Nominal mentions and meeting groups resolved to the entities the text names."""

from __future__ import annotations

from collections.abc import Callable

from newsfacts.extract.coref_groups import group_at
from newsfacts.pipeline import Doc

TWO_AMBASSADORS = (
    "Аким Караганды Ермаганбет Булекпаев встретился с послом Италии Марко Росси и послом "
    "Японии Кэндзи Танакой. Стороны обсудили открытие промышленного парка.\n"
    "Посол Италии пообещал привлечь инвесторов из Милана. Посол Японии рассказал о "
    "программе стажировок. Глава города поддержал обе инициативы.\n"
    "Участники встречи договорились вновь встретиться осенью."
)


def resolved(doc: Doc, surface: str, kind: str = "nominal") -> list[str]:
    """Names of the entities the mentions spelled `surface` resolve to, in text order."""
    out = []
    for mention in doc.mentions:
        if mention.kind == kind and doc.text[mention.start : mention.end] == surface:
            entity = doc.entity(mention.entity_id)
            assert entity is not None
            out.append(entity.name)
    return out


def test_bare_posts_resolve_by_complement(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(TWO_AMBASSADORS)
    posts = resolved(doc, "Посол")
    assert posts == ["Марко Росси", "Кэндзи Танака"], posts
    assert resolved(doc, "Глава города") == ["Ермаганбет Булекпаев"]


def test_nominal_span_does_not_cover_the_place(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(TWO_AMBASSADORS)
    start = doc.text.index("Посол Италии пообещал") + len("Посол ")
    italy = doc.entity_at(start, start + len("Италии"))
    assert italy is not None and italy.name == "Италия"


def test_roles_record_post_and_place(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(TWO_AMBASSADORS)
    roles = {
        (doc.entity(r["person"]).name, r["position"], doc.entity(r["where"]).name)  # type: ignore[union-attr]
        for r in doc.user["roles"]
        if r["via"] == "apposition" and r["where"]
    }
    assert ("Марко Росси", "посол", "Италия") in roles
    assert ("Ермаганбет Булекпаев", "аким", "Караганда") in roles


def test_sides_and_participants(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(TWO_AMBASSADORS)
    kinds = {g["kind"] for g in doc.user["groups"]}
    assert {"sides", "participants"} <= kinds
    start = doc.text.index("Участники встречи")
    members = group_at(doc, start, start + 9)
    assert members is not None and len(members) == 2
    assert all(doc.entity(m).type == "person" for m in members)  # type: ignore[union-attr]


def test_plural_post_is_not_resolved(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "Посол Турции Эрдем Озан выступил на форуме. Аким Алматы встретился с послами Турции "
        "и Китая."
    )
    doc = nlp_doc(text)
    start = doc.text.index("послами")
    assert not doc.mentions_in(start, start + len("послами"))


def test_country_adjective_side(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "Посол Италии в Казахстане Марко Альберти встретился с министром. Посол заявил о "
        "готовности итальянской стороны профинансировать проект. Товарооборот между двумя "
        "странами вырос."
    )
    doc = nlp_doc(text)
    assert resolved(doc, "итальянской стороны", kind="coref") == ["Италия"]
    assert resolved(doc, "Посол")[-1] == "Марко Альберти"
    countries = [g for g in doc.user["groups"] if g["kind"] == "countries"]
    assert countries
    assert {doc.entity(m).name for m in countries[0]["members"]} == {"Италия", "Казахстан"}  # type: ignore[union-attr]


def test_nothing_to_resolve(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Посол выступил на форуме. Стороны ничего не решили.")
    assert all(m.kind == "name" for m in doc.mentions)
    assert doc.user["groups"] == []


def test_head_of_region_and_head_of_city(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "Аким Туркестанской области Дархан Сатыбалды встретился с акимом Шымкента Габитом "
        "Сыздыкбековым. Глава региона предложил создать индустриальный парк, а глава города "
        "поддержал инициативу."
    )
    doc = nlp_doc(text)
    region = [e for e in doc.entities if e.name == "Туркестанская область"]
    assert region and region[0].subtype == "region" and region[0].country == "KZ"
    assert resolved(doc, "Глава региона") == ["Дархан Сатыбалды"]
    assert resolved(doc, "глава города") == ["Габит Сыздыкбеков"]


def test_sides_without_people_are_states(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Казахстан и Узбекистан подписали соглашение о демаркации границы. Стороны "
        "договорились создать совместную комиссию."
    )
    sides = [g for g in doc.user["groups"] if g["kind"] == "sides"]
    assert len(sides) == 1
    assert [doc.entity(m).name for m in sides[0]["members"]] == ["Казахстан", "Узбекистан"]  # type: ignore[union-attr]


def test_former_holder_is_a_post() -> None:
    from newsfacts.extract.lexicons import is_position

    assert is_position("экс-премьер") and is_position("вице-министр")
    assert not is_position("сотрудничество")
