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

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection

_PG_TEXT: dict[str, str] = {}


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

    def run(self, text: str, params: Sequence[Any] = ()) -> None:
        self.cursor.execute(self._sql(text), tuple(params))

    def many(self, text: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.cursor.executemany(self._sql(text), rows)


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
