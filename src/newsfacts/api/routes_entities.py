"""GET /api/entities, /api/entities/{key}, /api/dossiers/{key}, /api/events[/{id}[/sources]]."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from newsfacts import kb
from newsfacts.api import aggregate
from newsfacts.api.errors import not_found, responses
from newsfacts.api.params import (
    MAX_QUERY_LEN,
    EntityKey,
    EntityType,
    FactType,
    Limit,
    Offset,
)
from newsfacts.api.schemas import (
    DossierView,
    EntityList,
    EntityView,
    Event,
    EventList,
    EventSourceList,
)
from newsfacts.api.state import State, known_entity

router = APIRouter(tags=["entities"])


@router.get(
    "/entities",
    summary="Search entities by name",
    description=(
        "Entities one of whose names (or the hidden full name behind a short one) holds "
        "`q`, most articles first. Each hit is the entity as `/api/entities/{key}` shows "
        "it: its most used name, its subtype and `article_count`, every article that "
        "mentions it (not only those of the matched name)."
    ),
    response_model=EntityList,
    responses=responses(422),
)
def search_entities(
    state: State,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY_LEN, description="name or part")],
    type: EntityType | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    items, total = state.queries.search_entities_page(q, type=type, limit=limit, offset=offset)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get(
    "/entities/{key:path}",
    summary="An entity across articles",
    description=(
        "Positions, meetings, statements, figures, other facts, sources and aliases come "
        "from the entity's newest 200 articles (by publication date, undated last, then "
        "article id); `entity.article_count` counts all of them."
    ),
    response_model=EntityView,
    responses=responses(404),
)
def get_entity(state: State, key: str) -> dict[str, Any]:
    view = state.entity_page(key)
    if view is None:
        raise not_found(f"сущность {key!r} не найдена")
    return view


@router.get(
    "/dossiers/{key:path}",
    summary="A country or city dossier",
    description=(
        "Relations, figures, series and the timeline come from the place's newest 200 "
        "articles (by publication date, undated last, then article id); "
        "`entity.article_count` counts all of them."
    ),
    response_model=DossierView,
    responses=responses(404),
)
def get_dossier(state: State, key: str) -> dict[str, Any]:
    view = state.dossier_page(key)
    if view is None:
        raise not_found(f"место {key!r} не найдено")
    return view


@router.get(
    "/events",
    summary="Merged events across articles",
    response_model=EventList,
    responses=responses(404, 422),
)
def list_events(
    state: State,
    entity: EntityKey = None,
    type: FactType | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    known_entity(state, entity)  # 404 for an entity neither the store nor the KB knows
    items = aggregate.merged_events(state.store, entity, type, limit, offset)
    total = kb.count_events(state.store, entity, type)
    return {"items": items, "total": total, "limit": limit, "offset": offset}


@router.get(
    "/events/{event_id}",
    summary="One merged event with its earliest sources",
    response_model=Event,
    responses=responses(404),
)
def get_event(state: State, event_id: str) -> dict[str, Any]:
    """An event as `/api/events` lists it: its 5 earliest reports, `n_sources` in all."""
    event = aggregate.merged_event(state.store, event_id)
    if event is None:
        raise not_found(f"событие {event_id!r} не найдено")
    return event


@router.get(
    "/events/{event_id}/sources",
    summary="Every source of one merged event, earliest report first",
    response_model=EventSourceList,
    responses=responses(404, 422),
)
def list_event_sources(
    state: State, event_id: str, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """The reports an event's `sources` cuts after the first few: article id, fact seq,
    outlet, date and the article's URL (the link a quote from it must carry); no text."""
    found = aggregate.event_sources(state.store, event_id, offset, limit)
    if found is None:
        raise not_found(f"событие {event_id!r} не найдено")
    total, items = found
    return {"items": items, "total": total, "limit": limit, "offset": offset}
