"""An entity page's card sections (meetings, statements, figures, other facts) show
their latest `MAX_CARDS` cards.

Each card carries its quote, its raw record, a curation form and a checked
statement. A section listed every card of the entity's first 200 articles: at
200,000 articles «Яффа Иссахар»'s page held 200 meeting cards, 773 KB of its 845 and
most of its 187 ms of CPU (issue 13, seventh session). Every fact stays one click
away: in the page's chronology (all of them, 50 at a time) and on `/facts`, where
each can be judged or corrected; the JSON API lists them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# 20 cards: a screenful or two of reading; the frequent entities of the benchmark
# stores have 10-30 meetings and statements each.
MAX_CARDS = 20
GROUPS = ("meetings", "statements", "figures", "other_facts")


@dataclass(frozen=True)
class Section:
    """The cards a section shows (oldest first, as the view orders them) and how
    many facts the section has in all."""

    shown: list[dict[str, Any]]
    total: int


def latest(items: list[dict[str, Any]]) -> Section:
    """The last `MAX_CARDS` of `items` (read at call time: tests shrink it)."""
    size = MAX_CARDS
    return Section(items[-size:] if len(items) > size else list(items), len(items))


def sections(view: dict[str, Any]) -> dict[str, Section]:
    """Each card section of an entity view, cut to its latest cards."""
    return {group: latest(view[group]) for group in GROUPS}
