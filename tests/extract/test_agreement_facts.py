"""Signed agreements as deal facts (extract/agreement.py), on our own short sentences."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation", "intent", "plan", "agreement")


def agreements(doc: Doc) -> list[dict[str, Any]]:
    out = []
    for fact in doc.facts:
        if fact.type == "deal" and fact.extractor == "agreement":
            assert fact.evidence and 0 < fact.confidence <= 1
            args = dict(fact.args)
            args["parties"] = [doc.entity(p).name for p in fact.args["parties"]]
            args["signatories"] = [doc.entity(p).name for p in fact.args["signatories"]]
            out.append(args)
    return out


@pytest.fixture(scope="module")
def run(nlp_doc: Callable[..., Doc]) -> Callable[[str], list]:
    return lambda text: agreements(nlp_doc(text, "2024-05-10", COMPONENTS))


def test_countries_sign_a_memorandum_with_its_subject(run) -> None:
    (got,) = run("Казахстан и Монголия подписали меморандум о сотрудничестве в сфере туризма.")
    assert sorted(got["parties"]) == ["Казахстан", "Монголия"]
    assert got["kind"] == "меморандум"
    assert got["subject"] == "сотрудничество в сфере туризма"


def test_passive_signing_takes_the_visiting_region(run) -> None:
    (got,) = run("В ходе визита делегации Павлодарской области подписаны документы о партнерстве.")
    assert got["parties"] == ["Павлодарская область"]
    assert got["kind"] == "документ"


def test_signatories_with_posts_are_the_parties(run) -> None:
    (got,) = run(
        "Соглашение подписали директор компании «Нурагро» Аскар Бекенов и аким района Марат Сейтов."
    )
    assert got["signatories"] == ["Аскар Бекенов", "Марат Сейтов"]
    assert "Нурагро" in got["parties"]  # the company its director signed for


def test_contract_value_and_subject(run) -> None:
    (got,) = run(
        "Узбекистан подписал с Турцией контракт на поставку хлопка на сумму 40 млн долларов."
    )
    assert sorted(got["parties"]) == ["Турция", "Узбекистан"]
    assert got["kind"] == "контракт"
    assert (got["value"], got["unit"]) == (40_000_000, "USD")
    assert got["subject"] == "поставка хлопка"


def test_future_signing_is_a_plan_not_a_deal(nlp_doc) -> None:
    doc = nlp_doc(
        "Узбекистан подпишет с Турцией контракт на поставку хлопка.", "2024-05-10", COMPONENTS
    )
    assert agreements(doc) == []
    plans = [f for f in doc.facts if f.type == "plan"]
    assert len(plans) == 1 and plans[0].args["action"] == "подписать"


def test_nominal_signing_between_two_countries(run) -> None:
    (got,) = run("Состоялось подписание дорожной карты между Кыргызстаном и Китаем.")
    assert sorted(got["parties"]) == ["Китай", "Кыргызстан"]
    assert got["kind"] == "дорожная карта"


def test_intention_to_sign_is_no_deal(run) -> None:
    assert run("Грузия и Армения намерены заключить соглашение о транзите.") == []
    assert run("Планируется подписание меморандума между Казахстаном и Турцией.") == []


def test_no_document_no_agreement(run) -> None:
    assert run("Петров заключил, что Казахстан и Россия не договорятся.") == []
    assert run("Президент Казахстана подписал указ о назначении министра.") == []
    assert run("Компания «Нурагро» подписала петицию в защиту озера Балхаш.") == []
    assert run("Журналисты, заключенные в тюрьму в Египте, объявили голодовку.") == []
    # one signatory of a titled document: an act, not an agreement
    assert (
        run("Опубликован подписанный президентом Касым-Жомартом Токаевым документ «Концепция».")
        == []
    )


def test_sides_of_an_earlier_meeting_sign(run) -> None:
    (got,) = run(
        "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти. "
        "Стороны подписали меморандум о сотрудничестве."
    )
    # the sides sign for what their posts name; the persons are the signatories
    assert sorted(got["parties"]) == ["Алматы", "Италия"]
    assert sorted(got["signatories"]) == ["Ерболат Досаев", "Марко Альберти"]


def test_sides_without_a_placed_post_stay_persons(run) -> None:
    (got,) = run(
        "Ерболат Досаев встретился с Марко Альберти. Стороны подписали меморандум о дружбе."
    )
    assert sorted(got["parties"]) == ["Ерболат Досаев", "Марко Альберти"]


def test_title_line_repeating_the_lead_is_one_deal(run) -> None:
    got = run(
        "Грузия и Армения подписали меморандум по туризму\n"
        "Грузия и Армения подписали меморандум о сотрудничестве в сфере туризма."
    )
    assert len(got) == 1
    assert got[0]["subject"] == "сотрудничество в сфере туризма"


def test_document_named_again_adds_its_signatories(run) -> None:
    (got,) = run(
        "Компания «Сарыагаш Агро» и турецкая компания Anadolu Tarim подписали контракт "
        "на поставку тракторов. Документ подписали директор компании «Сарыагаш Агро» "
        "Нурлан Абенов и президент Anadolu Tarim Мехмет Йылмаз."
    )
    assert got["kind"] == "контракт"
    assert got["subject"] == "поставка тракторов"
    assert sorted(got["signatories"]) == ["Мехмет Йылмаз", "Нурлан Абенов"]
    assert len(got) and "Сарыагаш Агро" in got["parties"]


def test_a_new_document_is_not_folded_into_the_last(run) -> None:
    got = run(
        "Грузия и Армения подписали меморандум о сотрудничестве в сфере туризма. "
        "Затем Грузия и Турция подписали соглашение о строительстве моста."
    )
    assert sorted(g["kind"] for g in got) == ["меморандум", "соглашение"]


def test_ratified_agreement_is_a_deal_between_its_parties(run) -> None:
    (got,) = run("Парламент Армении ратифицировал соглашение между Арменией и Ираном о торговле.")
    assert sorted(got["parties"]) == ["Армения", "Иран"]


def test_documents_signed_after_talks_take_the_meetings_sides(nlp_doc) -> None:
    doc = nlp_doc(
        "Касым-Жомарт Токаев встретился с Шавкатом Мирзиёевым в Ташкенте. "
        "По итогам переговоров подписан ряд документов.",
        "2024-05-10",
        (*COMPONENTS, "meeting"),
    )
    doc.facts[:] = [f for f in doc.facts if f.extractor != "agreement"]
    from newsfacts.extract.agreement import extract_agreements

    (fact,) = extract_agreements(doc)
    names = sorted(doc.entity(p).name for p in fact.args["parties"])
    assert names == ["Касым-Жомарт Токаев", "Шавкат Мирзиёев"]
    assert fact.args["object"] == "ряд документов"


def test_signing_without_any_side_is_no_fact(run) -> None:
    assert run("По итогам переговоров подписан ряд документов.") == []


def test_common_nouns_refer_back_to_the_named_company(run) -> None:
    got = run(
        "Министр Нурлан Беков встретился с президентом компании Sinotex Ли Мином. "
        "По итогам встречи министерство и компания подписали контракт на поставку "
        "оборудования, а также меморандум о подготовке специалистов."
    )
    assert sorted(g["kind"] for g in got) == ["контракт", "меморандум"]
    assert all("Sinotex" in g["parties"] for g in got)
    memo = next(g for g in got if g["kind"] == "меморандум")
    assert memo["object"] == "меморандум о подготовке специалистов"


def test_compound_document_noun(run) -> None:
    (got,) = run(
        "Турецкая компания Enka и ТОО «Жайык Газ» заключили EPC-контракт на строительство завода."
    )
    assert got["kind"] == "контракт"
