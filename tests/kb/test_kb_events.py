"""Merged events, independent sources, figures side by side, story clusters."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from kb_corpus_helpers import pairwise

from newsfacts import kb
from newsfacts.kb.events import signature
from newsfacts.kb.tables import kb_event_sources
from newsfacts.model import article_id
from newsfacts.store import Store


def test_signature_ignores_case_endings() -> None:
    assert signature("запуск прямых авиарейсов") == signature("запуска прямого авиарейса")
    assert signature("выпуск облигаций") != signature("выкуп акций")


def test_events_cluster_like_gold(kb_store: Store, corpus: list[dict[str, Any]]) -> None:
    with kb_store._read() as conn:
        rows = conn.execute(sa.select(kb_event_sources)).all()
    pred = {(r.article_id, r.seq): r.event_id for r in rows}
    gold = {
        (article_id(item["text"]), seq): fact["event"]
        for item in corpus
        for seq, fact in enumerate(item["gold"]["facts"])
    }
    assert set(pred) == set(gold)
    precision, recall = pairwise(pred, gold)
    assert precision == 1.0
    assert recall == 1.0


def test_retold_meeting_is_one_event_with_independent_sources(kb_store: Store) -> None:
    found = kb.events(kb_store, entity="Марко Альберти", type="meeting")
    april = [e for e in found if e["period"] == "2022-04"]
    assert len(april) == 1
    event = april[0]
    assert event["n_articles"] == 4
    # kapital.kz twice, inform.kz, almaty.tv: three outlets
    assert event["n_independent"] == 3
    assert {e["name"] for e in event["entities"]} == {"Ерболат Досаев", "Марко Альберти"}
    assert all(s["url"] for s in event["sources"])


def test_near_duplicate_is_not_an_independent_source(kb_store: Store) -> None:
    (event,) = [e for e in kb.events(kb_store, entity="Бахтиёр Саидов", type="meeting")]
    assert event["n_articles"] == 3
    assert event["n_independent"] == 2
    assert sum(1 for s in event["sources"] if s["duplicate_of"]) == 1


def test_disagreeing_figures_are_kept_side_by_side(kb_store: Store) -> None:
    figures = kb.events(kb_store, entity="Индонезия", type="quantity")
    by_period = {e["period"]: e for e in figures}
    assert set(by_period) == {"2021", "2022"}
    y2021 = by_period["2021"]
    assert y2021["conflict"] is True
    values = {v["value"]: v["sources"] for v in y2021["values"]}
    assert values == {
        400000000: ["kapital.kz", "kursiv.media"],
        415000000: ["inform.kz"],
    }
    assert by_period["2022"]["conflict"] is False


def test_entity_filter_and_type_filter(kb_store: Store) -> None:
    arman = kb.events(kb_store, entity="Арман Досаев")
    assert arman and all("Арман Досаев" in {e["name"] for e in ev["entities"]} for ev in arman)
    assert all(ev["type"] == "plan" for ev in kb.events(kb_store, type="plan"))
    assert kb.events(kb_store, entity="Нет Такого") == []


def test_story_clusters_group_retellings(kb_store: Store, corpus: list[dict[str, Any]]) -> None:
    title = {article_id(i["text"]): i["title"] for i in corpus}
    stories = kb.stories(kb_store)
    story_of: dict[str, str] = {}
    for s in stories:
        for a in s["articles"]:
            story_of[a] = s["story_id"]
    groups: dict[str, set[str]] = defaultdict(set)
    for a, sid in story_of.items():
        groups[sid].add(title[a])
    italy = next(g for g in groups.values() if "Посол Италии посетил акимат Алматы" in g)
    assert "Италия готова профинансировать центр креативных индустрий в Алматы" in italy
    # two years apart: the 2023 visit is another story
    assert "Сатыбалды встретился с послом Италии" not in italy
    water = next(g for g in groups.values() if "Казахстан и Узбекистан договорились о воде" in g)
    assert "Казахстан и Узбекистан договорились о воде (копия)" in water
