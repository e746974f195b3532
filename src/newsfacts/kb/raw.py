"""Hand-written SQL through the DBAPI cursor of a SQLAlchemy connection.

Linking runs a few dozen small statements per article. Built and compiled by
SQLAlchemy Core each time, they cost 100-200 µs of Python apiece against a few µs
for the database (issue 13's profile: 57% of `load` was statement building). The
linker's hot statements are therefore plain SQL text, written once with `?`
placeholders (turned into `%s` for psycopg), run on the same connection and
transaction as the SQLAlchemy calls around them. Only plain identifiers and
placeholders go into the text: every value is a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb import tables as _tables  # noqa: F401  (registers the KB tables)
from newsfacts.store.schema import metadata

_PG_TEXT: dict[str, str] = {}
_ROW = re.compile(r"VALUES (\(\?(?:, \?)*\))")  # the one row of placeholders of a statement
ROWS_PER_STATEMENT = 1000
IN_CHUNK = 400  # values per IN list: below SQLite's variable limit with room to spare
MAX_PARAMS = 30000  # PostgreSQL takes at most 65,535 parameters per statement
T = TypeVar("T")


def in_chunks(values: Sequence[T], size: int = IN_CHUNK) -> Iterator[Sequence[T]]:
    """`values` in slices of at most `size`, one IN (...) list each: every KB read of
    many ids is cut this way to stay under SQLite's variable limit."""
    return (values[i : i + size] for i in range(0, len(values), size))


class Raw:
    """Run prebuilt SQL on a SQLAlchemy connection's own DBAPI connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pg = conn.dialect.name == "postgresql"
        self._cursor: Any = None

    def _sql(self, text: str) -> str:
        if not self.pg:
            return text
        out = _PG_TEXT.get(text)
        if out is None:
            out = _PG_TEXT[text] = text.replace("?", "%s")
        return out

    @property
    def cursor(self) -> Any:
        if self._cursor is None:
            self._cursor = self.conn.connection.cursor()
        return self._cursor

    def all(self, text: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cur = self.cursor
        cur.execute(self._sql(text), tuple(params))
        return list(cur.fetchall())

    def all_in(self, text: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of `text`, whose `{in}` stands for an IN list of `values`, run
        once per IN_CHUNK of them (SQLite's variable limit)."""
        rows: list[tuple[Any, ...]] = []
        for chunk in in_chunks(values):
            rows.extend(self.all(text.replace("{in}", marks(len(chunk))), chunk))
        return rows

    def run(self, text: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(self._sql(text), tuple(params))

    def many(self, text: str, rows: Iterable[Sequence[Any]], *, arrays: str | None = None) -> None:
        """Run `text` once per row.

        On PostgreSQL the rows go as one statement taking one array per column
        (`arrays`, or for `INSERT INTO t (…) VALUES (?, …)` the same insert from
        `unnest`, typed by the table's columns): psycopg's executemany costs Python
        work per row and message, a third of a load's linking. The rows keep their
        order, so what is inserted or skipped is the same. Not for `DO UPDATE`, which
        may not meet one key twice in a statement. The arrays travel in binary (`%b`):
        psycopg escapes each element of a text array with regular expressions."""
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        floats: tuple[int, ...] = ()
        if self.pg and len(rows) > 1 and not arrays:
            arrays, floats = _unnest_insert(text) or (None, ())
        if not (self.pg and len(rows) > 1 and arrays):
            self.cursor.executemany(self._sql(text), rows)
            return
        cols = [list(col) for col in zip(*rows, strict=True)]
        for i in floats:  # a binary float8 array takes floats only (a score may be 1)
            cols[i] = [None if v is None else float(v) for v in cols[i]]
        self.cursor.execute(arrays.replace("?", "%b"), cols)


_INSERT = re.compile(r'INSERT INTO "?(\w+)"? \(([^)]*)\) VALUES (\(\?(?:, \?)*\))')
_ARRAY_TYPES = {sa.Integer: "bigint", sa.Float: "float8", sa.String: "text", sa.Text: "text"}
_UNNEST: dict[str, tuple[str, tuple[int, ...]] | None] = {}


def _unnest_insert(text: str) -> tuple[str, tuple[int, ...]] | None:
    """`INSERT INTO t (a, b) SELECT * FROM unnest(?::text[], ?::bigint[])…` for an
    insert of one row of placeholders into a knowledge-base table, with the
    positions of its float columns; None for any other statement."""
    if text in _UNNEST:
        return _UNNEST[text]
    out = None
    match = _INSERT.match(text)
    table = metadata.tables.get(match.group(1)) if match else None
    if match is not None and table is not None and "DO UPDATE" not in text:
        cols = [c.strip().strip('"') for c in match.group(2).split(",")]
        types = [
            next(t for k, t in _ARRAY_TYPES.items() if isinstance(table.c[c].type, k)) for c in cols
        ]
        unnest = ", ".join(f"?::{t}[]" for t in types)
        sql = f"{text[: match.start(3) - 7]}SELECT * FROM unnest({unnest}){text[match.end(3) :]}"
        out = sql, tuple(i for i, t in enumerate(types) if t == "float8")
    _UNNEST[text] = out
    return out


def marks(n: int) -> str:
    """`(?, ?, …)` for an IN list of n values."""
    return "(" + ", ".join("?" * n) + ")"


@contextmanager
def pipelined(conn: Connection, on: bool = True) -> Iterator[None]:
    """On PostgreSQL, psycopg's pipeline mode for the block: a statement is sent
    without waiting for its answer, so the writes of an article travel with the
    next read instead of one round trip each (a read still waits for its rows).
    An error surfaces at the next read or at the end of the block, inside the same
    transaction, which then rolls back as before. Only raw SQL may run inside:
    SQLAlchemy reads a result's columns before the answer has come. No-op on SQLite
    or when `on` is false."""
    if not on or conn.dialect.name != "postgresql":
        yield
        return
    with conn.connection.driver_connection.pipeline():
        yield
