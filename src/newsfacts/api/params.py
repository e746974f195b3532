"""Query parameters the API routes and the pages share, validated the same way.

One definition of a date, a page and a text query means a value the page accepts
is one the API accepts too (and the other way round), and both reject it with the
same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError

from newsfacts.model import FACT_TYPES

# A year, a month or a day that exists: 2022-02-31 and 2023-02-29 do not match, so
# the schema itself tells clients (and schemathesis) which dates are valid.
_YEAR = r"[1-9]\d{3}"
_LEAP = r"([1-9]\d(0[48]|[2468][048]|[13579][26])|([13579][26]|[2468][048])00)"
ISO_DATE = (
    rf"^({_YEAR}(-(0[1-9]|1[0-2]))?"
    rf"|{_YEAR}-(0[13578]|1[02])-(0[1-9]|[12]\d|3[01])"
    rf"|{_YEAR}-(0[469]|11)-(0[1-9]|[12]\d|30)"
    rf"|{_YEAR}-02-(0[1-9]|1\d|2[0-8])"
    rf"|{_LEAP}-02-29)$"
)
# One limit for every free-text query, in the API and on the pages alike.
MAX_QUERY_LEN = 200
MAX_KEY_LEN = 500
MAX_OFFSET = 1_000_000
MAX_LIMIT = 500

FactType = Literal[FACT_TYPES]  # type: ignore[valid-type]
EntityType = Literal["person", "organization", "location"]
DateParam = Annotated[
    str | None,
    Query(pattern=ISO_DATE, description="ISO date or period: 2022, 2022-06, 2022-06-01"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="items to skip")]
TextQuery = Annotated[
    str | None, Query(max_length=MAX_QUERY_LEN, description="text to look for in the facts")
]
EntityKey = Annotated[
    str | None,
    Query(max_length=MAX_KEY_LEN, description="entity key (person:ерболат досаев) or KB id"),
]
Country = Annotated[str | None, Query(pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 code")]
Confidence = Annotated[
    float | None, Query(ge=0, le=1, description="only facts at least this confident")
]


def inverted(date_from: str | None, date_to: str | None) -> bool:
    """True when the period starts after it ends ("2022-06-02" … "2022-06-01").

    A period ends at the last day its prefix covers, so "2022-06" … "2022" is fine.
    """
    return bool(date_from and date_to and date_from > date_to + "-99")


@dataclass(frozen=True)
class Period:
    date_from: str | None = None
    date_to: str | None = None


def period(date_from: DateParam = None, date_to: DateParam = None) -> Period:
    """The date range of a request; an inverted one is a 422, not an empty answer."""
    if inverted(date_from, date_to):
        raise RequestValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ("query", "date_to"),
                    "msg": "inverted range",
                    "input": date_to,
                    "ctx": {"error": f"конец периода ({date_to}) раньше его начала ({date_from})"},
                }
            ]
        )
    return Period(date_from, date_to)


PeriodParam = Annotated[Period, Depends(period)]
