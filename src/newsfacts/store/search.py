"""Search over articles (FTS5 / tsvector), entity names and fact arguments."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import entity_hits, fts
from newsfacts.store import quotable as qset
from newsfacts.store.aggregates import AggregateMixin
from newsfacts.store.base import _limit
from newsfacts.store.fts_rank import sqlite_ranked, sqlite_ranked_ids
from newsfacts.store.keys import fold
from newsfacts.store.pg_rank import pg_ranked, pg_ranked_ids
from newsfacts.store.schema import facts


class SearchMixin(AggregateMixin):
    """`search` and `search_articles`; any query string is safe."""

    def search(
        self, query: str, limit: int = 20, *, include_duplicates: bool = False
    ) -> dict[str, list[dict[str, Any]]]:
        """Articles (full text), entities (name words) and facts (type/arg text)."""
        limit = _limit(limit)
        with self._read() as conn:
            return {
                "articles": self._search_articles(conn, query, limit, include_duplicates),
                "entities": self._search_entities(conn, query, limit),
                "facts": self._search_facts(conn, query, limit),
            }

    def search_articles(
        self,
        query: str,
        limit: int = 20,
        *,
        include_duplicates: bool = False,
        snippets: bool = True,
    ) -> list[dict[str, Any]]:
        """Only the article hits of `search`: callers that need nothing else skip
        its entity and fact scans, which were 2/3 of a search request's time on a
        20,000-article store (docs/latency.md). `snippets=False` leaves every
        snippet "" for callers that only want ids: building 500 snippets cost
        ~4x the search itself."""
        with self._read() as conn:
            return self._search_articles(
                conn, query, _limit(limit), include_duplicates, snippets=snippets
            )

    def search_article_ids(
        self, query: str, limit: int = 20, *, include_duplicates: bool = False
    ) -> list[str]:
        """The ids of `search_articles`' hits, in its order: the article list and the
        search page read the rows they show themselves, so the hits' listed columns
        (read for up to 626 candidates of the API's 500 hits) were read and dropped."""
        limit = _limit(limit)
        with self._read() as conn:
            return self._ranked(
                conn,
                query,
                lambda tsq: pg_ranked_ids(conn, tsq, limit, include_duplicates),
                lambda tsq: sqlite_ranked_ids(conn, tsq, limit, include_duplicates),
            )

    def _ranked(
        self,
        conn: Connection,
        query: str,
        on_pg: Callable[[str], list[Any]],
        on_sqlite: Callable[[str], list[Any]],
    ) -> list[Any]:
        """`query` made a full-text query for the backend and ranked by `on_pg` or
        `on_sqlite`; [] when nothing of it is searchable. The query is sanitised, so a
        PostgreSQL error should not happen; if it does, the user sees no article hits
        rather than a database error, and the savepoint keeps the transaction usable."""
        if self.dialect == "postgresql":
            tsq = fts.pg_tsquery(query)
            if tsq is None:
                return []
            try:
                with conn.begin_nested():
                    return on_pg(tsq)
            except sa.exc.DBAPIError:
                return []
        tsq = fts.sqlite_match(query)
        return [] if tsq is None else on_sqlite(tsq)

    def _search_articles(
        self,
        conn: Connection,
        query: str,
        limit: int,
        include_duplicates: bool,
        *,
        snippets: bool = True,
    ) -> list[dict[str, Any]]:
        rows = self._ranked(
            conn,
            query,
            lambda tsq: pg_ranked(conn, tsq, limit, include_duplicates, snippets),
            lambda tsq: sqlite_ranked(conn, tsq, limit, include_duplicates, snippets),
        )
        out = [
            {
                "id": r["id"],
                "title": r["title"],
                "snippet": r["snippet"] or "",
                "published": r["published"],
                "source": r["source"],
                "url": r["url"],
            }
            for r in rows
        ]
        if snippets:  # titles and snippets only from each article's quotable set
            qset.within_sets(conn, out)
        else:
            for hit in out:
                hit["title"] = None
        return out

    def _search_entities(self, conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
        return entity_hits.search(conn, query, limit)

    def _search_facts(self, conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
        match = _words_match(facts.c.args_text, query)
        if match is None:
            return []
        where = sa.or_(facts.c.type == fold(query), match)
        return self._fact_query(conn, [where], limit, 0, include_duplicates=False)


def _words_match(column: Any, query: str) -> Any:
    """Every word of `query`, cut back to its stem, occurs in the folded `column`:
    "Досаевым" finds "ерболат досаев". A query without words (punctuation only)
    falls back to a plain substring; None when there is nothing to match."""
    stems = [fts.stem(w) for w in fts.words(query)]
    if not stems:
        needle = fold(query)
        return column.like(fts.like_pattern(needle), escape="\\") if needle else None
    return sa.and_(*(column.like(fts.like_pattern(s), escape="\\") for s in stems))
