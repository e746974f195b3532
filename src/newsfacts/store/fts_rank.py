"""SQLite article search: FTS5 ranks its matches alone, then only the best are read.

Split from `store.search` (issue 13). FTS5's bm25 scores every match of the query
before its LIMIT: «Россия» matches 71,000 of 200,000 articles, 0.3 s a pass. So the
search runs as few passes as it can:

- Without snippets (the API and the search page ask for ids only) a pass returns
  FTS rowids and scores, at least `_MIN_IDS` of them: reading the `article_id`
  column is a content-table read per returned row (~0.04–0.08 ms), so the ids are
  looked up afterwards for the candidates actually read. The old pass returned
  `4 * limit` ids; a tie of 200 copies of one text at the cut (a store of copies)
  then sent the page's 30 hits to a second full pass over the tie (`upto`).
- With snippets (`Store.search`) the snippet must be made in the MATCH pass
  itself, so that pass stays as narrow as before.

The answer is the full join's either way (bm25, then newest first): every hit
ranked strictly above the last candidate is among the candidates, so when at least
`limit` originals lie there they are the first `limit`; otherwise every match
scoring at least as well as the last candidate is read (ties at the cut, whole),
and if that still holds fewer than `limit` originals the full join runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.schema import articles

# FTS hits ranked alone before the article rows are read: this many per hit asked for.
_FTS_CANDIDATES = 4
# ...and at least this many when the pass returns rowids only (no snippets).
_MIN_IDS = 1000
# Candidate rows read in the first batch at least (later batches double).
_READ_FIRST = 8
_CHUNK = 500  # ids per IN (...)
_SCORE = "bm25(articles_fts, 0.0, 10.0, 1.0)"


@dataclass
class _Cand:
    """One FTS match: its score, its snippet ('' without), and its article id, or
    only its FTS rowid until the id is looked up."""

    score: float
    snippet: str
    article_id: str | None = None
    rowid: int | None = None


def _passes(snippets: bool) -> tuple[sa.TextClause, sa.TextClause]:
    """The ranking pass (best `:n`) and the tie pass (every match scoring ≤ `:s`)."""
    if snippets:
        # The snippet is made here, for the candidates only: asked again per row
        # with `rowid IN (...)`, FTS5 re-runs the whole MATCH for each (20 ms a row).
        head = "SELECT NULL AS fts_rowid, article_id, snippet(articles_fts, 2, '', '', '…', 24) "
    else:
        head = "SELECT rowid AS fts_rowid, NULL AS article_id, '' "
    head += f"AS snippet, {_SCORE} AS score FROM articles_fts WHERE articles_fts MATCH :q "
    ranked = sa.text(head + "ORDER BY score LIMIT :n")
    upto = sa.text(head + f"AND {_SCORE} <= :s ORDER BY score")
    return ranked, upto


def _cands(rows: Any) -> list[_Cand]:
    return [_Cand(r.score, r.snippet or "", r.article_id, r.fts_rowid) for r in rows]


def sqlite_ranked(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool, snippets: bool
) -> list[dict[str, Any]]:
    """The article hits of `tsq`, best bm25 first, ties by date (newest first)."""
    originals = "" if include_duplicates else "AND a.duplicate_of IS NULL "
    snippet = "snippet(articles_fts, 2, '', '', '…', 24) " if snippets else "'' "
    full = sa.text(
        "SELECT a.id, a.title, a.published, a.source, a.url, "
        + snippet
        + "AS snippet FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id "
        "WHERE articles_fts MATCH :q "
        + originals
        + f"ORDER BY {_SCORE}, a.published DESC LIMIT :limit"
    )
    ranked, upto = _passes(snippets)
    n = max(limit * _FTS_CANDIDATES, limit + 1)
    if not snippets:
        n = max(n, _MIN_IDS)
    try:
        with conn.begin_nested():
            cands = _cands(conn.execute(ranked, {"q": tsq, "n": n}))
            cut = len(cands) == n  # more matches than candidates: ties at the last may be missing
            last = cands[-1].score if cands else None
            if cut:
                cands = [c for c in cands if c.score < last]
            rows = _candidates(conn, cands, include_duplicates, limit)
            if cut and len(rows) < limit:
                # The tie at the last score, read whole.
                tied = _cands(conn.execute(upto, {"q": tsq, "s": last}))
                rows = _candidates(conn, tied, include_duplicates, limit)
            if cut and len(rows) < limit:
                rows = [dict(r._mapping) for r in conn.execute(full, {"q": tsq, "limit": limit})]
    except sa.exc.DBAPIError:
        # The query is sanitised, so this should not happen; if it does, the user
        # sees no article hits rather than a database error (and the savepoint
        # keeps the rest of the transaction usable).
        return []
    return rows[:limit]


def _resolve(conn: Connection, batch: list[_Cand]) -> None:
    """Look up the article ids of candidates known by FTS rowid only (a rowid
    lookup in the FTS content table, no MATCH)."""
    wanted = [c.rowid for c in batch if c.article_id is None and c.rowid is not None]
    found: dict[int, str] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ", ".join(f":r{j}" for j in range(len(chunk)))
        stmt = sa.text(f"SELECT rowid, article_id FROM articles_fts WHERE rowid IN ({marks})")
        params = {f"r{j}": rowid for j, rowid in enumerate(chunk)}
        found.update({int(r[0]): r[1] for r in conn.execute(stmt, params)})
    for c in batch:
        if c.article_id is None and c.rowid is not None:
            c.article_id = found.get(c.rowid)


def _candidates(
    conn: Connection, cands: list[_Cand], include_duplicates: bool, limit: int
) -> list[dict[str, Any]]:
    """The candidates' articles in the full join's order (score, then date), read in
    rank order only as far as the first `limit` are certain (issue 13).

    Each article row is read for `duplicate_of`, which lies behind the text's
    overflow pages: the API's 500 hits read 2,000 candidates before, ~0.1 s at
    20k. Candidates come best score first, so once `limit` originals score
    strictly better than the first unread candidate, no unread one (a tie, a
    newer date) can come before them; otherwise the rest of a tie cut by the batch
    (when `limit` originals are read), or the next, larger batch is read."""
    if not cands:
        return []
    a = articles
    cols = (a.c.id, a.c.title, a.c.published, a.c.source, a.c.url, a.c.duplicate_of)
    rows: list[dict[str, Any]] = []
    done, step = 0, max(_READ_FIRST, limit + limit // 4 + 1)
    while done < len(cands):
        batch = cands[done : done + step]
        done += len(batch)
        _resolve(conn, batch)
        ids = [c.article_id for c in batch if c.article_id is not None]
        found = {
            r.id: r
            for i in range(0, len(ids), _CHUNK)
            for r in conn.execute(sa.select(*cols).where(a.c.id.in_(ids[i : i + _CHUNK])))
        }
        for c in batch:
            r = found.get(c.article_id) if c.article_id is not None else None
            if r is None or (r.duplicate_of is not None and not include_duplicates):
                continue
            row = {k: getattr(r, k) for k in ("id", "title", "published", "source", "url")}
            rows.append({**row, "snippet": c.snippet, "score": c.score})
        if done < len(cands):
            unread = cands[done].score
            if sum(1 for r in rows if r["score"] < unread) >= limit:
                break
            if len(rows) >= limit:
                # Enough originals, but a tie straddles the batch's end: the rest of
                # that tie is all that can still come first (200 copies of a text at
                # 200k made the API's 500 hits read 1,900 rows by doubling).
                step = sum(1 for c in cands[done:] if c.score == unread)
                continue
        step *= 2
    rows.sort(key=lambda r: r["published"] or "", reverse=True)  # NULL dates last, as DESC
    rows.sort(key=lambda r: r["score"])
    return rows
