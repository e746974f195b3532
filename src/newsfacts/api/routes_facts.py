"""GET /api/facts, /api/export, /api/quantities and /api/meetings.

`/api/facts` and `/api/export` take one set of filters (`FactFilters`), so an
export holds exactly the facts the same query lists, page after page.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from newsfacts.api import aggregate
from newsfacts.api.errors import responses
from newsfacts.api.params import (
    MAX_QUERY_LEN,
    Confidence,
    Country,
    EntityKey,
    FactType,
    Limit,
    Offset,
    PeriodParam,
    TextQuery,
)
from newsfacts.api.routes_articles import facts_page
from newsfacts.api.schemas import FactList, MeetingGraph, SeriesList
from newsfacts.api.state import AppState, State, known_entity
from newsfacts.export import FORMATS, MEDIA_TYPES, ExportError, export_bytes, select_records

router = APIRouter()
MAX_EXPORT = 100_000


@dataclass(frozen=True)
class FactFilters:
    """The filters of a fact list, as `Queries.facts` takes them."""

    type: str | None = None
    entity: str | None = None
    country: str | None = None
    source: str | None = None
    min_confidence: float | None = None
    date_from: str | None = None
    date_to: str | None = None
    text: str | None = None

    def query(self, state: AppState, **page: Any) -> Any:
        filters = asdict(self)
        filters["entity"] = known_entity(state, self.entity)
        return state.queries.facts(**filters, **page)


def fact_filters(
    period: PeriodParam,
    type: FactType | None = None,
    entity: EntityKey = None,
    country: Country = None,
    source: Annotated[str | None, Query(max_length=255, description="outlet domain")] = None,
    min_confidence: Confidence = None,
    q: TextQuery = None,
) -> FactFilters:
    return FactFilters(
        type=type,
        entity=entity,
        country=country.upper() if country else None,
        source=source,
        min_confidence=min_confidence,
        date_from=period.date_from,
        date_to=period.date_to,
        text=q,
    )


Filters = Annotated[FactFilters, Depends(fact_filters)]


@router.get(
    "/facts",
    tags=["facts"],
    summary="Facts by type, entity, country, source, confidence, period",
    response_model=FactList,
    responses=responses(404, 422),
)
def list_facts(state: State, filters: Filters, limit: Limit = 50, offset: Offset = 0) -> Any:
    page = filters.query(state, limit=limit, offset=offset)
    return {
        "items": facts_page(state, page.items),
        "total": page.total,
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/export",
    tags=["export"],
    summary="The facts /api/facts lists, as JSONL, CSV (flat columns) or Parquet",
    response_class=Response,
    responses={
        200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in FORMATS}},
        **responses(404, 422),
    },
)
def export(
    state: State,
    filters: Filters,
    format: Literal["jsonl", "csv", "parquet"] = "jsonl",
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = 10_000,
) -> Response:
    page = filters.query(state, limit=limit, count=False)
    records = select_records(state.record, page.items)
    try:
        body = export_bytes(records, format, state.budget())
    except ExportError as exc:
        raise HTTPException(422, str(exc)) from exc
    return Response(
        body,
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="newsfacts-facts.{format}"'},
    )


@router.get(
    "/quantities",
    tags=["facts"],
    summary="Reported figures as series, one per indicator, unit and subjects",
    response_model=SeriesList,
    responses=responses(404, 422),
)
def quantities(
    state: State,
    indicator: Annotated[str | None, Query(max_length=MAX_QUERY_LEN)] = None,
    subject: EntityKey = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    series = aggregate.quantity_series(state.queries, indicator, known_entity(state, subject))
    return {
        "items": series[offset : offset + limit],
        "total": len(series),
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/meetings",
    tags=["facts"],
    summary="Who met whom, as a graph",
    response_model=MeetingGraph,
    responses=responses(422),
)
def meetings(state: State, period: PeriodParam) -> Any:
    return aggregate.meeting_graph(
        state.queries, period.date_from, period.date_to, event_of=state.event_of
    )
