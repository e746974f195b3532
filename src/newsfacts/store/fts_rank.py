"""SQLite article search in two phases: the newest matches, then bm25 among them.

FTS5's bm25 scores every match of a query before its LIMIT: «Россия» matches
71,000 of 200,000 articles, 0.3 s a pass, and no cut of an exact ranking can avoid
it. So the ranking is the well-known two-phase one (Elasticsearch's `rescore` with
a `window_size`; issue 13, sixth session of 2026-12-07):

1. the window: the `WINDOW` newest matches (duplicates included), which FTS5 reads
   in rowid order and stops at, without scoring the rest, because the rowid carries
   the publication day (`store.fts_order`);
2. those are ranked by bm25, best first, then newest first (rowid: the later
   published, on the same day the later stored);
3. the matches outside the window follow, newest first.

So a query with at most `WINDOW` matches keeps the exact bm25 order, and every
query's order is total: a longer `limit` only appends. bm25's statistics (document
frequencies, average lengths) are the whole table's either way, so a score does not
depend on the window. Article rows (for `duplicate_of`) and snippets are read for
the hits actually returned, in order, as far as `limit` needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.schema import articles

# The newest matches ranked by bm25. 2,000 took ~0.1 s for «Россия» at 200,000
# articles (0.45 s to rank all 71,000), and holds the 500 hits the API asks for
# even when a quarter of the window are duplicates (BENCHMARKS.md §7).
WINDOW = 2000
# Candidate rows read in the first batch at least (later batches double).
_READ_FIRST = 8
# Matches outside the window fetched per step (newest first).
_BEYOND = 500
_CHUNK = 500  # ids per IN (...)
_SCORE = "bm25(articles_fts, 0.0, 10.0, 1.0)"
_HEAD = "SELECT rowid AS fts_rowid FROM articles_fts WHERE articles_fts MATCH :q "
_WINDOW_SQL = sa.text(
    f"SELECT rowid AS fts_rowid, {_SCORE} AS score FROM articles_fts "
    "WHERE articles_fts MATCH :q ORDER BY rowid DESC LIMIT :n"
)
_BEYOND_SQL = sa.text(_HEAD + "AND rowid < :low ORDER BY rowid DESC LIMIT :n")


@dataclass
class _Cand:
    """One FTS match: its rowid, its bm25 score (None outside the window), and its
    article id once looked up."""

    rowid: int
    score: float | None
    article_id: str | None = None


def sqlite_ranked(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool, snippets: bool
) -> list[dict[str, Any]]:
    """The first `limit` article hits of `tsq` in the two-phase order above."""
    try:
        with conn.begin_nested():
            window = [
                _Cand(r.fts_rowid, r.score)
                for r in conn.execute(_WINDOW_SQL, {"q": tsq, "n": WINDOW})
            ]
            more = len(window) == WINDOW  # matches may lie outside the window
            low = min((c.rowid for c in window), default=0)
            window.sort(key=lambda c: (c.score, -c.rowid))
            rows = _read(conn, window, include_duplicates, limit)
            while more and len(rows) < limit:
                beyond = [
                    _Cand(r.fts_rowid, None)
                    for r in conn.execute(_BEYOND_SQL, {"q": tsq, "low": low, "n": _BEYOND})
                ]
                more = len(beyond) == _BEYOND
                if beyond:
                    low = beyond[-1].rowid
                rows += _read(conn, beyond, include_duplicates, limit - len(rows))
            rows = rows[:limit]
            if snippets:
                _add_snippets(conn, tsq, rows)
    except sa.exc.DBAPIError:
        # The query is sanitised, so this should not happen; if it does, the user
        # sees no article hits rather than a database error (and the savepoint
        # keeps the rest of the transaction usable).
        return []
    return rows


def _resolve(conn: Connection, batch: list[_Cand]) -> None:
    """Look up the article ids of candidates (a rowid look-up in the FTS content
    table, no MATCH: reading `article_id` in the ranking pass cost a content read
    for every match it returned)."""
    wanted = [c.rowid for c in batch if c.article_id is None]
    found: dict[int, str] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        marks = ", ".join(f":r{j}" for j in range(len(chunk)))
        stmt = sa.text(f"SELECT rowid, article_id FROM articles_fts WHERE rowid IN ({marks})")
        params = {f"r{j}": rowid for j, rowid in enumerate(chunk)}
        found.update({int(r[0]): r[1] for r in conn.execute(stmt, params)})
    for c in batch:
        if c.article_id is None:
            c.article_id = found.get(c.rowid)


def _read(
    conn: Connection, cands: list[_Cand], include_duplicates: bool, limit: int
) -> list[dict[str, Any]]:
    """The articles of `cands` (already in answer order), read a batch at a time and
    only as far as `limit` originals.

    Each article row is read for `duplicate_of`, which lies behind the text's
    overflow pages: reading every candidate of the API's 500 hits cost ~0.1 s."""
    a = articles
    cols = (a.c.id, a.c.title, a.c.published, a.c.source, a.c.url, a.c.duplicate_of)
    rows: list[dict[str, Any]] = []
    done, step = 0, max(_READ_FIRST, limit + limit // 4 + 1)
    while done < len(cands) and len(rows) < limit:
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
            rows.append({**row, "snippet": "", "fts_rowid": c.rowid})
        step *= 2
    return rows[:limit]


def _add_snippets(conn: Connection, tsq: str, rows: list[dict[str, Any]]) -> None:
    """Each hit's snippet, in one MATCH pass over the matches down to the oldest hit.

    A snippet is only made in a MATCH pass; asked per row with `rowid = ?`, FTS5
    re-runs the whole MATCH for each (20 ms a row). The CASE makes one only for
    the hits, however many matches the pass walks."""
    if not rows:
        return
    by_rowid = {r["fts_rowid"]: r for r in rows}
    marks = ", ".join(f":r{j}" for j in range(len(by_rowid)))
    stmt = sa.text(
        f"SELECT rowid AS fts_rowid, CASE WHEN rowid IN ({marks}) "
        "THEN snippet(articles_fts, 2, '', '', '…', 24) END AS snippet FROM articles_fts "
        "WHERE articles_fts MATCH :q AND rowid >= :low ORDER BY rowid DESC"
    )
    params: dict[str, Any] = {f"r{j}": rowid for j, rowid in enumerate(by_rowid)}
    params.update(q=tsq, low=min(by_rowid))
    for r in conn.execute(stmt, params):
        if r.snippet is not None:
            by_rowid[r.fts_rowid]["snippet"] = r.snippet
