"""Discussion facts: participants (named, "с X", or the meeting's sides) and topic."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.extract.discussion import extract_discussions
from newsfacts.model import Fact
from newsfacts.pipeline import Doc

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"
COMPONENTS = ("natasha", "entities", "coref")
MEETING = (
    "Министр иностранных дел Казахстана Мурат Нуртлеу встретился с послом Франции "
    "Жаном-Пьером Дюпоном. "
)


def discussions(doc: Doc) -> list[Fact]:
    extract_discussions(doc)
    return [f for f in doc.facts if f.type == "discussion"]


def with_meeting(nlp_doc, rest: str) -> Doc:
    """A doc whose first sentence is a meeting; its fact is given here so the test
    does not depend on the meeting extractor."""
    doc = nlp_doc(MEETING + rest, components=COMPONENTS)
    people = [e.id for e in doc.entities if e.type == "person"]
    assert len(people) >= 2, "natasha finds both names"
    doc.facts.append(Fact("meeting", {"participants": people[:2]}, [(0, len(MEETING) - 1)], 0.9))
    return doc


def test_sides_discussed_topic(nlp_doc) -> None:
    doc = with_meeting(
        nlp_doc, "Стороны обсудили развитие транзитных перевозок и строительство нового терминала."
    )
    facts = discussions(doc)
    assert len(facts) == 1
    names = sorted(doc.entity(i).name for i in facts[0].args["participants"])
    assert len(names) == 2 and any("Нуртлеу" in n for n in names)
    assert (
        facts[0].args["topic"] == "развитие транзитных перевозок и строительство нового терминала"
    )


def test_passive_discussion_takes_meeting_sides(nlp_doc) -> None:
    doc = with_meeting(nlp_doc, "На встрече также обсуждались вопросы энергетики.")
    facts = discussions(doc)
    assert len(facts) == 1
    assert facts[0].args["topic"] == "вопросы энергетики"
    assert len(facts[0].args["participants"]) == 2


def test_countries_of_plural_subject(nlp_doc) -> None:
    doc = nlp_doc(
        "Министры Казахстана и Кыргызстана обсудили вопросы водопользования.", components=COMPONENTS
    )
    facts = discussions(doc)
    assert len(facts) == 1
    assert [doc.entity(i).name for i in facts[0].args["participants"]] == [
        "Казахстан",
        "Кыргызстан",
    ]
    assert facts[0].args["topic"] == "вопросы водопользования"


def test_unknown_participants_lower_confidence(nlp_doc) -> None:
    facts = discussions(
        nlp_doc("Участники обсудили перспективы развития туризма.", components=COMPONENTS)
    )
    assert len(facts) == 1
    assert facts[0].args["participants"] == []
    assert facts[0].confidence < 0.7


@pytest.mark.parametrize(
    "text",
    [
        "Обсуждение проекта закона перенесено на осень.",
        "Суд не рассмотрел иск компании.",
        "Стороны готовы рассмотреть предложение инвесторов.",
        "Министр предложил обсудить тарифы.",
    ],
)
def test_not_a_discussion(nlp_doc, text: str) -> None:
    assert discussions(nlp_doc(text, components=COMPONENTS)) == []


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not there")
def test_seed_food_cluster_topic(nlp_doc) -> None:
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import read_path

    article = clean(next(iter(read_path(SEED))))
    doc = nlp_doc(article.text, published="2022-04-28", components=COMPONENTS)
    topics = [f.args["topic"] for f in discussions(doc)]
    assert any(t.startswith("перспективы создания фуд-кластера") for t in topics)
    assert "перспективы создания совместных предприятий в индустриальной зоне Алматы" in topics


def test_every_coordinated_topic_head_in_the_nominative(nlp_doc) -> None:
    doc = with_meeting(nlp_doc, "Стороны обсудили расширение торговли и поддержку экспорта.")
    facts = discussions(doc)
    assert [f.args["topic"] for f in facts] == ["расширение торговли и поддержка экспорта"]


def test_unnamed_officials_are_the_sides_of_the_meeting(nlp_doc) -> None:
    doc = with_meeting(nlp_doc, "Министры обсудили сотрудничество в сфере образования.")
    facts = discussions(doc)
    assert len(facts) == 1 and len(facts[0].args["participants"]) == 2
