"""GET /api/facts, /api/export, /api/quantities and /api/meetings.

`/api/facts` and `/api/export` take one set of filters (`FactFilters`), so an
export holds exactly the facts the same query lists, page after page.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from newsfacts.api import aggregate
from newsfacts.api.errors import responses
from newsfacts.api.ingest import has_token
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
from newsfacts.export import (
    FORMATS,
    MEDIA_TYPES,
    ExportError,
    export_bytes,
    fact_rows,
    select_records,
)

router = APIRouter()
MAX_EXPORT = 100_000
# Facts one export may hold without the API token, and exports running at once per
# process: a flood of anonymous 100,000-fact exports had a p95 of 6-7 s and pushed
# every other endpoint's latency up with it (issue 12).
OPEN_EXPORT = 5_000
EXPORT_SLOTS = 2
_SLOTS = threading.BoundedSemaphore(EXPORT_SLOTS)


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
    description=f"Without the API token at most {OPEN_EXPORT:,} facts per request (`offset` "
    f"pages on); with it up to {MAX_EXPORT:,}. JSONL is streamed. At most {EXPORT_SLOTS} "
    "exports run at once per server process; another one is answered 429 (Retry-After).",
    response_class=Response,
    responses={
        200: {"content": {MEDIA_TYPES[f].split(";")[0]: {} for f in FORMATS}},
        **responses(404, 422, 429),
    },
)
def export(
    request: Request,
    state: State,
    filters: Filters,
    format: Literal["jsonl", "csv", "parquet"] = "jsonl",
    limit: Annotated[int, Query(ge=1, le=MAX_EXPORT)] = OPEN_EXPORT,
    offset: Offset = 0,
) -> Response:
    if limit > OPEN_EXPORT and not has_token(request, state):
        limit = OPEN_EXPORT  # an anonymous flood of 100,000-fact exports stalled the rest
    if not _SLOTS.acquire(blocking=False):
        raise HTTPException(
            429, "слишком много выгрузок одновременно: повторите позже", {"Retry-After": "1"}
        )
    streaming = False
    try:
        page = filters.query(state, limit=limit, offset=offset, count=False)
        records = select_records(state.record, page.items)
        headers = {
            "Content-Disposition": f'attachment; filename="newsfacts-facts.{format}"',
            "X-Export-Limit": str(limit),
        }
        if format == "jsonl":
            body = _jsonl_stream(fact_rows(records, state.budget()))
            streaming = True
            return StreamingResponse(body, media_type=MEDIA_TYPES[format], headers=headers)
        try:
            data = export_bytes(records, format, state.budget())
        except ExportError as exc:
            raise HTTPException(422, str(exc)) from exc
        return Response(data, media_type=MEDIA_TYPES[format], headers=headers)
    finally:
        if not streaming:
            _SLOTS.release()


def _jsonl_stream(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """JSON lines in chunks of about 64 KB as the rows are made (memory stays flat and
    the first bytes leave at once); the export slot is freed when the stream ends or
    the client goes away."""
    try:
        buf: list[str] = []
        size = 0
        for row in rows:
            line = json.dumps(row, ensure_ascii=False) + "\n"
            buf.append(line)
            size += len(line)
            if size >= 65_536:
                yield "".join(buf).encode("utf-8")
                buf, size = [], 0
        if buf:
            yield "".join(buf).encode("utf-8")
    finally:
        _SLOTS.release()


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
        state.queries,
        period.date_from,
        period.date_to,
        event_of=state.event_of,
        same_as=state.same_as,
    )
