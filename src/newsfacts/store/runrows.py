"""Writing rows of hashed runs (`text_runs`, `shown_runs`: `store.shown`) in bulk.

Hundreds of rows an article, so the driver's own bulk paths are used: executemany on
SQLite, one COPY text block on PostgreSQL (issue 13).
"""

from __future__ import annotations

import struct
from typing import Any

from sqlalchemy.engine import Connection

# PostgreSQL's binary COPY framing: signature, flags, header extension; end marker.
_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_TRAILER = struct.pack(">h", -1)


def insert_runs(conn: Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    """Plain driver executemany on SQLite (SQLAlchemy's per-row parameter handling
    cost more than the inserts), COPY on PostgreSQL (psycopg's executemany sent a
    statement per row: most of a load's time there, issue 13)."""
    if not rows:
        return
    # In hash order: the hash index takes them as a run of neighbouring pages, not
    # one random page each (into a 20k-article store 125,000 text runs cost 1.7-1.8 s
    # of CPU sorted against 2.4-4.3 s as they came; the rows are a set, their order
    # means nothing to a reader). Ordered by numpy on the hash alone: Python's sort
    # of the tuples cost ~0.6 s for a 300-article load, more than it saved there.
    rows = _by_hash(rows)
    cols = "hash, article_id, kind" if len(rows[0]) == 3 else "hash, article_id"
    if conn.dialect.name == "postgresql":
        # COPY's text format written at once (`write_row` per row cost more than
        # the server's work): integers, and ids and kinds escaped once each.
        tails = {r[1:] for r in rows}
        tail = {t: "".join(f"\t{_copy_text(x)}" for x in t) + "\n" for t in tails}
        data = "".join([f"{r[0]}{tail[r[1:]]}" for r in rows])
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            copy.write(data.encode())
        return
    marks = ", ".join(["?"] * len(rows[0]))
    conn.exec_driver_sql(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def _by_hash(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """`rows` ordered by their first field, a 64-bit hash (stable)."""
    import numpy as np

    keys = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return [rows[i] for i in np.argsort(keys, kind="stable").tolist()]


def _copy_text(value: str) -> str:
    """`value` as a field of PostgreSQL's COPY text format."""
    for raw, coded in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")):
        value = value.replace(raw, coded)
    return value


def copy_packed_runs(conn: Connection, table: str, runs: dict[str, bytes]) -> bool:
    """PostgreSQL: COPY the (hash, article_id) rows of `runs` ({id: `textruns.pack`ed
    hashes}) in binary, every row laid out by numpy at once, in the order
    `insert_runs` sends them (by hash, stable). Building COPY's text row by row cost
    ~0.2 s of the loader's CPU for the ~260,000 text runs of 300 articles, the most
    of any part of its save (issue 13). False, nothing sent, where the ids differ in
    length (one fixed-width column); the caller then takes `insert_runs`."""
    import numpy as np

    ids = [aid.encode() for aid in runs]
    if not ids or len({len(i) for i in ids}) != 1:
        return False
    hashes = [np.frombuffer(bytes(blob), dtype="<i8") for blob in runs.values()]
    owner = np.repeat(np.arange(len(ids)), [len(h) for h in hashes])
    every = np.concatenate(hashes)
    order = np.argsort(every, kind="stable")
    width = len(ids[0])
    # A row: field count, then each field's byte length and its value (big-endian).
    row = np.dtype([("n", ">i2"), ("l1", ">i4"), ("h", ">i8"), ("l2", ">i4"), ("a", f"S{width}")])
    data = np.empty(len(every), dtype=row)
    data["n"], data["l1"], data["l2"] = 2, 8, width
    data["h"] = every[order]
    data["a"] = np.array(ids, dtype=f"S{width}")[owner[order]]
    raw = conn.connection.driver_connection
    sql = f"COPY {table} (hash, article_id) FROM STDIN WITH (FORMAT BINARY)"
    with raw.cursor() as cur, cur.copy(sql) as copy:
        copy.write(_HEADER + data.tobytes() + _TRAILER)
    return True
