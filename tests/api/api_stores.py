"""Where the API tests keep their stores: SQLite files, or with `NEWSFACTS_API_ON_PG=1`
a new PostgreSQL database per store (a module of its own: test modules never import
from conftest, whose name other test folders share)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from webapi_fixtures import all_records

from newsfacts.store import Store

# `NEWSFACTS_API_ON_PG=1` (with NEWSFACTS_TEST_PG) runs this whole suite on PostgreSQL,
# each store in a database of its own; scripts/test.sh does so after the SQLite run.
PG_URL = os.environ.get("NEWSFACTS_TEST_PG") if os.environ.get("NEWSFACTS_API_ON_PG") else None


def _new_pg_database(server: str) -> str:
    import sqlalchemy as sa

    from newsfacts.store import database_url

    url = sa.make_url(database_url(server))
    name = f"newsfacts_api_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def store_location(path: Path) -> str:
    """Where a test store lives: `path` (SQLite), or a new database on the PG server."""
    return _new_pg_database(PG_URL) if PG_URL else str(path)


def filled_store(path: Path) -> Store:
    store = Store.open(store_location(path))
    for record in all_records():
        store.save(record)
    return store
