"""A page's dossier presents only the chronology cards it reads (`api.cards`, issue 13),
and those cards, its figures, relations and summary equal the API's eager view."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from newsfacts.api import entity_views
from newsfacts.api.cards import Card, Cards
from newsfacts.model import Article, Fact, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.store.schema import entities


def _cards(n: int) -> list[Card]:
    record = Record(article=Article(id="a", text="Текст статьи.", title="Т"))
    return [Card(f"2022-0{1 + i % 9}", record, i, Fact("meeting", {}, [])) for i in range(n)]


def test_cards_present_each_read_card_once_and_no_other() -> None:
    presented: list[int] = []

    def present(card: Card) -> dict[str, Any]:
        presented.append(card.seq)
        return {"seq": card.seq}

    cards = Cards(_cards(7), present, QuoteBudget())
    cards.sort(key=lambda c: -c.seq)
    assert len(cards) == 7 and presented == []
    first = cards[0:2]
    assert [c["seq"] for c in first] == [6, 5] and presented == [6, 5]
    assert cards[1] is first[1]  # the same dict, not presented again
    assert [c["seq"] for c in cards[5:]] == [1, 0] and presented == [6, 5, 1, 0]
    assert [c["seq"] for c in cards] == [6, 5, 4, 3, 2, 1, 0]
    assert sorted(presented) == list(range(7))  # each once


def test_lazy_dossier_equals_the_eager_view_slice_by_slice(store: Store) -> None:
    state = create_app(store).state.newsfacts
    with store._read() as conn:
        keys = sorted(set(conn.execute(sa.select(entities.c.entity_key)).scalars()))
    compared = 0
    for key in keys:
        eager = entity_views.dossier_view(key, state.queries, store.fact_slices, state.budget())
        lazy = entity_views.dossier_view(
            key, state.queries, store.fact_slices, state.budget(), lazy=True
        )
        if eager is None:
            assert lazy is None, key
            continue
        assert lazy is not None
        timeline = lazy.pop("timeline")
        assert isinstance(timeline, Cards) and len(timeline) == len(eager["timeline"])
        assert lazy == {k: v for k, v in eager.items() if k != "timeline"}, key
        # Later slices first: a card does not depend on what was read before it.
        for start in range(len(timeline) - 1, -1, -2):
            assert timeline[start : start + 2] == eager["timeline"][start : start + 2], key
        compared += bool(eager["timeline"])
    assert compared >= 3  # several places have a chronology
