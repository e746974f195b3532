"""The chronology of an entity or dossier page, one slice of cards at a time.

At 200k articles the RU dossier rendered ~260 fact cards (1 MB of HTML), each with
its raw record and a composed-wording check, for a reader who sees the first few.
A page now shows `CARDS_PER_PAGE` of them, in the chronology's own order (oldest
first); `?cards=OFFSET` picks the slice and the links «Ранее»/«Позже» keep every
other query parameter. Only the shown cards are composed, checked and rendered;
the quotes they carry went through the page's `QuoteBudget` as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request

from newsfacts.api.params import MAX_OFFSET

# 50 cards: about 190 KB of the RU dossier's HTML, a few minutes of reading, and
# 4-6 slices for the busiest places (215-333 cards at 20k), so «Позже» is rarely far.
CARDS_PER_PAGE = 50
PARAM = "cards"
ANCHOR = "#timeline"

Cards = Annotated[
    int,
    Query(ge=0, le=MAX_OFFSET, description="chronology cards to skip (a slice's first card)"),
]


@dataclass(frozen=True)
class Slice:
    """Where the shown cards sit in the whole chronology, and the links around them."""

    offset: int
    shown: int
    total: int
    earlier: str | None  # the previous slice, None on the first
    later: str | None  # the next slice, None on the last
    first: str | None  # the first slice, when it is not the previous one
    last: str | None  # the last slice, when it is not the next one


def last_offset(total: int, size: int) -> int:
    """The first card of the last slice (0 for an empty chronology)."""
    return max(0, (total - 1) // size * size)


def cut(
    items: list[dict[str, Any]], offset: int, request: Request
) -> tuple[list[dict[str, Any]], Slice]:
    """`CARDS_PER_PAGE` items from `offset`, clamped to the last slice when past the
    end (an old link to a chronology that has since shrunk still shows cards)."""
    size = CARDS_PER_PAGE  # read at call time: the tests shrink it for small stores
    total = len(items)
    offset = min(offset, last_offset(total, size))
    part = items[offset : offset + size]
    later = offset + size if offset + size < total else None
    earlier = max(0, offset - size) if offset > 0 else None
    end = last_offset(total, size)
    return part, Slice(
        offset=offset,
        shown=len(part),
        total=total,
        earlier=None if earlier is None else href(request, earlier),
        later=None if later is None else href(request, later),
        first=href(request, 0) if earlier not in (None, 0) else None,
        last=href(request, end) if later is not None and later != end else None,
    )


def href(request: Request, offset: int) -> str:
    """This page's query with `cards=offset` instead of its own, other parameters kept."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k != PARAM]
    params.append((PARAM, str(offset)))
    return f"?{urlencode(params)}{ANCHOR}"
