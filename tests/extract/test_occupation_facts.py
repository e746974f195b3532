"""Occupation facts on our own short sentences in the style of Central Asian business news."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"


def occupations(doc: Doc) -> list[dict[str, Any]]:
    """Occupation args with entity ids replaced by entity names, for readable asserts."""
    out = []
    for fact in doc.facts:
        if fact.type != "occupation":
            continue
        args = dict(fact.args)
        for key in ("person", "where"):
            if key in args:
                args[key] = doc.entity(args[key]).name
        assert fact.evidence and 0 < fact.confidence <= 1
        out.append(args)
    return out


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[..., list[dict[str, Any]]]:
    def go(text: str, published: str | None = "2023-03-15") -> list[dict[str, Any]]:
        return occupations(nlp_doc(text, published, COMPONENTS))

    return go


def test_post_before_name_with_portfolio_and_country(run) -> None:
    facts = run("Министр иностранных дел Узбекистана Бахтиёр Саидов прибыл в Астану с визитом.")
    assert len(facts) == 1
    fact = facts[0]
    assert fact["person"] == "Бахтиёр Саидов"
    assert fact["position"] == "министр иностранных дел"
    assert fact["where"] == "Узбекистан"
    assert fact["phase"] == "current"  # an apposition: held at the time of the text


def test_name_then_post_across_comma(run) -> None:
    facts = run("Алия Нурланова, генеральный директор компании «КазТрансОйл», рассказала о планах.")
    assert [(f["person"], f["position"], f.get("where")) for f in facts] == [
        ("Алия Нурланова", "генеральный директор", "КазТрансОйл")
    ]


def test_appointment_starts_a_tenure_with_its_date(run) -> None:
    facts = run("Тимур Ахметов назначен на должность председателя правления банка «Халык» в марте.")
    assert len(facts) == 1
    fact = facts[0]
    assert fact["person"] == "Тимур Ахметов"
    assert fact["position"] == "председатель правления"
    assert fact["where"] == "Халык"
    assert fact["phase"] == "start"
    assert fact["time"] == "2023-03"


def test_dismissal_ends_a_tenure(run) -> None:
    facts = run("Аскар Жумагалиев освобождён от должности министра цифрового развития Казахстана.")
    assert len(facts) == 1
    assert facts[0]["person"] == "Аскар Жумагалиев"
    assert facts[0]["position"] == "министр цифрового развития"
    assert facts[0]["phase"] == "end"


def test_two_posts_in_one_sentence_keep_their_own_places(run) -> None:
    facts = run(
        "Министр энергетики Казахстана Алмасадам Саткалиев и глава компании Shell "
        "Ваэль Саван провели переговоры в Астане."
    )
    got = {(f["person"], f["position"], f.get("where")) for f in facts}
    assert got == {
        ("Алмасадам Саткалиев", "министр энергетики", "Казахстан"),
        ("Ваэль Саван", "глава", "Shell"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Президенты и министры обсудили повестку саммита в Душанбе.",
        "Вчера в Ташкенте открылась международная выставка строительных материалов.",
        "Кандидат в президенты Андрей Сергеев провёл встречу с избирателями.",
    ],
)
def test_no_occupation_without_a_single_named_holder(run, text: str) -> None:
    assert run(text) == []


def test_seed_article_posts(nlp_doc: Callable[..., Doc]) -> None:
    if not SEED.exists():
        pytest.skip("../shared seed article not available")
    from newsfacts.ingest.clean import clean
    from newsfacts.model import RawDocument

    article = clean(RawDocument(text=SEED.read_text(encoding="utf-8"), published="2022-04-28"))
    doc = nlp_doc(article.text, article.published, COMPONENTS)
    facts = occupations(doc)
    triples = {(f["person"], f["position"], f.get("where")) for f in facts}
    assert ("Ерболат Досаев", "аким", "Алматы") in triples
    assert ("Марко Альберти", "посол", "Италия") in triples
    assert ("Марко Альберти", "чрезвычайный и полномочный посол", "Италия") in triples
    rahman = [f for f in facts if f["person"].endswith("Рахман") and f.get("where") == "Индонезия"]
    assert rahman and rahman[0]["phase"] == "start" and rahman[0]["time"] == "2022-02"


def test_former_post_is_past(run) -> None:
    facts = run("Экс-премьер Киргизии Жапар Исакбеков прибыл в Бишкек.")
    assert [(f["person"], f["position"], f["phase"]) for f in facts] == [
        ("Жапар Исакбеков", "премьер", "past")
    ]


def test_acting_official_keeps_the_whole_post(run) -> None:
    facts = run(
        "Данияр Ахметов, исполняющий обязанности официального представителя "
        "МИД Казахстана, прокомментировал ситуацию."
    )
    assert len(facts) == 1
    assert facts[0]["person"] == "Данияр Ахметов"
    assert facts[0]["position"] == "исполняющий обязанности официального представителя"


def test_deputy_keeps_the_ministers_portfolio(run) -> None:
    facts = run("Заместитель министра иностранных дел Казахстана Роман Василенко провёл брифинг.")
    assert [(f["person"], f["position"], f["where"]) for f in facts] == [
        ("Роман Василенко", "заместитель министра иностранных дел", "Казахстан")
    ]


def test_organisation_run_by_a_person(run) -> None:
    facts = run("Партия «Ак жол», возглавляемая Азатом Перуашевым, выдвинула кандидата.")
    assert len(facts) == 1
    assert facts[0]["person"] == "Азат Перуашев"
    assert "Ак жол" in facts[0]["where"]


def test_genitive_name_after_a_post_is_the_boss(run) -> None:
    assert run("Помощник Касым-Жомарта Токаева по экономике выступил на форуме.") == []


def test_unresolved_tenure_date_keeps_its_text(run) -> None:
    facts = run(
        "Тимур Ахметов назначен на должность председателя правления банка «Халык» в марте.", None
    )
    assert len(facts) == 1
    assert facts[0]["phase"] == "start"
    assert facts[0]["time_resolved"] is False
    assert "март" in facts[0]["time"]
