"""Ownership facts: owner nouns, "принадлежать", owner verbs; and what is not ownership."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "ownership")


def owned(doc: Doc) -> set[tuple[str, str]]:
    out = set()
    for fact in doc.facts:
        if fact.type == "ownership":
            assert fact.evidence and 0 < fact.confidence <= 1
            out.add((doc.entity(fact.args["owner"]).name, doc.entity(fact.args["property"]).name))
    return out


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], set]:
    return lambda text: owned(nlp_doc(text, "2023-03-15", COMPONENTS))


def test_founder_noun_before_name(run) -> None:
    got = run("Основатель компании Kaspi.kz Вячеслав Ким выступил на форуме в Астане.")
    assert got == {("Вячеслав Ким", "Kaspi.kz")}


def test_belonging_participle(run) -> None:
    got = run("Холдинг «Алатау», принадлежащий Нурлану Смагулову, открыл новый торговый центр.")
    assert got == {("Нурлан Смагулов", "Алатау")}


def test_owner_in_predicate(run) -> None:
    got = run("Главным владельцем банка «Алтын» является предприниматель Болат Назаров.")
    assert got == {("Болат Назаров", "Алтын")}


@pytest.mark.parametrize(
    "text",
    [
        "Владелец автомобиля не пострадал в аварии.",
        "Генеральный директор компании «КазТрансОйл» Алия Нурланова рассказала о планах.",
    ],
)
def test_no_ownership(run, text: str) -> None:
    assert run(text) == set()
