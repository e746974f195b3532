"""The store: one SQLAlchemy Core layer over SQLite (default) and PostgreSQL.

Everything the API, web pages, CLI and exports read goes through `Store`, so the
SQL lives in one package and both backends answer the same questions the same way.
Writes happen in one transaction per article: a crash mid-save leaves the store as
it was, and re-running an ingest or an extraction is safe.

Near-duplicates (articles saved with `duplicate_of`) stay readable by id, but
listing, search and fact-level queries (facts, series, meeting edges, an entity's
articles, facts and positions, export) leave them out unless asked with
`include_duplicates=True`: a syndicated copy of a story is not a second witness.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import sqlalchemy as sa

from newsfacts.store import fresh, migrations
from newsfacts.store import quotable as qset
from newsfacts.store.base import DEFAULT_DB, StoreError, _sqlite_engine, database_url
from newsfacts.store.bulk import BulkMixin
from newsfacts.store.permissions import PermissionsMixin
from newsfacts.store.search import SearchMixin

__all__ = ["Store", "StoreError", "database_url"]

_MIGRATION_LOCK = 7_316_201_811  # any constant shared by every newsfacts process


class Store(BulkMixin, SearchMixin, PermissionsMixin):
    """Facts, entities and articles in one database. Open with `Store.open()`.

    One facade over the parts in this package: `base` (engine, transactions,
    batches), `write`, `bulk` (many articles per transaction), `read`, `search`,
    `aggregates` (facts, series, dossiers, export) and `permissions`.
    """

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        """Open (and create or migrate) the store at `db`; see `database_url`."""
        raw = db or os.environ.get("NEWSFACTS_DB") or DEFAULT_DB
        url: str | sa.URL = database_url(raw)
        if "://" not in raw and raw != ":memory:":
            # A path: build the URL so "?" or "#" in it stay part of the file name.
            url = sa.URL.create("sqlite", database=str(Path(raw).expanduser()))
        try:
            if str(url).startswith("sqlite"):
                engine = _sqlite_engine(url)
            else:
                engine = sa.create_engine(url, pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as exc:  # bad URL, unknown driver
            raise StoreError(f"cannot open store: {str(exc).splitlines()[0]}") from exc
        store = cls(engine)
        try:
            store._migrate()
            if store.dialect == "postgresql":
                store._check_pg_ctype()
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            where = engine.url.render_as_string(hide_password=True)
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot open store {where}: {reason}") from exc
        except Exception:
            engine.dispose()
            raise
        return store

    def _check_pg_ctype(self) -> None:
        """Warn when the database cannot lower-case Cyrillic (a C-locale cluster):
        full-text search then only finds words typed in the article's own case."""
        with self._read() as conn:
            ok = conn.execute(sa.text("SELECT lower('Ш') = 'ш'")).scalar()
        if not ok:
            warnings.warn(
                "PostgreSQL database has a non-UTF-8 ctype: Russian full-text search "
                "will be case-sensitive (create the database with a UTF-8 locale)",
                RuntimeWarning,
                stacklevel=3,
            )

    def _migrate(self) -> None:
        """Bring the schema to the newest Alembic revision.

        A current schema is detected with a plain read, so opening a store for
        reading never takes the write lock (and works on a read-only file), and
        without importing alembic (`migrations.HEAD`)."""
        with self._read() as conn:
            current = stamped_revisions(conn) == {migrations.HEAD}
            stale = qset.missing_sets(conn) if current else []
        if current:
            if stale:  # sets chosen by older rules (policy.quotable.VERSION)
                self.rebuild_quotable(stale)
            return
        if self._create_fresh():
            return
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", "newsfacts.store:migrations")
        heads = set(ScriptDirectory.from_config(config).get_heads())
        with self._read() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            stale = qset.missing_sets(conn) if current == heads else []
        if current == heads:
            if stale:  # sets chosen by older rules (policy.quotable.VERSION)
                self.rebuild_quotable(stale)
            return
        with self._write() as conn:
            if self.dialect == "postgresql":
                # Two processes opening a fresh database must not both create tables;
                # SQLite gets the same effect from BEGIN IMMEDIATE.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            missing = qset.missing_sets(conn)
        if missing:  # articles stored before the quotable sets existed (migration 0005)
            self.rebuild_quotable(missing)

    def _create_fresh(self) -> bool:
        """Create the newest schema at once in a database without tables (`fresh`);
        False where there are tables (an older store, or one another process
        created meanwhile), which Alembic then brings up to date."""
        with self._read() as conn:
            if not fresh.is_empty(conn):
                return False
        try:
            with self._write() as conn:
                if self.dialect == "postgresql":  # as for a migration: one creator at a time
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK}
                    )
                if not fresh.is_empty(conn):
                    raise _CreatedMeanwhile  # rolled back: nothing written
                fresh.create(conn)
        except _CreatedMeanwhile:
            return False
        return True


class _CreatedMeanwhile(Exception):
    """Another process created the schema between the check and the write lock."""


def stamped_revisions(conn: sa.Connection) -> set[str]:
    """The revisions a store is stamped with (empty for a new database), read as
    alembic's `MigrationContext.get_current_heads` would, without alembic."""
    if not sa.inspect(conn).has_table("alembic_version"):
        return set()
    return set(conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())
