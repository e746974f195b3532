"""The speed prefilters of the rule extractors must never drop a match.

`extract/date_rules.py` runs a rule only when cheap probes find what every match of the
rule contains; these tests run all rules unfiltered next to the filtered ones.
(They live with the NLP speed work they belong to, not with the extractors' own
behaviour tests.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsfacts.extract import date_rules

SENTENCES = [
    "По итогам первого квартала 2023 года экспорт вырос.",
    "Во II квартале прошлого года добыча снизилась.",
    "За первое полугодие текущего года и за 9 месяцев 2022 года.",
    "С 1 января 2024 года тарифы вырастут; с 01.02.2024 г. вступит закон.",
    "Встреча прошла 5–6 марта, а переговоры — в январе-феврале 2022 года.",
    "Визит намечен на 12 дек. 2023, отчёт выйдет 3 сент.",
    "В мае прошлого года и в мае 2021 года, к концу 2025 года.",
    "В 2019–2021 годах, с 2018 по 2020 год, в 2022-м году.",
    "Вчера и сегодня, на прошлой неделе, в следующем месяце, в этом году.",
    "С начала года и с начала 2023 года инфляция замедлилась.",
    "За два месяца проект окупился; по итогам трёх месяцев.",
    "В течение марта, до апреля, Майя и Марта Маевы, самая ранняя весна.",
    "Ничего о датах здесь нет, только цифры 1905 и 15.",
]


def unfiltered(text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(r.name, m.span()) for r in date_rules.RULES for m in r.regex.finditer(text)]


def filtered(text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(r.name, m.span()) for r in date_rules._rules_for(text) for m in r.regex.finditer(text)]


@pytest.mark.parametrize("text", SENTENCES)
def test_probes_keep_every_match(text: str) -> None:
    assert filtered(text) == unfiltered(text)


def test_probes_skip_rules() -> None:
    """The filter does something: a text without months or years skips those rules."""
    names = {r.name for r in date_rules._rules_for("Вчера стороны обсудили торговлю.")}
    assert "full_date" not in names and "quarter" not in names
    assert "day_rel" in names


def test_every_rule_has_known_probes() -> None:
    for name, probes in date_rules._NEEDS.items():
        assert name in {r.name for r in date_rules.RULES}
        assert all(p in date_rules._PROBES for p in probes)


CORPORA = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.mark.slow
def test_probes_on_shared_corpora() -> None:
    folders = [CORPORA / "factrueval-2016" / "devset", CORPORA / "nerel-1.1" / "dev"]
    if not all(f.is_dir() for f in folders):
        pytest.skip("../shared/data is not available")
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            assert filtered(text) == unfiltered(text), path.name


PLACES_TEXT = (
    "Делегация из Нью-Йорка прибыла в Алматы, затем в Республику Корея.\n"
    "В Кот-д'Ивуаре и Объединённых Арабских Эмиратах прошли переговоры.\n"
    "Северо-Казахстанская область и Санкт-Петербург подписали соглашение. "
    "Министр посетил Бишкек и Душанбе."
)


def test_gazetteer_first_word_filter_keeps_every_place(
    nlp_models: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfacts.extract import entity_typing
    from newsfacts.model import Article
    from newsfacts.nlp.natasha_pipe import analyse
    from newsfacts.pipeline import Doc

    doc = Doc(article=Article(id="t", text=PLACES_TEXT))
    doc.nlp = analyse(PLACES_TEXT)

    def scan() -> list[tuple[int, int, str]]:
        nothing_taken = entity_typing.Taken(len(PLACES_TEXT))
        return [
            (c.start, c.end, c.place.name)
            for c in entity_typing._gazetteer_scan(doc, nothing_taken)
        ]

    filtered_places = scan()
    monkeypatch.setattr(entity_typing, "_may_start_place", lambda token: True)
    assert filtered_places == scan()
    assert len(filtered_places) >= 4


def test_has_prefix() -> None:
    from newsfacts.extract import gazetteer

    forms = sorted(gazetteer._index().by_form)
    some = forms[len(forms) // 2]
    assert gazetteer.has_prefix(some)
    assert gazetteer.has_prefix(some[:2])
    assert not gazetteer.has_prefix("щщщ")
