"""Proposal facts: proposer, what is proposed, addressee, parties; commerce is not a proposal."""

from __future__ import annotations

import pytest

from newsfacts.extract.proposal import extract_proposals
from newsfacts.model import Fact
from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")


def proposals(nlp_doc, text: str) -> tuple[Doc, list[Fact]]:
    doc = nlp_doc(text, published="2023-03-15", components=COMPONENTS)
    extract_proposals(doc)
    return doc, [f for f in doc.facts if f.type == "proposal"]


def names(doc: Doc, ids: list[str]) -> list[str]:
    return [doc.entity(i).name for i in ids if doc.entity(i) is not None]


def test_sister_cities_between_two_parties(nlp_doc) -> None:
    doc, facts = proposals(
        nlp_doc,
        "Мэр Бишкека Айбек Джунушалиев предложил установить побратимские отношения "
        "между Бишкеком и Казанью, которую ежегодно посещают тысячи туристов.",
    )
    assert len(facts) == 1
    args = facts[0].args
    proposer = doc.entity(args["proposer"])
    # name normalization is the entities layer's business; the person is what counts
    assert proposer.type == "person" and proposer.name.startswith("Айбек Джунушали")
    # the relative clause after the comma is not part of the proposal
    assert args["proposal"] == "установить побратимские отношения между Бишкеком и Казанью"
    assert names(doc, args["parties"]) == ["Бишкек", "Казань"]


def test_addressee_in_the_dative(nlp_doc) -> None:
    doc, facts = proposals(
        nlp_doc,
        "Казахстан предложил Узбекистану создать совместный водно-энергетический консорциум.",
    )
    assert len(facts) == 1
    args = facts[0].args
    assert doc.entity(args["proposer"]).name == "Казахстан"
    assert doc.entity(args["addressee"]).name == "Узбекистан"
    assert args["proposal"] == "создать совместный водно-энергетический консорциум"
    assert args["parties"] == []


def test_noun_trigger_with_place_and_time(nlp_doc) -> None:
    doc, facts = proposals(
        nlp_doc,
        "Министр выступил с предложением провести в сентябре инвестиционный форум в Астане.",
    )
    assert len(facts) == 1
    args = facts[0].args
    assert args["proposer"] == "Министр"  # no entity: the subject as written
    assert args["proposal"].startswith("провести в сентябре инвестиционный форум")
    assert doc.entity(args["place"]).name == "Астана"
    assert args["time"] == "2023-09"
    assert facts[0].confidence < 0.8


def test_object_naming_an_action(nlp_doc) -> None:
    _, facts = proposals(
        nlp_doc, "Турецкая сторона предложила создание совместной зоны свободной торговли."
    )
    assert [f.args["proposal"] for f in facts] == ["создание совместной зоны свободной торговли"]


@pytest.mark.parametrize(
    "text",
    [
        "Магазин предлагает широкий ассортимент товаров.",
        "Было предложено несколько вариантов.",
        "Министр не предложил провести форум.",
        "Банк предлагает клиентам выгодные условия.",
    ],
)
def test_not_a_proposal(nlp_doc, text: str) -> None:
    _, facts = proposals(nlp_doc, text)
    assert facts == []
