"""The gazetteer, the post lexicon and the person-name helpers (one test runs natasha)."""

from __future__ import annotations

import pytest

from newsfacts.extract import gazetteer, lexicons, names


@pytest.mark.parametrize(
    ("form", "name", "kind"),
    [
        ("Казахстане", "Казахстан", "country"),
        ("казахстан", "Казахстан", "country"),
        ("Италии", "Италия", "country"),
        ("Алма-Ате", "Алматы", "city"),
        ("Нур-Султане", "Астана", "city"),
        ("Центральной Азии", "Центральная Азия", "other"),
        ("Алматинской области", "Алматинская область", "region"),
        ("Евросоюза", "Европейский союз", "organization"),
        ("Милане", "Милан", "city"),
    ],
)
def test_lookup_any_case(form: str, name: str, kind: str) -> None:
    place = gazetteer.lookup(form)
    assert place is not None, form
    assert (place.name, place.kind) == (name, kind)


def test_codes_for_countries_and_cities() -> None:
    italy = gazetteer.lookup("Италия")
    milan = gazetteer.lookup("Милан")
    almaty = gazetteer.lookup("Алматы")
    assert italy is not None and italy.code == "IT"
    assert milan is not None and milan.country == "IT" and milan.code is None
    assert almaty is not None and almaty.country == "KZ" and almaty.subtype == "city"


def test_unknown_and_ordinary_words_are_not_places() -> None:
    assert gazetteer.lookup("Марко") is None
    assert gazetteer.lookup("сотрудничество") is None
    assert gazetteer.lookup("") is None


def test_country_by_adjective() -> None:
    assert gazetteer.country_by_adjective("итальянский").code == "IT"  # type: ignore[union-attr]
    assert gazetteer.country_by_adjective("итальянской").code == "IT"  # type: ignore[union-attr]
    # a city's adjective points to its country
    assert gazetteer.country_by_adjective("алматинский").code == "KZ"  # type: ignore[union-attr]
    assert gazetteer.country_by_adjective("креативный") is None


def test_gazetteer_data_is_well_formed() -> None:
    rows = gazetteer._read_rows()
    assert len(rows) > 250
    kinds = {row[1] for row in rows}
    assert kinds <= {"country", "city", "region", "other", "organization"}
    codes = [row[2] for row in rows if row[1] == "country"]
    assert all(len(code) == 2 and code.isupper() for code in codes)
    assert len(codes) == len(set(codes)), "a country code appears twice"


def test_positions_lexicon() -> None:
    posts = lexicons.positions()
    for post in ("аким", "посол", "чрезвычайный и полномочный посол", "министр", "вице-министр",
                 "председатель правления", "генеральный директор", "премьер-министр"):  # fmt: skip
        assert post in posts
    # longest first, so a greedy matcher prefers "чрезвычайный и полномочный посол"
    assert len(posts[0].split()) >= len(posts[-1].split())
    assert lexicons.position_head("чрезвычайный и полномочный посол") == "посол"
    assert lexicons.position_head("председатель правления") == "председатель"
    assert lexicons.is_position("Аким")


def test_name_like() -> None:
    assert names.name_like("Досаев")
    assert names.name_like("Альберти")  # unknown foreign name
    assert not names.name_like("Чрезвычайным")
    assert not names.name_like("Подана")


def test_split_name_and_stems() -> None:
    parts = names.split_name("Мохамад Фаджрул Рахман")
    assert (parts.first, parts.last) == ("Мохамад Фаджрул", "Рахман")
    parts = names.split_name("Ерболат Досаев")
    assert (parts.first, parts.last) == ("Ерболат", "Досаев")
    parts = names.split_name("М. Альберти")
    assert parts.last == "Альберти" and parts.initials == ("М",)
    assert names.stem_match("Досаев", "Досаевым")
    assert names.stem_match("Альберти", "Альберти")
    assert not names.stem_match("Досаев", "Досымов")


def test_normalize_names_with_a_wrong_tagger() -> None:
    from newsfacts.nlp.natasha_pipe import analyse

    text = (
        "Он встретился с председателем правления Алмасадамом Саткалиевым и с вице-президентом "
        "Антонеллой Бассани. Об этом сообщил Федор Мирзоянов. Слово взял посол Такаши Ямамото."
    )
    normals = {names.normalize_tokens(span.tokens) for span in analyse(text).spans}
    assert {"Алмасадам Саткалиев", "Антонелла Бассани", "Федор Мирзоянов"} <= normals
    assert "Такаши Ямамото" in normals  # a foreign name ending in a vowel stays as written


def test_regions_of_the_world_are_their_own_places() -> None:
    assert gazetteer.lookup("Юго-Восточной Азии").name == "Юго-Восточная Азия"  # type: ignore[union-attr]
    assert gazetteer.lookup("Азии").name == "Азия"  # type: ignore[union-attr]
    assert gazetteer.country_by_adjective("европейский") is None  # Europe is not a country


def test_name_words_match_in_either_direction() -> None:
    assert names.stem_match("Ратманский", "Ратманским")
    assert names.stem_match("Ратманский", "Ратманского")
    assert not names.stem_match("Ратманский", "Ратманова")
    assert names.same_name_word("Марку", "Марк") and names.same_name_word("Марк", "Марку")


@pytest.mark.parametrize(
    ("form", "name"),
    [
        ("Соединёнными Штатами Америки", "США"),
        ("Соединенными Штатами", "США"),
        ("Боснии и Герцеговины", "Босния и Герцеговина"),
        ("Организацией Объединённых Наций", "Организация Объединённых Наций"),
        ("Демократической Республики Конго", "Демократическая Республика Конго"),
    ],
)
def test_lookup_phrases_decline_head_only(form: str, name: str) -> None:
    place = gazetteer.lookup(form)
    assert place is not None and place.name == name
