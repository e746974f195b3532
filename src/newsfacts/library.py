"""The Python entry points: `newsfacts.extract(text, ...)` and `newsfacts.Store(db)`.

For people who call newsfacts from their own code (natasha's and spaCy's audience)
rather than through the CLI or HTTP. `import newsfacts` stays cheap: this module is
loaded on first use of either name, and the NLP models on the first `extract` only,
once per process (`pipeline.default_pipeline`).

`Store` answers through the same queries and presenters as the HTTP API, so a fact
from `Store.facts()` is the dictionary `/api/facts` returns, with article text only
as quotes the source's reuse policy allows.
"""

from __future__ import annotations

from typing import Any

from newsfacts.model import RawDocument, Record


class ExtractError(ValueError):
    """The text cannot be extracted from (empty, or not Russian)."""


def extract(
    text: str,
    *,
    published: str | None = None,
    url: str | None = None,
    source: str | None = None,
    title: str | None = None,
) -> Record:
    """The fact record of one article: cleaned text, entities, facts with evidence spans.

    The text is cleaned exactly as ingest cleans it (boilerplate, glued sentences,
    the reuse-policy footer), so offsets refer to `record.article.text`. `published`
    anchors relative dates ("в прошлом году"); `url` and `source` are kept on the
    article. Raises `ExtractError` for text that is empty or not Russian.
    """
    from newsfacts.ingest.clean import Rejected, clean
    from newsfacts.pipeline import default_pipeline

    raw = RawDocument(
        text=text, title=title, url=url, published=published, source=source, origin="text"
    )
    try:
        article = clean(raw)
    except Rejected as exc:
        raise ExtractError(str(exc)) from exc
    return default_pipeline()(article)


class Store:
    """A fact database (a SQLite path or a postgresql:// URL) with a few queries.

        with newsfacts.Store("newsfacts.db") as db:
            db.save(newsfacts.extract(text, published="2022-04-28"))
            db.facts(type="occupation", entity="person:ерболат досаев")

    Entities are named by key ("person:ерболат досаев", "location:KZ") or, in
    `entity()`, by a plain name. Dates are ISO prefixes: "2022", "2022-06", "2022-06-01".
    """

    def __init__(self, db: str | None = None) -> None:
        from newsfacts.api.state import AppState
        from newsfacts.policy.registry import PolicyRegistry
        from newsfacts.store import Store as Backend

        self._store = Backend.open(db)
        self._state = AppState(self._store, None, PolicyRegistry.load(), None)

    # --- lifecycle ----------------------------------------------------------------
    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing --------------------------------------------------------------------
    def save(self, record: Record) -> None:
        """Store one extracted record (re-saving the same article replaces it)."""
        self._store.save(record)

    # --- reading --------------------------------------------------------------------
    def record(self, article_id: str) -> Record | None:
        """The stored record of one article, as `extract` returned it."""
        return self._store.get_record(article_id)

    def search(self, query: str, limit: int = 20) -> dict[str, Any]:
        """Articles, entities and facts matching `query` (the `/api/search` answer)."""
        from newsfacts.api.routes_articles import search

        return search(self._state, query, limit=limit, offset=0)

    def articles(
        self,
        *,
        source: str | None = None,
        entity: str | None = None,
        fact_type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Article cards (id, title, source, url, published), newest first."""
        page = self._state.queries.articles(
            source=source,
            entity=entity,
            fact_type=fact_type,
            date_from=date_from,
            date_to=date_to,
            limit=limit,
            offset=offset,
        )
        return list(page.items)

    def facts(
        self,
        *,
        type: str | None = None,
        entity: str | None = None,
        country: str | None = None,
        source: str | None = None,
        min_confidence: float | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        text: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Facts matching every filter given, newest first, each with its article and quotes."""
        from newsfacts.api.routes_articles import facts_page

        page = self._state.queries.facts(
            type=type,
            entity=entity,
            country=country.upper() if country else None,
            source=source,
            min_confidence=min_confidence,
            date_from=date_from,
            date_to=date_to,
            text=text,
            limit=limit,
            offset=offset,
            count=False,
        )
        return facts_page(self._state, page.items)

    def entity(self, name: str) -> dict[str, Any] | None:
        """An entity across articles (posts, meetings, statements, figures, sources).

        `name` is a key or a name in any case form the store has seen ("Досаев");
        the best-known match wins. None when nothing matches.
        """
        key = name if self._state.queries.entity_exists(name) else None
        if key is None:
            hits = self._store.search(name, limit=1).get("entities", [])
            key = hits[0]["entity_key"] if hits else None
        return self._state.entity_page(key) if key else None
