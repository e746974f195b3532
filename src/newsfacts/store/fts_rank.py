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

import json
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

# The newest matches ranked by bm25. 2,000 took ~0.1 s for «Россия» at 200,000
# articles (0.45 s to rank all 71,000), and holds the 500 hits the API asks for
# even when a quarter of the window are duplicates (BENCHMARKS.md §7).
WINDOW = 2000
# Candidate rows read in the first batch at least (later batches double).
_READ_FIRST = 8
# Matches outside the window fetched per step (newest first).
_BEYOND = 500
_SCORE = "bm25(articles_fts, 0.0, 10.0, 1.0)"
# The window in answer order, sorted by SQLite: only rowids come back to Python.
_WINDOW_SQL = (
    f"SELECT fts_rowid FROM (SELECT rowid AS fts_rowid, {_SCORE} AS score FROM articles_fts "
    "WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT ?) ORDER BY score, fts_rowid DESC"
)
_BEYOND_SQL = (
    "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid < ? "
    "ORDER BY rowid DESC LIMIT ?"
)
# The articles of a batch of FTS rowids, in one statement: `key` is each rowid's
# place in the batch.
_ROWS_SQL = (
    "SELECT j.key, a.id, a.title, a.published, a.source, a.url, a.duplicate_of "
    "FROM json_each(?) j JOIN articles_fts f ON f.rowid = j.value "
    "JOIN articles a ON a.id = f.article_id"
)
# The same for callers that want ids only (`sqlite_ranked_ids`): no listed columns.
_IDS_SQL = (
    "SELECT j.key, a.id, a.duplicate_of FROM json_each(?) j "
    "JOIN articles_fts f ON f.rowid = j.value JOIN articles a ON a.id = f.article_id"
)
_Hit = TypeVar("_Hit")
# Reads the hits of a batch of rowids: (conn, rowids, include_duplicates, limit).
_Reader = Callable[[Connection, list[int], bool, int], list[_Hit]]


def sqlite_ranked(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool, snippets: bool
) -> list[dict[str, Any]]:
    """The first `limit` article hits of `tsq` in the two-phase order above."""
    try:
        with conn.begin_nested():
            rows = _ranked(conn, tsq, limit, include_duplicates, _read)
            if snippets:
                _add_snippets(conn, tsq, rows)
    except sa.exc.DBAPIError:
        # The query is sanitised, so this should not happen; if it does, the user
        # sees no article hits rather than a database error (and the savepoint
        # keeps the rest of the transaction usable).
        return []
    return rows


def sqlite_ranked_ids(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool
) -> list[str]:
    """The ids of `sqlite_ranked`'s hits, in its order, without their listed columns:
    what the article list and the search page ask for (they read the rows they show
    themselves). Each candidate's row is still read for `duplicate_of`."""
    try:
        with conn.begin_nested():
            return _ranked(conn, tsq, limit, include_duplicates, _read_ids)
    except sa.exc.DBAPIError:  # as in `sqlite_ranked`
        return []


def _ranked(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool, read: _Reader[_Hit]
) -> list[_Hit]:
    """The window, then the matches beyond it while `limit` hits are missing; `read`
    turns each batch of rowids (in answer order) into hits."""
    window = [r[0] for r in conn.exec_driver_sql(_WINDOW_SQL, (tsq, WINDOW))]
    more = len(window) == WINDOW  # matches may lie outside the window
    low = min(window, default=0)
    rows = read(conn, window, include_duplicates, limit)
    while more and len(rows) < limit:
        beyond = [r[0] for r in conn.exec_driver_sql(_BEYOND_SQL, (tsq, low, _BEYOND))]
        more = len(beyond) == _BEYOND
        if beyond:
            low = beyond[-1]
        rows += read(conn, beyond, include_duplicates, limit - len(rows))
    return rows[:limit]


def _batches(rowids: list[int], limit: int) -> Iterator[list[int]]:
    """`rowids` in batches, the first large enough for `limit` hits when under a
    quarter are duplicates, each later one twice the last."""
    done, step = 0, max(_READ_FIRST, limit + limit // 4 + 1)
    while done < len(rowids):
        yield rowids[done : done + step]
        done += step
        step *= 2


def _read_ids(
    conn: Connection, rowids: list[int], include_duplicates: bool, limit: int
) -> list[str]:
    """The article ids of FTS `rowids` (in answer order), as far as `limit` originals."""
    ids: list[str] = []
    for batch in _batches(rowids, limit):
        found = {r[0]: r for r in conn.exec_driver_sql(_IDS_SQL, (json.dumps(batch),))}
        for i in range(len(batch)):
            r = found.get(i)
            if r is not None and (r[2] is None or include_duplicates):
                ids.append(r[1])
        if len(ids) >= limit:
            break
    return ids[:limit]


def _read(
    conn: Connection, rowids: list[int], include_duplicates: bool, limit: int
) -> list[dict[str, Any]]:
    """The articles of FTS `rowids` (already in answer order), read a batch at a
    time and only as far as `limit` originals: each row is read for `duplicate_of`.
    One statement per batch joins the FTS row to its article (a rowid look-up in the
    FTS content, no MATCH); before, Python looked the ids up, then the articles, as
    SQLAlchemy rows: ~40% of the API's search request at 200,000 articles."""
    rows: list[dict[str, Any]] = []
    for batch in _batches(rowids, limit):
        found = {r[0]: r for r in conn.exec_driver_sql(_ROWS_SQL, (json.dumps(batch),))}
        for i, rowid in enumerate(batch):
            r = found.get(i)
            if r is None or (r[6] is not None and not include_duplicates):
                continue
            rows.append(
                {
                    "id": r[1],
                    "title": r[2],
                    "published": r[3],
                    "source": r[4],
                    "url": r[5],
                    "snippet": "",
                    "fts_rowid": rowid,
                }
            )
        if len(rows) >= limit:
            break
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
