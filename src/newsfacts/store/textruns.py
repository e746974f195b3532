"""Each text's runs in `text_runs`, and the list of them per article in `text_run_sets`.

`text_runs` is the look-up the cross-article pass and the wording checks make: which
articles hold a run with this hash (`store.runlookup.holders`). It is one B-tree keyed
(hash, article_id) — on SQLite a WITHOUT ROWID table, on PostgreSQL the primary key —
with no index by article: a load writes ~820 rows an article, and the rowid table with
its hash and article indexes (three B-trees) cost most of a SQLite save (issue 13).

What the article index did is done by `text_run_sets`, one row an article: the hashes
its rows were written from. It removes an article's rows exactly (`remove`: by key,
whatever its text is now: a re-extraction has replaced the text before the pass
rewrites its runs), and tells the articles that have rows from those that have none
(a process stopped between saving and its pass; `store.unseen`). An article has a
`text_run_sets` row exactly when it has `text_runs` rows: both are written and
deleted together, in one transaction.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.runrows import copy_packed_runs, insert_runs
from newsfacts.store.schema import text_run_sets

_CHUNK = 500  # articles per statement: far below any bind-parameter cap
_FROM_JSON = (
    "INSERT INTO text_runs (hash, article_id) SELECT h.value, a.key"
    " FROM json_each(?) AS a, json_each(a.value) AS h ORDER BY 1, 2"
)


def pack(hashes: Iterable[int]) -> bytes:
    """`hashes` sorted, as little-endian 64-bit integers."""
    import numpy as np

    return np.sort(np.fromiter(hashes, dtype="<i8")).tobytes()


def unpack(blob: bytes) -> list[int]:
    import numpy as np

    return np.frombuffer(bytes(blob), dtype="<i8").tolist()


def write(conn: Connection, runs: dict[str, Collection[int]]) -> None:
    """Insert the runs of articles that have none stored (`remove` them first)."""
    write_packed(conn, {aid: pack(found) for aid, found in runs.items() if found})


def write_packed(conn: Connection, runs: dict[str, bytes]) -> None:
    """`write` of runs given as `pack` made them (a `load` worker packs them beside
    the writer, `store.newruns`)."""
    runs = {aid: blob for aid, blob in runs.items() if blob}
    if not runs:
        return
    if conn.dialect.name == "sqlite":
        # One statement: SQLite unpacks the batch from JSON ({article: [hash, ...]},
        # its json_each) and inserts the rows in key order, a run of neighbouring
        # pages. Binding ~250,000 (hash, id) tuples by executemany, sorted in Python
        # first, cost 0.43 s of CPU a 300-article load against 0.31 s (issue 13).
        batch = json.dumps({aid: unpack(blob) for aid, blob in runs.items()}, ensure_ascii=False)
        conn.exec_driver_sql(_FROM_JSON, (batch,))
    elif not copy_packed_runs(conn, "text_runs", runs):
        insert_runs(
            conn, "text_runs", [(h, aid) for aid, blob in runs.items() for h in unpack(blob)]
        )
    rows = list(runs.items())
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with (
            raw.cursor() as cur,
            cur.copy("COPY text_run_sets (article_id, hashes) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    conn.exec_driver_sql("INSERT INTO text_run_sets (article_id, hashes) VALUES (?, ?)", rows)


def remove(conn: Connection, ids: Sequence[str]) -> None:
    """Delete the runs of `ids` by the hashes their sets list (key look-ups)."""
    for i in range(0, len(ids), _CHUNK):
        chunk = list(dict.fromkeys(ids[i : i + _CHUNK]))
        query = sa.select(text_run_sets.c.article_id, text_run_sets.c.hashes).where(
            text_run_sets.c.article_id.in_(chunk)
        )
        found = conn.execute(query).all()
        if not found:
            continue
        pairs: list[tuple[Any, ...]] = [(h, aid) for aid, blob in found for h in unpack(blob)]
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "DELETE FROM text_runs t USING unnest(%s::bigint[], %s::varchar[]) AS d(h, a)"
                " WHERE t.hash = d.h AND t.article_id = d.a",
                ([p[0] for p in pairs], [p[1] for p in pairs]),
            )
        else:
            conn.exec_driver_sql("DELETE FROM text_runs WHERE hash = ? AND article_id = ?", pairs)
        gone = [aid for aid, _ in found]
        conn.execute(text_run_sets.delete().where(text_run_sets.c.article_id.in_(gone)))
