"""GET /api/articles, /api/articles/{id} and /api/search: articles and one query over all."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from newsfacts.api.errors import not_found, responses
from newsfacts.api.params import (
    MAX_QUERY_LEN,
    EntityKey,
    FactType,
    Limit,
    Offset,
    PeriodParam,
)
from newsfacts.api.present import article_meta, fact_json, record_json
from newsfacts.api.schemas import ArticleList, RecordView, SearchResult
from newsfacts.api.state import AppState, State, known_entity
from newsfacts.fact_args import prefetch_args, ref_facts
from newsfacts.store.fts_rank import WINDOW

router = APIRouter()
# How many full-text hits a text filter considers before the other filters apply.
MAX_TEXT_HITS = 500
# The search's documented output (README "The HTTP API"): its ranking is two-phase.
ARTICLE_QUERY_DOC = (
    f"full-text query: the {MAX_TEXT_HITS} best-ranked matching articles, listed newest "
    f"first. Ranked in two phases: the {WINDOW:,} most recently published matches by "
    "relevance (bm25 on SQLite, ts_rank on PostgreSQL), then the older matches newest "
    f"first; a query with at most {WINDOW:,} matches is ranked exactly"
)
ArticleQuery = Annotated[str | None, Query(max_length=MAX_QUERY_LEN, description=ARTICLE_QUERY_DOC)]


@router.get(
    "/articles",
    tags=["articles"],
    summary="List articles",
    response_model=ArticleList,
    responses=responses(404, 422),
)
def list_articles(
    state: State,
    period: PeriodParam,
    source: Annotated[str | None, Query(max_length=255)] = None,
    entity: EntityKey = None,
    fact_type: FactType | None = None,
    q: ArticleQuery = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    ids = state.search_article_ids(q, MAX_TEXT_HITS) if q else None
    page = state.queries.articles(
        source=source,
        date_from=period.date_from,
        date_to=period.date_to,
        entity=known_entity(state, entity),
        fact_type=fact_type,
        ids=ids,
        limit=limit,
        offset=offset,
    )
    return {"items": page.items, "total": page.total, "limit": limit, "offset": offset}


@router.get(
    "/articles/{article_id}",
    tags=["articles"],
    summary="One article with its facts",
    response_model=RecordView,
    responses=responses(404),
)
def get_article(state: State, article_id: str) -> dict[str, Any]:
    record = state.record(article_id)
    if record is None:
        raise not_found(f"статья {article_id!r} не найдена")
    return record_json(record, state.budget())


def facts_page(state: AppState, refs: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """Fact refs as API items, each with its article, quoting through one budget."""
    budget = state.budget()
    records = state.fact_records(refs)
    prefetch_args(budget, ref_facts(records, refs))
    items = []
    for article_id, seq in refs:
        record = records.get(article_id)
        if record is None or seq >= len(record.facts):
            continue
        items.append(
            {**fact_json(record, seq, budget), "article": article_meta(record.article, budget)}
        )
    return items


@router.get(
    "/search",
    tags=["search"],
    summary="Articles, entities and facts matching one query",
    response_model=SearchResult,
    responses=responses(422),
)
def search(
    state: State,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_LEN,
            description="query; its articles are ranked as /api/articles?q= ranks them",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=100, description="items per section")] = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The search page's three sections as JSON; each is paged with the same limit/offset."""
    ids = state.search_article_ids(q, MAX_TEXT_HITS)
    articles = state.queries.articles(ids=ids, limit=limit, offset=offset)
    entities, n_entities = state.queries.search_entities_page(q, limit=limit, offset=offset)
    facts = state.queries.facts(text=q, limit=limit, offset=offset)
    return {
        "q": q,
        "articles": {
            "items": articles.items,
            "total": articles.total,
            "limit": limit,
            "offset": offset,
        },
        "entities": {
            "items": entities,
            "total": n_entities,
            "limit": limit,
            "offset": offset,
        },
        "facts": {
            "items": facts_page(state, facts.items),
            "total": facts.total,
            "limit": limit,
            "offset": offset,
        },
    }
