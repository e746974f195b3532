"""The store's plumbing: opening engines, URLs, transactions and batches.

Every mixin of `Store` reads and writes through `_read()` and `_write()` here, so
one place decides what a transaction is: one per article on its own, a SAVEPOINT
inside `batch()`, and on SQLite the write lock taken up front (BEGIN IMMEDIATE).
"""

from __future__ import annotations

import hashlib
import importlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from newsfacts.model import Record
from newsfacts.store import version
from newsfacts.store.keys import period_bounds
from newsfacts.store.schema import quotable_pending

DEFAULT_DB = "./newsfacts.db"


class StoreError(ValueError):
    """A record or argument the store refuses, with a one-line reason."""


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for `db`: None → $NEWSFACTS_DB → ./newsfacts.db.

    A plain path means SQLite; `postgres://` and `postgresql://` get the psycopg 3
    driver, the one the project installs.
    """
    db = db or os.environ.get("NEWSFACTS_DB") or DEFAULT_DB
    if db == ":memory:":
        return "sqlite://"
    if "://" not in db:
        path = Path(db).expanduser()
        if not path.parent.exists():
            raise StoreError(f"{db}: directory {path.parent} does not exist")
        return f"sqlite:///{path}"
    for prefix in ("postgres://", "postgresql://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix) :]
    return db


def dialect_insert(name: str) -> Any:
    """`insert` of the backend's own dialect (its ON CONFLICT clauses), the dialect
    module imported on first use: a load into SQLite never imports PostgreSQL's
    (~30 ms of its start-up, issue 13)."""
    module = "postgresql" if name == "postgresql" else "sqlite"
    return importlib.import_module(f"sqlalchemy.dialects.{module}").insert


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _natural(local_id: str) -> tuple[str, int, str]:
    """Sort key so "E2" comes before "E10"."""
    match = re.match(r"^(\D*)(\d+)(.*)$", local_id)
    if not match:
        return (local_id, -1, "")
    return (match.group(1), int(match.group(2)), match.group(3))


def _bounds(value: str, name: str) -> tuple[str, str]:
    """First and last day of an ISO date or period given as a filter, or StoreError."""
    bounds = period_bounds(value)
    if bounds is None:
        raise StoreError(f"{name} {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return bounds


class StoreBase:
    """Engine, dialect and the transaction helpers every part of `Store` uses."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._batch: Connection | None = None
        self._batch_size = 0
        self._batch_pending = 0
        # The registry that decides the stored policy of articles without a footer
        # (None: the packaged one, or $NEWSFACTS_POLICY_REGISTRY).
        self.policy_registry: Any = None
        # Articles whose quotable sets still wait for the cross-article pass
        # (None: not deferring, each save runs it at once).
        self._unreconciled: list[str] | None = None
        # New articles whose text and shown runs `save_many` wrote in their own
        # transaction (`store.shown.index_new`), unchanged since: the cross-article
        # pass need not hash them again (any other write of one takes it out).
        self._texts_indexed: set[str] = set()
        # ...and their records as stored, with their duplicate link, for that pass
        # (`store.passio.with_saved`; at most `passio.MAX_SAVED`).
        self._saved_records: dict[str, tuple[Record, str | None]] = {}

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self, size: int = 200) -> Iterator[Self]:
        """Group many saves into few commits, for bulk loads.

        Inside the block every `save` still succeeds or fails alone (each runs in
        a SAVEPOINT), reads see what the batch saved so far, and the transaction
        is committed every `size` saves (no-op saves count too) and on leaving
        the block, also when the block raises (each completed save is a whole
        article). Fewer commits made bulk saving about 1.5x faster on SQLite in
        our measurement (tests/store/bench_store.py --batch); on PostgreSQL the
        gain is small. While a batch is open the Store is not thread-safe, and
        on SQLite other writers wait for each commit.
        """
        if self._batch is not None:  # nested: the outer batch decides
            yield self
            return
        with self.deferred_sets(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            conn.begin()
            self._batch, self._batch_size, self._batch_pending = conn, max(1, size), 0
            try:
                yield self
            finally:
                self._batch = None
                if conn.in_transaction():
                    conn.commit()

    @contextmanager
    def deferred_sets(self) -> Iterator[Self]:
        """Run the cross-article pass over the quotable sets once, when the block
        ends, instead of after each save: a bulk ingest reads the store's texts once.
        Until then a new article's set is judged against its own text only. The pass
        also takes the articles an earlier process left waiting, killed before its
        own pass (`quotable_pending`)."""
        if self._unreconciled is not None:  # nested: the outer block reconciles
            yield self
            return
        waiting = sa.select(quotable_pending.c.article_id).order_by(quotable_pending.c.article_id)
        with self._read() as conn:
            self._unreconciled = list(conn.execute(waiting).scalars())
        try:
            yield self
        finally:
            ids, self._unreconciled = self._unreconciled, None
            if ids:
                self.reconcile_quotable(ids)

    @contextmanager
    def exclusive(self, name: str) -> Iterator[None]:
        """Run the block alone among every process using this PostgreSQL database.

        Parallel loaders (`newsfacts load` per input part) each end with passes
        over the whole store: knowledge-base linking, which would link an article
        twice if two loaders picked it up at once, and the quotable sets'
        cross-article pass. A session-level advisory lock keyed by `name` takes
        turns; on SQLite it is a no-op (one writer at a time already, and
        parallel loading is a PostgreSQL feature)."""
        if self.dialect != "postgresql":
            yield
            return
        key = _lock_key(name)
        with self.engine.connect() as conn:
            conn.execute(sa.text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; on SQLite it takes the write lock up front (BEGIN
        IMMEDIATE) so the existence check and the insert cannot interleave.
        Inside `batch()` it is a savepoint of the batch's transaction."""
        if self._batch is not None:
            conn = self._batch
            with conn.begin_nested():
                yield conn
                version.bump(conn)  # ETags and cached answers follow every write
            self._batch_pending += 1
            if self._batch_pending >= self._batch_size:
                conn.commit()
                conn.begin()
                self._batch_pending = 0
            return
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn
                version.bump(conn)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection for reading; inside `batch()`, the batch's own, so reads
        see the articles saved earlier in the batch."""
        if self._batch is not None:
            yield self._batch
            return
        with self.engine.connect() as conn:
            yield conn


# SQLite's page cache per connection, in KiB (its default is 2 MiB). A pooled
# connection keeps its pages between transactions under WAL while nobody writes, so
# a search re-reads the FTS index's and the articles' B-tree pages from here rather
# than through the OS at every request: /api/articles?q= at 200,000 articles
# -20 % CPU (BENCHMARKS.md §7, seventh session). The cache fills only as pages are
# read: at most this much per open connection.
CACHE_KIB = 65536


def _sqlite_engine(url: str | sa.URL) -> Engine:
    memory = str(url) == "sqlite://"
    kwargs: dict[str, Any] = {}
    if memory:
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (pysqlite's own is unreliable),
        # enforce foreign keys, wait for a busy writer instead of failing, and let
        # readers (the API) run while a writer (ingest) holds the lock.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 30000")
        if not memory:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def _lock_key(name: str) -> int:
    """A stable signed 64-bit advisory-lock key for `name` (same in every process)."""
    digest = hashlib.blake2b(f"newsfacts:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _limit(limit: int, ceiling: int = 500) -> int:
    return max(1, min(int(limit), ceiling))
