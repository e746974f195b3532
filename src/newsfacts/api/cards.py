"""A chronology whose cards are presented only when read.

An entity page or a dossier lists ~260 facts at 200k articles; the page shows 50
of them (`web.timeline`), the JSON API all. Presenting a card (`fact_json`: its
quotes, its arguments checked against the quotable sets, `prefetch_args` before)
was about a third of a dossier page's CPU for cards it never showed (issue 13).
`Cards` keeps the facts in chronological order and presents a card the first time
a slice of them is read, with the arguments of that slice looked up together.

Presenting is deterministic and the budget's look-ups are caches, so a card is the
same whichever slices were read before it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from newsfacts.fact_args import prefetch_args
from newsfacts.model import Fact, Record
from newsfacts.policy.quota import QuoteBudget


@dataclass(frozen=True)
class Card:
    """One fact of a chronology, not yet presented."""

    time: str | None
    record: Record
    seq: int
    fact: Fact


class Cards(Sequence[dict[str, Any]]):
    """Cards presented on first read, each once (the same dict on every read)."""

    def __init__(
        self,
        cards: list[Card],
        present: Callable[[Card], dict[str, Any]],
        budget: QuoteBudget,
    ) -> None:
        self._cards = list(cards)
        self._present = present
        self._budget = budget
        self._done: dict[tuple[str, int], dict[str, Any]] = {}

    def sort(self, key: Callable[[Card], Any]) -> None:
        self._cards.sort(key=key)

    def present(self, cards: list[Card]) -> list[dict[str, Any]]:
        """`cards` presented, their arguments looked up together first."""
        todo = [c for c in cards if (c.record.article.id, c.seq) not in self._done]
        if todo:
            prefetch_args(self._budget, ((c.record, c.fact) for c in todo))
        for card in todo:
            ref = (card.record.article.id, card.seq)
            if ref not in self._done:
                self._done[ref] = self._present(card)
        return [self._done[(c.record.article.id, c.seq)] for c in cards]

    def __len__(self) -> int:
        return len(self._cards)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return self.present(self._cards[index])
        return self.present([self._cards[index]])[0]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self[:])
