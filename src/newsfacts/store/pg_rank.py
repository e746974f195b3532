"""PostgreSQL article search in the same two phases as SQLite's (`store.fts_rank`).

`ts_rank` reads each match's tsvector (TOASTed, so a detoast per match) before the
LIMIT, like bm25: the answer is therefore the same two-phase order: the `fts_rank.WINDOW`
newest matches (publication date, then id, duplicates included) ranked by `ts_rank`,
best first, then newest first; the matches outside the window follow, newest first.
A query with at most `WINDOW` matches keeps the exact ranking. Ties fall to the
article id (descending), so the order is total.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import fts_rank

_Q = "to_tsquery('russian', :q)"
# The planner costs `tsv @@ q` as cheap and, for a frequent prefix («росс:*»:
# estimated 67 % of a 20,000-article store, 35 % in fact), scans the whole table,
# detoasting every tsvector: 435 ms where the GIN bitmap scan takes 78 ms. No
# plan reads fewer rows than the index for this query, so sequential scans are off
# for these statements only (set_config(…, true): this transaction, restored after).
_SEQSCAN = "SELECT set_config('enable_seqscan', :v, true)"
_NEWEST = "ORDER BY a.published DESC NULLS LAST, a.id DESC"


def pg_ranked(
    conn: Connection, tsq: str, limit: int, include_duplicates: bool, snippets: bool
) -> list[dict[str, Any]]:
    """The first `limit` article hits of `tsq` (raises on a database error; the
    caller keeps it inside a savepoint)."""
    ids = pg_ranked_ids(conn, tsq, limit, include_duplicates)
    if not ids:
        return []
    snippet = (
        f"ts_headline('russian', a.text, {_Q}, "
        '\'StartSel="",StopSel="",MaxWords=24,MinWords=10,MaxFragments=1\') '
        if snippets
        else "'' "
    )
    rows = conn.execute(
        sa.text(
            "SELECT a.id, a.title, a.published, a.source, a.url, "
            + snippet
            + "AS snippet FROM articles a WHERE a.id IN :ids"
        ).bindparams(sa.bindparam("ids", expanding=True)),
        {"q": tsq, "ids": ids},
    )
    found = {r.id: dict(r._mapping) for r in rows}
    return [found[i] for i in ids if i in found]


def pg_ranked_ids(conn: Connection, tsq: str, limit: int, include_duplicates: bool) -> list[str]:
    """The ids of `pg_ranked`'s hits, in its order, without reading their rows
    (raises on a database error, as `pg_ranked`)."""
    originals = "" if include_duplicates else "WHERE w.duplicate_of IS NULL "
    # The window is sorted on (published, id) only; the ranked columns are read for
    # its rows alone.
    ranked = sa.text(
        "WITH w AS (SELECT a.id, a.published, a.duplicate_of FROM articles a "
        f"WHERE a.tsv @@ {_Q} {_NEWEST} LIMIT :w) "
        f"SELECT w.id, ts_rank(a.tsv, {_Q}) AS rank FROM w JOIN articles a ON a.id = w.id "
        + originals
        + "ORDER BY rank DESC, w.published DESC NULLS LAST, w.id DESC LIMIT :limit"
    )
    before = conn.execute(sa.text("SELECT current_setting('enable_seqscan')")).scalar()
    conn.execute(sa.text(_SEQSCAN), {"v": "off"})
    try:
        ids = list(conn.execute(ranked, {"q": tsq, "w": fts_rank.WINDOW, "limit": limit}).scalars())
        if len(ids) < limit:
            ids += _beyond(conn, tsq, limit - len(ids), include_duplicates)
    finally:
        conn.execute(sa.text(_SEQSCAN), {"v": before})
    return ids


def _beyond(conn: Connection, tsq: str, n: int, include_duplicates: bool) -> list[str]:
    """Up to `n` matches after the window, newest first: those sorting after its
    oldest row in (published DESC NULLS LAST, id DESC)."""
    last = conn.execute(
        sa.text(
            f"SELECT a.published, a.id FROM articles a WHERE a.tsv @@ {_Q} {_NEWEST} "
            "OFFSET :skip LIMIT 1"
        ),
        {"q": tsq, "skip": fts_rank.WINDOW - 1},
    ).first()
    if last is None:  # the window held every match
        return []
    originals = "" if include_duplicates else "AND a.duplicate_of IS NULL "
    if last.published is None:
        after = "a.published IS NULL AND a.id < :id"
    else:
        after = "(a.published < :p OR a.published IS NULL OR (a.published = :p AND a.id < :id))"
    stmt = sa.text(
        f"SELECT a.id FROM articles a WHERE a.tsv @@ {_Q} AND {after} "
        + originals
        + f"{_NEWEST} LIMIT :n"
    )
    return list(
        conn.execute(stmt, {"q": tsq, "p": last.published, "id": last.id, "n": n}).scalars()
    )
