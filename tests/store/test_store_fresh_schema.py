"""A new store is created from the metadata at once (`store.fresh`) instead of by
running every migration: it must be the very schema the migrations build from
empty (tables, columns in order, keys, indexes, full-text objects, triggers and
seed rows), on SQLite and on PostgreSQL, and opening it must not need alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from schema_snapshot import snapshot
from store_samples import PG_URL, record_a

from backend_db import BACKENDS
from newsfacts.store import Store, migrations
from newsfacts.store.base import _sqlite_engine, database_url
from newsfacts.store.store import stamped_revisions
from newsfacts.store.textruns import unpack


def _empty_engine(backend: str, path: Path) -> sa.Engine:
    if backend != "postgres":
        return _sqlite_engine(sa.URL.create("sqlite", database=str(path)))
    assert PG_URL
    engine = sa.create_engine(database_url(PG_URL))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    return engine


def _migrated(backend: str, path: Path) -> dict:
    """The schema Alembic's revisions build one by one from an empty database."""
    engine = _empty_engine(backend, path)
    config = Config()
    config.set_main_option("script_location", "newsfacts.store:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    with engine.connect() as conn:
        out = snapshot(conn)
    engine.dispose()
    return out


def _opened(backend: str, path: Path) -> dict:
    """The schema `Store.open` gives an empty database."""
    _empty_engine(backend, path).dispose()
    url = PG_URL if backend == "postgres" else str(path)
    with Store.open(url) as store, store.engine.connect() as conn:
        assert stamped_revisions(conn) == {migrations.HEAD}
        out = snapshot(conn)
    return out


@pytest.mark.parametrize("backend", BACKENDS)
def test_new_store_equals_the_migrated_one(backend: str, tmp_path: Path) -> None:
    migrated = _migrated(backend, tmp_path / "migrated.db")
    created = _opened(backend, tmp_path / "created.db")
    # seeded 1 by revision 0007, then bumped by the opening write, as when
    # `Store.open` ran the migrations itself
    assert migrated["store_version"].pop("rows") == [(1, 1)]
    assert created["store_version"].pop("rows") == [(1, 2)]
    assert set(created) == set(migrated)
    for name in sorted(migrated):
        assert created[name] == migrated[name], name


@pytest.mark.parametrize("backend", BACKENDS)
def test_snapshot_sees_a_missing_index_and_a_moved_stamp(backend: str, tmp_path: Path) -> None:
    """The comparison above can fail: a store short of one index, or stamped with
    another revision, differs from the migrated one."""
    migrated = _migrated(backend, tmp_path / "migrated.db")
    path = tmp_path / "created.db"
    _empty_engine(backend, path).dispose()
    url = PG_URL if backend == "postgres" else str(path)
    with Store.open(url) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_shown_runs_article")
        drop_index = snapshot(conn)
        conn.exec_driver_sql("CREATE INDEX ix_shown_runs_article ON shown_runs (article_id)")
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0014'")
        restamped = snapshot(conn)
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{migrations.HEAD}'")
        conn.exec_driver_sql("UPDATE store_version SET version = 1")
        assert snapshot(conn) == migrated
    assert drop_index["shown_runs"] != migrated["shown_runs"]
    assert restamped["alembic_version"] != migrated["alembic_version"]


def test_a_new_store_is_opened_and_written_without_alembic(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    probe = (
        "import sys; from newsfacts.store import Store; "
        f"from store_samples import record_a; s = Store.open({str(db)!r}); "
        "assert s.save(record_a()); print('alembic' in sys.modules)"
    )
    # tests/store for store_samples, tests/ for what it imports (pytest's pythonpath)
    paths = [str(Path(__file__).parent), str(Path(__file__).parents[1])]
    out = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path[:0] = {paths!r}; {probe}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "False"
    with Store.open(str(db)) as store:
        assert store.get_record(record_a().article.id) is not None


def test_a_database_with_tables_is_migrated_not_created(tmp_path: Path) -> None:
    """A store stamped with an older revision goes through Alembic (here: the
    revision after 0014 builds its tables again, and 0017 rebuilds `text_runs` from
    the layout 0016 left, keeping its rows), never through `fresh`."""
    db = tmp_path / "old.db"
    with Store.open(str(db)) as store:
        assert store.save(record_a())
        with store.engine.begin() as conn:
            runs = set(conn.exec_driver_sql("SELECT hash, article_id FROM text_runs"))
            config = Config()
            config.set_main_option("script_location", "newsfacts.store:migrations")
            config.attributes["connection"] = conn
            command.downgrade(config, "0016")
            conn.exec_driver_sql("DROP TABLE kb_event_stale")
            conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0014'")
    assert runs
    with Store.open(str(db)) as store, store.engine.connect() as conn:
        assert stamped_revisions(conn) == {migrations.HEAD}
        assert sa.inspect(conn).has_table("kb_event_stale")
        assert store.get_record(record_a().article.id) is not None
        assert set(conn.exec_driver_sql("SELECT hash, article_id FROM text_runs")) == runs
        (aid, blob), *more = conn.exec_driver_sql("SELECT * FROM text_run_sets").all()
        assert not more and {(h, aid) for h in unpack(blob)} == runs
