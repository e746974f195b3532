"""Entity names and identity on our own invented sentences: nominative normal forms
in every case, one entity under its several names, and mentions that name nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.extract import org_aliases
from newsfacts.pipeline import Doc


def names_of(doc: Doc, etype: str | None = None) -> list[str]:
    return [e.name for e in doc.entities if etype is None or e.type == etype]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Министр встретился с Абылкаиром СКАКОВЫМ в Астане.", "Абылкаир Скаков"),
        ("Премию вручили Анне ИВАНОВОЙ вчера.", "Анна Иванова"),
        ("Переговоры с Владимиром Зеленским прошли в Киеве.", "Владимир Зеленский"),
        ("Договор подписали с Игорем Коломойским утром.", "Игорь Коломойский"),
        ("Соглашение обсудили с Еленой Зеленской в Минске.", "Елена Зеленская"),
    ],
)
def test_person_names_in_nominative(nlp_doc: Callable[..., Doc], text: str, name: str) -> None:
    assert name in names_of(nlp_doc(text), "person")


def test_nominative_masculine_adjectival_surname_kept(nlp_doc: Callable[..., Doc]) -> None:
    # "-ой" is a masculine nominative here, not a feminine oblique form
    doc = nlp_doc("На встрече выступил Олег ТРУБЕЦКОЙ, глава совета.")
    assert "Олег Трубецкой" in names_of(doc, "person")


def test_cases_of_one_person_merge(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Переговоры с Владимиром Зеленским прошли в Киеве. "
        "Москва не комментировала заявление Владимира Зеленского."
    )
    assert names_of(doc, "person") == ["Владимир Зеленский"]


def test_adjective_and_noun_place_agree(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Власти Зеленодольской области выделили средства жителям.")
    assert "Зеленодольская область" in names_of(doc, "location")


def test_abbreviation_of_compound_word_merges(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Акции ЧТПЗ выросли на бирже. Челябинский трубопрокатный завод увеличил выпуск труб."
    )
    orgs = [e for e in doc.entities if e.type == "organization"]
    assert len(orgs) == 1 and orgs[0].name == "Челябинский трубопрокатный завод"
    assert len(orgs[0].mentions) == 2


def test_initials_read_compound_parts() -> None:
    assert org_aliases.initials_match("ЧТПЗ", "Челябинский трубопрокатный завод")
    assert org_aliases.initials_match("МИД", "министерство иностранных дел")
    assert not org_aliases.initials_match("ЧТПЗ", "Челябинский тракторный завод")
    assert not org_aliases.initials_match("АБ", "Альфа")


def test_synonym_of_government_merges(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Кабмин утвердил программу. Правительство Казахстана выделит средства на дороги.")
    orgs = [e for e in doc.entities if e.type == "organization"]
    assert [o.name for o in orgs] == ["Правительство Казахстана"]


def test_foreign_ministry_synonym_merges(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Заявление российского внешнеполитического ведомства опубликовано. "
        "МИД РФ также выразил протест."
    )
    assert len([e for e in doc.entities if e.type == "organization"]) == 1


def test_ministries_of_two_countries_stay_apart() -> None:
    assert org_aliases.concept_of("МИД России") == ("министерство иностранных дел", "RU")
    assert org_aliases.concept_of("МИД Казахстана") == ("министерство иностранных дел", "KZ")
    assert org_aliases.concept_of("правительство Москвы") is None


def test_generic_board_is_no_organisation(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Совет директоров одобрил сделку. Акционеры «Казатомпрома» довольны.")
    assert "Совет директоров" not in names_of(doc)


def test_indicator_opening_sentence_is_no_name(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Товарооборот Казахстана и Китая вырос на 10%.")
    assert not any(n.startswith("Товарооборот") for n in names_of(doc))
    assert "Казахстан" in names_of(doc, "location")


def test_title_line_is_split_from_body(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Премьер-министр Аскар Мамин\nНижняя палата парламента одобрила закон.")
    assert "Аскар Мамин" in names_of(doc, "person")
    assert not any("Нижняя" in n and "Мамин" in n for n in names_of(doc))


def test_currency_country_is_no_place(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Инвестиции составили 300 млн долларов США. Экспорт достиг 2 млрд долл. США.")
    assert "США" not in names_of(doc)


def test_country_outside_currency_stays(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Делегация США прибыла в Астану, инвестиции составят 300 млн долларов.")
    assert "США" in names_of(doc, "location")


def test_place_after_post_is_no_person(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Аким Алматы заявил, что город выделит 5 млрд тенге.")
    assert "Алматы" in names_of(doc, "location")
    assert "Алматы" not in names_of(doc, "person")
