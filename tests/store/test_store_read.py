"""Reading the store, on every configured backend (see conftest.py): lists, filters,
entities, series, meeting edges and search."""

from __future__ import annotations

import pytest
from store_samples import TEXT_A, record_a, record_b

from newsfacts.store import Store, StoreError

# ------------------------------------------------------------------ reading


def test_list_articles_filters_and_pagination(filled: Store) -> None:
    all_ids = [a["id"] for a in filled.list_articles()]
    assert len(all_ids) == 3
    dates = [a["published"] for a in filled.list_articles()]
    assert dates == sorted(dates, reverse=True)
    assert [a["source"] for a in filled.list_articles(source="inform.kz")] == ["inform.kz"]
    in_2022 = filled.list_articles(date_from="2022", date_to="2022-12")
    assert [a["published"] for a in in_2022] == ["2022-04-28"]
    assert len(filled.list_articles(date_to="2022-04-28")) == 2
    with_person = filled.list_articles(entity_key="person:мурат айтенов")
    assert {a["source"] for a in with_person} == {"kapital.kz", "inform.kz"}
    with_launch = filled.list_articles(fact_type="launch")
    assert [a["source"] for a in with_launch] == ["zakon.kz"]
    assert with_launch[0]["facts"] == 3
    pages = [filled.list_articles(limit=2, offset=o) for o in (0, 2, 4)]
    assert [len(p) for p in pages] == [2, 1, 0]
    assert [a["id"] for p in pages for a in p] == all_ids
    assert "text" not in pages[0][0]
    with pytest.raises(StoreError, match="not an ISO date"):
        filled.list_articles(date_from="вчера")
    with pytest.raises(StoreError, match="not an ISO date"):
        filled.list_articles(date_to="2022/04")


def test_facts_filters(filled: Store) -> None:
    meetings = filled.facts(type="meeting")
    assert len(meetings) == 3
    first = meetings[0]
    assert first["article"]["url"].startswith("https://inform.kz/")
    # The stored policy is the effective one: inform.kz's registry entry (issue 12).
    assert first["article"]["policy"]["max_share"] == 0.2
    assert first["article"]["policy"]["origin"] == "registry"
    assert first["args_named"]["participants"] == ["Мурат Айтенов", "Eni"]
    assert first["entities"]["E1"]["entity_key"] == "person:мурат айтенов"
    assert first["evidence"] and first["article_id"] == record_b().article.id

    italy = filled.facts(country="IT")
    assert {f["type"] for f in italy} == {"intent", "quantity", "occupation"}
    # a city counts for its country
    kz = filled.facts(country="kz")
    assert {f["type"] for f in kz} == {"intent", "occupation", "meeting", "quantity"}
    person = filled.facts(entity_key="person:марко альберти")
    assert sorted(f["type"] for f in person) == ["meeting", "meeting", "occupation"]
    # period: the fact's own period when it has one, else the article's date
    in_2021 = filled.facts(period_from="2021", period_to="2021")
    assert sorted(f["type"] for f in in_2021) == ["launch", "meeting", "occupation", "quantity"]
    assert filled.facts(type="launch", period_from="2021-10") == []
    page1 = filled.facts(limit=4)
    page2 = filled.facts(limit=4, offset=4)
    ids = [f["id"] for f in page1 + page2]
    assert len(ids) == len(set(ids)) == 8
    with pytest.raises(StoreError):
        filled.facts(period_from="last spring")


def test_get_entity(filled: Store) -> None:
    assert filled.get_entity("person:никто") is None
    ent = filled.get_entity("person:мурат айтенов")
    assert ent is not None
    assert ent["name"] == "Мурат Айтенов" and ent["type"] == "person"
    assert "аким Шымкента" in ent["aliases"]
    assert [a["source"] for a in ent["articles"]] == ["inform.kz", "kapital.kz"]
    assert ent["article_count"] == 2 and ent["fact_count"] == 4
    assert {f["type"] for f in ent["facts"]} == {"meeting", "occupation"}
    roles = {f["type"]: f["roles"] for f in ent["facts"]}
    assert roles["occupation"] == ["person"]
    positions = ent["positions"]
    assert [p["published"] for p in positions] == ["2022-04-28", "2023-02-10"]
    assert {p["position"] for p in positions} == {"аким"}
    assert positions[0]["where"] == "Шымкент" and positions[0]["where_key"] == "location:шымкент"
    assert positions[0]["url"].startswith("https://kapital.kz/")
    city = filled.get_entity("location:шымкент")
    assert city is not None and city["positions"] == []  # a place holds no post
    italy = filled.get_entity("location:IT", fact_limit=2, article_limit=1)
    assert italy["name"] == "Италия" and italy["code"] == "IT"
    assert italy["article_count"] == 3 and len(italy["articles"]) == 1
    assert italy["fact_count"] == 4 and len(italy["facts"]) == 2
    assert italy["articles"][0]["published"] == "2023-02-10"  # newest first


def test_quantity_series(filled: Store) -> None:
    series = filled.quantity_series(indicator="товарооборот")
    assert [(s["period"], s["value"], s["qualifier"]) for s in series] == [
        ("2021", 13500000, "eq"),
        ("2022", 15000000, "le"),
    ]
    assert series[0]["subjects"] == ["Казахстан", "Италия"]
    assert series[0]["subject_keys"] == ["location:KZ", "location:IT"]
    assert series[0]["article"]["source"] == "kapital.kz"
    both = filled.quantity_series(subjects=["location:KZ", "location:IT"])
    assert len(both) == 2
    assert filled.quantity_series(subjects=["location:KZ", "person:мурат айтенов"]) == []
    assert filled.quantity_series(indicator="товар") == []  # indicator is matched whole


def test_meeting_edges(filled: Store) -> None:
    edges = filled.meeting_edges()
    pairs = {(e["source_name"], e["target_name"]): e["count"] for e in edges}
    assert pairs == {
        ("Марко Альберти", "Мурат Айтенов"): 1,
        ("Eni", "Мурат Айтенов"): 1,
        ("Даркембай Шойбеков", "Марко Альберти"): 1,
    }
    recent = filled.meeting_edges(period_from="2022-01-01")
    assert len(recent) == 2
    assert filled.meeting_edges(period_from="2024") == []


def test_meeting_edges_count_repeat_meetings(store: Store) -> None:
    store.save(record_a())
    rec = record_a()
    rec.article.text += " "  # another article (new id) with the same meeting
    rec.article.id = "f" * 16
    store.save(rec)
    (edge,) = store.meeting_edges()
    assert edge["count"] == 2 and len(edge["articles"]) == 2


# ------------------------------------------------------------------- search


def test_search_articles_is_morphology_agnostic(filled: Store) -> None:
    for query in ("Айтеновым", "айтенов", "ШЫМКЕНТ", "Шымкентом логистическим", "товарооборота"):
        hits = filled.search(query)["articles"]
        assert hits, query
    hits = filled.search("Шымкентом логистический")["articles"]
    assert [h["source"] for h in hits] == ["kapital.kz"]
    assert filled.search("Eni")["articles"][0]["source"] == "inform.kz"
    assert filled.search("Антарктида")["articles"] == []


def test_search_snippet_respects_policy(filled: Store) -> None:
    (hit,) = filled.search("логистического")["articles"]
    assert hit["title"].startswith("Италия")
    assert 0 < len(hit["snippet"]) <= int(0.3 * len(TEXT_A))
    assert hit["url"].startswith("https://kapital.kz/")


@pytest.mark.parametrize(
    "query",
    [
        "AND (",
        '"',
        '"Шымкент',
        "NEAR(a b",
        "*",
        "OR",
        "title:Италия",
        "'; DROP TABLE articles; --",
        "",
        "   ",
        "🙂",
        "a & | ! :*",
        "%_\\",
        "x" * 5000,
    ],
)
def test_search_survives_nasty_queries(filled: Store, query: str) -> None:
    found = filled.search(query)
    assert set(found) == {"articles", "entities", "facts"}
    assert filled.stats()["articles"] == 3


def test_search_keeps_words_of_nasty_queries(filled: Store) -> None:
    assert filled.search("Шымкент AND (")["articles"]
    assert filled.search('"Италия"')["articles"]


def test_search_entities_and_facts(filled: Store) -> None:
    ents = filled.search("айт")["entities"]
    assert ents[0]["entity_key"] == "person:мурат айтенов"
    assert ents[0]["name"] == "Мурат Айтенов" and ents[0]["articles"] == 2
    italy = filled.search("итал")["entities"]
    assert [e["entity_key"] for e in italy] == ["location:IT"]
    assert italy[0]["articles"] == 3
    fact_hits = filled.search("Товарооборот")["facts"]
    assert {f["type"] for f in fact_hits} == {"quantity"} and len(fact_hits) == 2
    by_type = filled.search("launch")["facts"]
    assert [f["type"] for f in by_type] == ["launch"]
    # entity names resolved into the searchable fact text
    assert any(f["type"] == "meeting" for f in filled.search("Альберти")["facts"])
    assert filled.search("100%")["facts"] == []


def test_search_entities_and_facts_by_inflected_words(filled: Store) -> None:
    # names are stored in the nominative; users paste them as they read them
    ents = filled.search("Муратом Айтеновым")["entities"]
    assert [e["entity_key"] for e in ents] == ["person:мурат айтенов"]
    assert filled.search("Шойбековым")["entities"][0]["name"] == "Даркембай Шойбеков"
    assert [e["entity_key"] for e in filled.search("it")["entities"]] == ["location:IT"]
    assert filled.search("Айтеновым Eni")["entities"] == []  # every word must match
    quantities = filled.search("товарооборота")["facts"]
    assert {f["type"] for f in quantities} == {"quantity"}
    assert filled.search("«»")["entities"] == []
