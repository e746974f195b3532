"""What every request shares: the open store, its queries, the policy, the pipeline.

Kept apart from `app` so the pages (`newsfacts.web`) and each group of API routes
depend on this small module, never on the application factory.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, Request

from newsfacts.api import aggregate, entity_views
from newsfacts.api.errors import not_found
from newsfacts.api.queries import Queries
from newsfacts.model import Article, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.registry import PolicyRegistry

if TYPE_CHECKING:
    from newsfacts.pipeline import Pipeline
    from newsfacts.store import Store


class AppState:
    """What every request needs: the store, its queries, the policy, the pipeline."""

    def __init__(
        self,
        store: Store,
        token: str | None,
        registry: PolicyRegistry,
        pipeline: Pipeline | None,
    ) -> None:
        self.store = store
        self.queries = Queries(store.engine)
        self.token = token
        self.registry = registry
        self._pipeline = pipeline
        # One ingest at a time: the NLP models are not known to be thread-safe, and
        # SQLite takes one writer anyway.
        self.ingest_lock = threading.Lock()
        # Seconds one ingested article may take before it is skipped, so a request
        # never holds `ingest_lock` for long (issue 12); "config": data/pipeline.toml.
        self.ingest_budget: float | None | Literal["config"] = "config"

    def budget(self) -> QuoteBudget:
        # Active for the response being built: pages check composed wording with it.
        return QuoteBudget(
            self.registry,
            permitted=self.store.permission_check(),
            articles=self._articles,
            holding=self.store.texts_holding,
            holding_many=self.store.texts_holding_many,
            unseen=self.store.texts_unseen,
            texts=self.store.texts_of,
        ).activate()

    def _articles(self, ids: list[str]) -> dict[str, Article]:
        return self.store.get_articles(ids)

    def record(self, article_id: str) -> Record | None:
        return self.store.get_record(article_id)

    def records(self, article_ids: list[str]) -> dict[str, Record]:
        """Many records in one store read (entity pages and dossiers load up to 200)."""
        return self.store.get_records(article_ids)

    def fact_records(self, refs: list[tuple[str, int]]) -> dict[str, Record]:
        """Each article behind a page of facts, loaded once however many facts it has."""
        return self.records(list(dict.fromkeys(a for a, _ in refs)))

    def entity_page(self, key: str, *, lazy: bool = False) -> dict[str, Any] | None:
        """The entity view plus the KB's canonical entity and merged events.

        `key` may be a store key of one article ("person:ерболат досаев") or a KB
        id; for a KB id the view is built on the store key most of its links carry.
        `lazy`: its cards presented as read (`entity_views.entity_view`; a page).
        """
        budget = self.budget()
        canonical = aggregate.canonical_block(self.store, key)
        slices = self.store.fact_slices
        view = entity_views.entity_view(key, self.queries, slices, budget, lazy=lazy)
        if view is None and canonical is not None:
            local = aggregate.local_key_for(self.store, canonical["id"])
            if local is not None:
                view = entity_views.entity_view(local, self.queries, slices, budget, lazy=lazy)
        if view is None:
            return None
        view["canonical"] = canonical
        view["events"] = (
            aggregate.merged_events(self.store, canonical["id"], canonical=canonical)
            if canonical
            else []
        )
        return view

    def dossier_page(self, key: str, *, lazy: bool = False) -> dict[str, Any] | None:
        """The place dossier plus the merged events its canonical place takes part in;
        `lazy`: its timeline presented card by card as read (a page shows a slice)."""
        view = entity_views.dossier_view(
            key, self.queries, self.store.fact_slices, self.budget(), lazy=lazy
        )
        if view is None:
            return None
        canonical = aggregate.canonical_block(self.store, key)
        view["canonical"] = canonical
        view["events"] = (
            aggregate.merged_events(self.store, canonical["id"], canonical=canonical)
            if canonical
            else []
        )
        return view

    def event_of(self, refs: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """Fact → KB merged event, so the meeting graph counts a retold meeting once."""
        return aggregate.event_ids_of(self.store, refs)

    def same_as(self, keys: list[str]) -> dict[str, str]:
        """Store key → the key standing for its KB entity (the meeting graph's nodes)."""
        return aggregate.same_entity_keys(self.store, keys)

    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            from newsfacts.pipeline import default_pipeline

            self._pipeline = default_pipeline()
        return self._pipeline

    def search_article_ids(self, query: str, limit: int = 50) -> list[str]:
        """The store's full-text search; a substring scan only if that search fails."""
        # Articles only, ids only: the full search's entity and fact sections and its
        # snippets were most of a search request's cost (docs/latency.md).
        try:
            ids = self.store.search_article_ids(query, limit=limit)
        except Exception:  # e.g. a backend without a full-text index
            return self.queries.search_articles(query, limit)
        return list(dict.fromkeys(ids))[:limit]


def state_of(request: Request) -> AppState:
    return request.app.state.newsfacts


State = Annotated[AppState, Depends(state_of)]


def known_entity(state: AppState, key: str | None) -> str | None:
    """The store key to filter by for `key` (a store key or a KB id); 404 if unknown.

    Every endpoint that takes an entity asks here, so an unknown one is a 404
    everywhere rather than an empty 200 on some endpoints and a 404 on others.
    """
    if key is None:
        return None
    if state.queries.entity_exists(key):
        return key
    canonical = aggregate.canonical_block(state.store, key)
    if canonical is None:
        raise not_found(f"сущность {key!r} не найдена")
    return aggregate.local_key_for(state.store, canonical["id"]) or key
