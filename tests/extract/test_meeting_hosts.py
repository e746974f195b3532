"""Meeting hosts named by a post word, a pronoun or a name the parser mis-attached,
and guests led by someone ("делегация ... во главе с ..."): own invented sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation", "meeting")


def meetings(doc: Doc) -> list[frozenset[str]]:
    return [
        frozenset(doc.entity(p).name for p in f.args["participants"])
        for f in doc.facts
        if f.type == "meeting"
    ]


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], Doc]:
    return lambda text: nlp_doc(text, "2024-05-20", COMPONENTS)


def test_new_head_of_region_is_the_appointee(run) -> None:
    doc = run(
        "Акимом Костанайской области назначен Ерлан Сатпаев. Уже на следующий день новый "
        "глава региона принял делегацию венгерской компании Agro Danube во главе с "
        "директором Петером Ковачем."
    )
    assert any({"Ерлан Сатпаев", "Петер Ковач"} <= m for m in meetings(doc))


def test_time_word_tagged_as_subject_does_not_hide_the_name(run) -> None:
    doc = run(
        "В первую рабочую неделю Сатпаев встретился с генеральным директором компании "
        "Steppe Grain Айдаром Мукановым."
    )
    assert any({"Айдар Муканов"} <= m and len(m) >= 2 for m in meetings(doc))


def test_pronoun_host_is_the_person_named_before(run) -> None:
    doc = run(
        "Министром сельского хозяйства назначен Нуржан Аманов. В тот же день он провёл "
        "переговоры с послом Польши Томашем Новаком."
    )
    assert frozenset({"Нуржан Аманов", "Томаш Новак"}) in meetings(doc)


def test_representatives_of_a_company_are_the_company(run) -> None:
    doc = run(
        "Аким Актюбинской области Бахыт Ермеков встретился с представителями турецкой компании "
        "Anadolu Tekstil."
    )
    assert any({"Бахыт Ермеков", "Anadolu Tekstil"} <= m for m in meetings(doc))


def test_two_named_subjects_meet(run) -> None:
    doc = run("Перед форумом Ермеков и Новак провели двустороннюю встречу.")
    assert any(len(m) == 2 for m in meetings(doc))


def test_a_post_word_with_no_holder_makes_no_meeting(run) -> None:
    doc = run("Градоначальник провёл встречу с жителями микрорайона.")
    assert meetings(doc) == []
