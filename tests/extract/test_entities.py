"""Entities on our own short articles in the style of Central Asian business news."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.model import Entity
from newsfacts.pipeline import Doc

VISIT = (
    "Япония готова инвестировать в строительство логистического центра в Шымкенте\n"
    "Аким Шымкента Нурлан Жумабеков встретился с Чрезвычайным и полномочным послом Японии "
    "в Казахстане Такаши Ямамото, сообщает пресс-служба акима. Стороны обсудили развитие "
    "торговых связей и сотрудничество в сфере энергетики.\n"
    "Посол отметил, что японская сторона рассматривает участие в проекте. По словам "
    "Т. Ямамото, в этом году товарооборот между двумя странами вырос на 15%. Ямамото также "
    "пригласил делегацию города в Осаку.\n"
    "Глава города поблагодарил гостя. Жумабеков напомнил, что правительство Японии "
    "поддерживает программу обучения инженеров. Ранее Евразийский банк развития (ЕАБР) "
    "выделил на проект 40 млн долларов; представители ЕАБР приняли участие во встрече.\n"
    "Участники встречи договорились провести бизнес-форум в Алма-Ате в октябре."
)


def by_name(doc: Doc, name: str) -> Entity:
    found = [e for e in doc.entities if e.name == name]
    assert found, f"{name!r} not among {[e.name for e in doc.entities]}"
    assert len(found) == 1, f"{name!r} split into {len(found)} entities"
    return found[0]


@pytest.fixture(scope="module")
def visit(nlp_doc: Callable[..., Doc]) -> Doc:
    return nlp_doc(VISIT)


def test_persons_normalized_and_merged(visit: Doc) -> None:
    akim = by_name(visit, "Нурлан Жумабеков")
    ambassador = by_name(visit, "Такаши Ямамото")
    assert akim.type == ambassador.type == "person"
    # full name, initial + surname, and surname alone are one person
    texts = {visit.text[a:b] for a, b in ambassador.mentions}
    assert {"Такаши Ямамото", "Т. Ямамото", "Ямамото"} <= texts
    assert {visit.text[a:b] for a, b in akim.mentions} >= {"Нурлан Жумабеков", "Жумабеков"}


def test_place_in_front_of_a_name_is_cut_off(visit: Doc) -> None:
    city = by_name(visit, "Шымкент")
    assert city.subtype == "city" and city.country == "KZ"
    assert any(visit.text[a:b] == "Шымкента" for a, b in city.mentions)
    assert all(e.name != "Шымкента Нурлан Жумабеков" for e in visit.entities)


def test_locations_typed_by_gazetteer(visit: Doc) -> None:
    japan = by_name(visit, "Япония")
    assert (japan.type, japan.subtype, japan.code) == ("location", "country", "JP")
    assert len(japan.mentions) >= 2
    osaka = by_name(visit, "Осака")
    assert (osaka.subtype, osaka.country) == ("city", "JP")
    # an old name resolves to the current one
    almaty = by_name(visit, "Алматы")
    assert visit.text[almaty.mentions[0][0] : almaty.mentions[0][1]] == "Алма-Ате"


def test_organizations(visit: Doc) -> None:
    bank = by_name(visit, "Евразийский банк развития")
    assert bank.type == "organization"
    assert sum(visit.text[a:b] == "ЕАБР" for a, b in bank.mentions) == 2
    government = by_name(visit, "правительство Японии")
    assert government.type == "organization"
    # the country inside the organisation's name is still a mention of the country
    (g_start, g_end) = government.mentions[0]
    japan = by_name(visit, "Япония")
    assert any(g_start <= a and b <= g_end for a, b in japan.mentions)
    press = by_name(visit, "пресс-служба акима")
    assert press.type == "organization"


def test_mentions_are_consistent(visit: Doc) -> None:
    ids = {e.id for e in visit.entities}
    assert [e.id for e in visit.entities] == [f"E{i}" for i in range(1, len(ids) + 1)]
    for mention in visit.mentions:
        assert mention.entity_id in ids
        assert 0 <= mention.start < mention.end <= len(visit.text)
    names_ = [m for m in visit.mentions if m.kind == "name"]
    assert sum(len(e.mentions) for e in visit.entities) == len(names_)


def test_garbage_is_not_an_entity(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "Стороны обсудили перспективы сотрудничестваАким Алматы Ерболат Досаев встретился с "
        "послом. С Чрезвычайным и полномочным послом Италии Марко Альберти обсудили торговлю. "
        "Об этом сообщили СМИ."
    )
    doc = nlp_doc(text)
    found = {e.name for e in doc.entities}
    assert not any("сотрудничества" in n or n.startswith("Чрезвычайн") for n in found), found
    assert "СМИ" not in found
    assert {"Ерболат Досаев", "Марко Альберти", "Алматы", "Италия"} <= found
    assert all(e.type == "person" for e in doc.entities if e.name == "Марко Альберти")


def test_inflected_names_normalized(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "Министр торговли Серик Жумангарин провел переговоры с вице-министром экономики "
        "Узбекистана Бахтиёром Саидовым и с послом Малайзии Ахмадом Фаизал Рахимом. "
        "Саидов сообщил о росте товарооборота."
    )
    doc = nlp_doc(text)
    saidov = by_name(doc, "Бахтиёр Саидов")
    assert len(saidov.mentions) == 2
    found = {e.name for e in doc.entities if e.type == "person"}
    assert "Серик Жумангарин" in found
    assert any(n.endswith("Рахим") and "Фаизал" in n for n in found), found


def test_empty_text_gives_no_entities(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("")
    assert doc.entities == [] and doc.mentions == []


def test_quoted_organizations_merge(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "АО «Самрук-Казына» увеличило дивиденды. Фонд «Самрук-Казына» владеет долей в "
        "компании «КазМунайГаз». Самрук-Казына сообщает о росте прибыли."
    )
    doc = nlp_doc(text)
    fund = by_name(doc, "АО «Самрук-Казына»")
    assert fund.type == "organization"
    assert len(fund.mentions) >= 2
    assert all(e.type != "person" for e in doc.entities), [e.name for e in doc.entities]
    assert any(e.name.endswith("«КазМунайГаз»") or e.name == "КазМунайГаз" for e in doc.entities)


def test_names_the_ner_model_missed_are_found(nlp_doc: Callable[..., Doc]) -> None:
    from newsfacts.extract.entities import entities_layer

    doc = nlp_doc("Вчера Ерболат Досаев открыл форум в Алматы. А. Б. подписал протокол.")
    doc.nlp.spans = []  # as if NER had found nothing
    entities_layer(doc)
    found = {(e.name, e.type) for e in doc.entities}
    assert ("Ерболат Досаев", "person") in found
    assert ("Алматы", "location") in found
    assert not any(name.startswith("А. Б") for name, _ in found)


def test_organization_forms_merge(nlp_doc: Callable[..., Doc]) -> None:
    text = (
        "Труппа Большого театра выступила в Астане. Руководство Большого театра поблагодарило "
        "зрителей, а министр культуры встретился с Большим театром на приеме."
    )
    doc = nlp_doc(text)
    theatres = [e for e in doc.entities if e.type == "organization" and "театр" in e.name]
    assert len(theatres) == 1, [e.name for e in theatres]
    assert theatres[0].name == "Большой театр"


def test_seat_of_power_is_a_place_after_a_preposition(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Кремль заявил о готовности к переговорам. Встреча прошла в Кремле.")
    kinds = sorted((e.type, e.name) for e in doc.entities if e.name == "Кремль")
    assert kinds == [("location", "Кремль"), ("organization", "Кремль")]


def test_domain_zone_is_not_a_country(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc("Регистрация доменов в зоне .РФ началась в 2010 году. Россия поддержала проект.")
    russia = [e for e in doc.entities if e.name == "Россия"]
    assert len(russia) == 1
    assert [doc.text[a:b] for a, b in russia[0].mentions] == ["Россия"]


def test_press_services_are_organizations(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Как сообщили в пресс-службе акима Алматы, проект одобрен. По данным пресс-службы "
        "акимата Шымкента, работы завершены."
    )
    found = {(e.name, e.type) for e in doc.entities}
    assert ("пресс-служба акима Алматы", "organization") in found
    assert ("пресс-служба акимата Шымкента", "organization") in found
    assert ("Шымкент", "location") in found and ("Алматы", "location") in found


def test_facilities_are_places(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Форум прошел во Дворце Независимости в Астане. Делегация прибыла в аэропорт Домодедово."
    )
    types = {e.name: e.type for e in doc.entities}
    palace = [n for n in types if n.startswith("Дворец")]
    assert palace and types[palace[0]] == "location", types
    assert all(t == "location" for n, t in types.items() if "Домодедово" in n), types


def test_multiword_names_decline_head_and_adjectives_only(nlp_doc: Callable[..., Doc]) -> None:
    doc = nlp_doc(
        "Визит прошел в Северо-Кавказском федеральном округе. Форум открылся во Дворце "
        "Независимости, а Министерством национальной экономики подготовлен доклад."
    )
    found = {e.name for e in doc.entities}
    assert "Северо-Кавказский федеральный округ" in found, found
    assert "Дворец Независимости" in found, found
    assert "Министерство национальной экономики" in found, found


def test_sentence_initial_common_noun_is_not_a_place(nlp_doc) -> None:
    doc = nlp_doc(
        "Товарооборот вырос\nТоварооборот между Казахстаном и Китаем вырос. "
        "Товарооборот Узбекистана и России достиг 9 млрд долларов."
    )
    names = {e.name for e in doc.entities}
    assert "Товарооборот" not in names
    assert {"Казахстан", "Китай", "Узбекистан", "Россия"} <= names
