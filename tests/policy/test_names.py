"""Issue 12: the short form a name long enough to be text is shown in (`policy.names`)."""

from __future__ import annotations

import pytest

from newsfacts.model import Entity, Record
from newsfacts.policy.names import short_name, shown_entity, shown_record
from newsfacts.policy.verbatim import is_text

LONG = [
    ("Северный фонд поддержки малого предпринимательства", "organization"),
    ("Министерство иностранных дел", "organization"),
    ("ТОО «Степной агрохолдинг Сары-Арка»", "organization"),
    ("Анна Валерьевна Кольцова-Мирская", "person"),
    ("Западно-Казахстанская область", "location"),
    ("Верхнеиртышский индустриальный округ", "location"),
    ("Константин Константинопольский", "person"),
    ("Управление внутренней политики и развития языков", ""),
]


@pytest.mark.parametrize(("name", "type_"), LONG)
def test_a_long_name_is_shown_in_a_form_that_holds_no_run(name: str, type_: str) -> None:
    assert is_text(name)  # the premise
    shown = short_name(name, type_)
    assert shown and shown != name and not is_text(shown)


def test_known_and_generated_short_forms() -> None:
    assert short_name("Министерство иностранных дел", "organization") == "МИД"
    assert short_name("Евразийский  экономический союз", "organization") == "ЕАЭС"  # data file
    assert short_name("Северный фонд поддержки малого предпринимательства", "organization") == (
        "СФПМП"
    )
    assert short_name("ТОО «Степной агрохолдинг»", "organization") == "«Степной агрохолдинг»"
    assert short_name("Анна Валерьевна Кольцова", "person") == "Анна Кольцова"


def test_short_names_are_kept_and_the_record_is_not_changed() -> None:
    assert short_name("Ерболат Досаев", "person") == "Ерболат Досаев"
    assert short_name("ООН", "organization") == "ООН"
    long = "Северный фонд поддержки малого предпринимательства"
    ent = Entity(id="E1", type="organization", name=long, aliases=["СФП", f"{long}а"])
    record = Record(article=None, entities=[ent], facts=[])  # type: ignore[arg-type]
    shown = shown_record(record)
    assert shown.entities[0].name == "СФПМП" and shown.entities[0].aliases == ["СФП"]
    assert record.entities[0].name == long  # the caller's record keeps the full name
    assert shown_entity(shown.entities[0]) is shown.entities[0]


def test_a_generated_short_form_keeps_a_digest_of_the_full_name() -> None:
    # Initials may name several bodies: the digest of the full name tells them apart
    # (issue 12); a curated abbreviation names one body and needs none.
    nurek = shown_entity(Entity(id="E1", type="organization", name="Нурекская гидроэлектростанция"))
    narva = shown_entity(Entity(id="E1", type="organization", name="Нарвская гидроэлектростанция"))
    assert nurek.name == narva.name == "НГ"
    assert nurek.ident and narva.ident and nurek.ident != narva.ident
    assert nurek.search_name == "Нурекская гидроэлектростанция"  # for search only
    assert "search_name" not in nurek.to_dict() and nurek.to_dict()["ident"] == nurek.ident
    ebrd = "Европейский банк реконструкции и развития"
    known = shown_entity(Entity(id="E1", type="organization", name=ebrd))
    assert known.name == "ЕБРР" and known.ident is None


def test_a_known_name_with_a_word_left_over_keeps_its_abbreviation_and_key() -> None:
    # An extraction that ran one word on names the same body: curated form, no digest.
    stray = shown_entity(
        Entity(id="E1", type="organization", name="Европейский банк реконструкции и развития о")
    )
    assert stray.name == "ЕБРР" and stray.ident is None
