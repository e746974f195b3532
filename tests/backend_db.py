"""A store URL for module-level tests that run on SQLite and, when NEWSFACTS_TEST_PG
names a server (tests/store/start_postgres.sh), on PostgreSQL too (issue 12: the
long-name tests) and the store tests' fixtures. Not a conftest: test modules import it
by name (pyproject's pytest `pythonpath` puts tests/ on the path)."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from newsfacts.store import database_url

PG_URL = os.environ.get("NEWSFACTS_TEST_PG")

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param(
        "postgres",
        id="postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not PG_URL, reason="NEWSFACTS_TEST_PG is not set (tests/store/start_postgres.sh)"
            ),
        ],
    ),
]


def fresh_db(backend: str, tmp_path_factory: pytest.TempPathFactory, name: str) -> str:
    """An empty SQLite file, or the test PostgreSQL database emptied (schema dropped:
    the store's migrations rebuild it on open)."""
    if backend == "sqlite":
        return str(tmp_path_factory.mktemp(name) / f"{name}.db")
    assert PG_URL
    engine = sa.create_engine(database_url(PG_URL))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    return PG_URL


def empty_pg_tables(conn: sa.Connection) -> None:
    """Empty every table of a PostgreSQL store as a new store has them, far cheaper
    than dropping the schema and migrating again: rows gone, sequences restarted, and
    the version counter's one row back (store/fresh.py writes it; without it every
    write's bump updates nothing and the store reads version 0 for ever, so a test
    run after another one that had emptied the tables saw no version move)."""
    names = conn.execute(
        sa.text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename <> 'alembic_version'"
        )
    ).scalars()
    names = list(names)
    if names:
        quoted = ", ".join(f'"{n}"' for n in names)
        conn.execute(sa.text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    if "store_version" in names:
        conn.execute(sa.text("INSERT INTO store_version (id, version) VALUES (1, 1)"))
