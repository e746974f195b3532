"""Ownership told by a subsidiary, a group member or a common noun standing for the
company named before: own invented sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "ownership")


def owned(doc: Doc) -> set[tuple[str, str]]:
    return {
        (doc.entity(f.args["owner"]).name, doc.entity(f.args["property"]).name)
        for f in doc.facts
        if f.type == "ownership"
    }


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], Doc]:
    return lambda text: nlp_doc(text, None, COMPONENTS)


def test_subsidiary(run) -> None:
    doc = run(
        "Терминал построила компания «Алтын Жол», которая является дочерней компанией "
        "холдинга Silk Way Group."
    )
    assert ("Silk Way Group", "Алтын Жол") in owned(doc)


def test_group_member(run) -> None:
    doc = run("Подрядчиком стала фирма Arman Build, входящая в группу «Caspian Holding».")
    assert ("Caspian Holding", "Arman Build") in owned(doc)


def test_common_noun_for_the_company_named_before(run) -> None:
    doc = run(
        "В Костанае открылся завод компании «Тобол Моторс». Компания на 70% принадлежит "
        "китайской корпорации Jinma Auto."
    )
    assert ("Jinma Auto", "Тобол Моторс") in owned(doc)


def test_entering_a_market_is_no_ownership(run) -> None:
    doc = run("Компания Arman Build входит в число крупнейших подрядчиков региона.")
    assert owned(doc) == set()
