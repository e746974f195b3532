"""Search over articles (FTS5 / tsvector), entity names and fact arguments."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import fts
from newsfacts.store import quotable as qset
from newsfacts.store.aggregates import AggregateMixin
from newsfacts.store.base import _limit
from newsfacts.store.hydrate import _display_names
from newsfacts.store.keys import fold
from newsfacts.store.schema import (
    articles,
    entities,
    facts,
)


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

    def _search_articles(
        self,
        conn: Connection,
        query: str,
        limit: int,
        include_duplicates: bool,
        *,
        snippets: bool = True,
    ) -> list[dict[str, Any]]:
        originals = "" if include_duplicates else "AND a.duplicate_of IS NULL "
        if self.dialect == "postgresql":
            tsq = fts.pg_tsquery(query)
            if tsq is None:
                return []
            sql = sa.text(
                "SELECT m.id, m.title, m.published, m.source, m.url, m.policy, m.n_chars, "
                + (
                    "ts_headline('russian', m.text, to_tsquery('russian', :q), "
                    '\'StartSel="",StopSel="",MaxWords=24,MinWords=10,MaxFragments=1\') '
                    if snippets
                    else "'' "
                )
                + "AS snippet FROM (SELECT a.id, a.title, a.published, a.source, a.url, a.policy, a.text, "
                "length(a.text) AS n_chars, "
                "ts_rank(a.tsv, to_tsquery('russian', :q)) AS rank FROM articles a "
                "WHERE a.tsv @@ to_tsquery('russian', :q) "
                + originals
                + "ORDER BY rank DESC, a.published DESC NULLS LAST LIMIT :limit) m "
                "ORDER BY m.rank DESC, m.published DESC NULLS LAST"
            )
            try:
                with conn.begin_nested():
                    found = conn.execute(sql, {"q": tsq, "limit": limit})
                    rows = [dict(r._mapping) for r in found]
            except sa.exc.DBAPIError:
                # The query is sanitised, so this should not happen; if it does, the
                # user sees no article hits rather than a database error (and the
                # savepoint keeps the rest of the transaction usable).
                return []
        else:
            tsq = fts.sqlite_match(query)
            if tsq is None:
                return []
            rows = _sqlite_ranked(conn, tsq, limit, include_duplicates, snippets)
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
        match = _words_match(entities.c.name_norm, query)
        if match is None:
            return []
        # Also the full name a short one stands for (issue 12); the hit shows the short.
        match = sa.or_(match, _words_match(entities.c.search_norm, query))
        needle = fold(query)
        code = query.strip().upper()
        if len(code) == 2 and code.isalpha():
            match = sa.or_(match, entities.c.code == code)  # "IT", "kz"
        n_articles = sa.func.count(sa.distinct(entities.c.article_id)).label("articles")
        # An expression, not the bare column: grouping by entity_key made SQLite read
        # the table in index order, a random read per row (10x slower at 230k rows).
        key = entities.c.entity_key.concat("").label("entity_key")
        rows = conn.execute(
            sa.select(
                key,
                entities.c.type,
                sa.func.min(entities.c.name_norm).label("name_norm"),
                n_articles,
            )
            .where(match)
            .group_by(key, entities.c.type)
            .order_by(n_articles.desc(), key)
            .limit(limit * 3)
        ).all()
        names = _display_names(conn, [r.entity_key for r in rows])
        hits = [
            {
                "entity_key": r.entity_key,
                "name": names.get(r.entity_key, r.name_norm),
                "type": r.type,
                "articles": r.articles,
            }
            for r in rows
        ]
        # Names that start with the query come first: typing "Дос" means Досаев.
        first = fts.stem(fts.words(query)[0]) if fts.words(query) else needle
        hits.sort(key=lambda h: (not fold(h["name"]).startswith(first), -h["articles"]))
        return hits[:limit]

    def _search_facts(self, conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
        match = _words_match(facts.c.args_text, query)
        if match is None:
            return []
        where = sa.or_(facts.c.type == fold(query), match)
        return self._fact_query(conn, [where], limit, 0, include_duplicates=False)


# FTS hits ranked alone before the article rows are read: this many per hit asked for.
_FTS_CANDIDATES = 4
# Candidate rows read in the first batch at least (later batches double).
_READ_FIRST = 8


def _sqlite_ranked(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool, snippets: bool
) -> list[dict[str, Any]]:
    """The article hits of `tsq`, best bm25 first, ties by date (newest first).

    FTS-first (issue 13): the index ranks its matches alone and only the best
    `_FTS_CANDIDATES * limit` articles are read by id; joining `articles` before
    ranking read every matching row (70,600 for «Россия» in a 200k store: 1.9 s warm,
    13 s cold, against 0.2–0.3 s). The answer is the join's: every hit ranked strictly
    above the last candidate is among the candidates, so when at least `limit`
    originals lie there they are the first `limit`; otherwise every match scoring
    at least as well as the last candidate is read (ties at the cut, whole), and if
    that still holds fewer than `limit` originals (many duplicates) the full join runs."""
    originals = "" if include_duplicates else "AND a.duplicate_of IS NULL "
    snippet = "snippet(articles_fts, 2, '', '', '…', 24) " if snippets else "'' "
    full = sa.text(
        "SELECT a.id, a.title, a.published, a.source, a.url, "
        + snippet
        + "AS snippet FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id "
        "WHERE articles_fts MATCH :q "
        + originals
        + "ORDER BY bm25(articles_fts, 0.0, 10.0, 1.0), a.published DESC LIMIT :limit"
    )
    # The snippet is made here, for the candidates only: asked again per row with
    # `rowid IN (...)`, FTS5 re-runs the whole MATCH for each (20 ms a row at 200k).
    ranked = sa.text(
        "SELECT article_id, bm25(articles_fts, 0.0, 10.0, 1.0) AS score, "
        + snippet
        + "AS snippet FROM articles_fts WHERE articles_fts MATCH :q ORDER BY score LIMIT :n"
    )
    # Every match scoring at least as well as a given score: a tie group cut by the
    # LIMIT (copies of one text score alike), whole.
    upto = sa.text(
        "SELECT article_id, bm25(articles_fts, 0.0, 10.0, 1.0) AS score, "
        + snippet
        + "AS snippet FROM articles_fts WHERE articles_fts MATCH :q "
        "AND bm25(articles_fts, 0.0, 10.0, 1.0) <= :s ORDER BY score"
    )
    n = max(limit * _FTS_CANDIDATES, limit + 1)
    try:
        with conn.begin_nested():
            cands = conn.execute(ranked, {"q": tsq, "n": n}).all()
            cut = len(cands) == n  # more matches than candidates: ties at the last may be missing
            last = cands[-1].score if cands else None
            if cut:
                cands = [c for c in cands if c.score < last]
            rows = _candidates(conn, cands, include_duplicates, limit)
            if cut and len(rows) < limit:
                # The tie at the last score, read whole (200 copies of a text at 200k
                # sent every query of a frequent word to the full join: 3 s).
                tied = conn.execute(upto, {"q": tsq, "s": last}).all()
                rows = _candidates(conn, tied, include_duplicates, limit)
            if cut and len(rows) < limit:
                rows = [dict(r._mapping) for r in conn.execute(full, {"q": tsq, "limit": limit})]
    except sa.exc.DBAPIError:
        # The query is sanitised, so this should not happen; if it does, the user
        # sees no article hits rather than a database error (and the savepoint
        # keeps the rest of the transaction usable).
        return []
    return rows[:limit]


def _candidates(
    conn: Connection, cands: list[Any], include_duplicates: bool, limit: int
) -> list[dict[str, Any]]:
    """The candidates' articles in the full join's order (score, then date), read in
    rank order only as far as the first `limit` are certain (issue 13).

    Each article row is read for `duplicate_of`, which lies behind the text's
    overflow pages: the API's 500 hits read 2,000 candidates before, ~0.1 s at
    20k. Candidates come best score first, so once `limit` originals score
    strictly better than the first unread candidate, no unread one (a tie, a
    newer date) can come before them; otherwise the next, larger batch is read."""
    if not cands:
        return []
    a = articles
    cols = (a.c.id, a.c.title, a.c.published, a.c.source, a.c.url, a.c.duplicate_of)
    rows: list[dict[str, Any]] = []
    done, step = 0, max(_READ_FIRST, limit + limit // 4 + 1)
    while done < len(cands):
        batch = cands[done : done + step]
        done += len(batch)
        found = {
            r.id: r
            for i in range(0, len(batch), 500)
            for r in conn.execute(
                sa.select(*cols).where(a.c.id.in_([c.article_id for c in batch[i : i + 500]]))
            )
        }
        for c in batch:
            r = found.get(c.article_id)
            if r is None or (r.duplicate_of is not None and not include_duplicates):
                continue
            row = {k: getattr(r, k) for k in ("id", "title", "published", "source", "url")}
            rows.append({**row, "snippet": c.snippet, "score": c.score})
        if done < len(cands):
            unread = cands[done].score
            if sum(1 for r in rows if r["score"] < unread) >= limit:
                break
        step *= 2
    rows.sort(key=lambda r: r["published"] or "", reverse=True)  # NULL dates last, as DESC
    rows.sort(key=lambda r: r["score"])
    return rows


def _words_match(column: Any, query: str) -> Any:
    """Every word of `query`, cut back to its stem, occurs in the folded `column`:
    "Досаевым" finds "ерболат досаев". A query without words (punctuation only)
    falls back to a plain substring; None when there is nothing to match."""
    stems = [fts.stem(w) for w in fts.words(query)]
    if not stems:
        needle = fold(query)
        return column.like(fts.like_pattern(needle), escape="\\") if needle else None
    return sa.and_(*(column.like(fts.like_pattern(s), escape="\\") for s in stems))
