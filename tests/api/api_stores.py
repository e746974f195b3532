"""Where the API tests keep their stores: SQLite files, or with `NEWSFACTS_API_ON_PG=1`
a new PostgreSQL database per store (a module of its own: test modules never import
from conftest, whose name other test folders share)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import sqlalchemy as sa
from webapi_fixtures import all_records

from newsfacts.store import Store, database_url

# `NEWSFACTS_API_ON_PG=1` (with NEWSFACTS_TEST_PG) runs this whole suite on PostgreSQL,
# each store in a database of its own; scripts/test.sh does so after the SQLite run.
PG_URL = os.environ.get("NEWSFACTS_TEST_PG") if os.environ.get("NEWSFACTS_API_ON_PG") else None


# The databases this run created, dropped at the end of the session (drop_created):
# the PostgreSQL run makes a few dozen of them, and a shared server kept filling up.
_CREATED: list[str] = []


def _admin_engine(server: str) -> tuple[sa.URL, sa.Engine]:
    url = sa.make_url(database_url(server))
    return url, sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


def _new_pg_database(server: str) -> str:
    url, admin = _admin_engine(server)
    name = f"newsfacts_api_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _CREATED.append(name)
    return url.set(database=name).render_as_string(hide_password=False)


def drop_created() -> None:
    """Drop every database this run created; `FORCE` ends the connections that
    session-scoped stores still hold (PostgreSQL 13 and later)."""
    if not PG_URL or not _CREATED:
        return
    _, admin = _admin_engine(PG_URL)
    with admin.connect() as conn:
        for name in _CREATED:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
    _CREATED.clear()


def store_location(path: Path) -> str:
    """Where a test store lives: `path` (SQLite), or a new database on the PG server."""
    return _new_pg_database(PG_URL) if PG_URL else str(path)


def filled_store(path: Path) -> Store:
    store = Store.open(store_location(path))
    for record in all_records():
        store.save(record)
    return store
