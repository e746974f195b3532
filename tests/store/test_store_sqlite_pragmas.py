"""What every connection to a SQLite file store is set up with (`store.base`): WAL and
a page cache large enough that pooled readers keep a page's hot index pages between
requests (issue 13: with SQLite's 2 MiB default a dossier re-read them each time)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from newsfacts.store import Store
from newsfacts.store.base import CACHE_KIB


def test_every_connection_of_a_file_store_gets_the_large_page_cache(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "p.db")) as store:
        for _ in range(2):  # a fresh connection, and one back from the pool
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -CACHE_KIB
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    with Store.open(":memory:") as mem, mem.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
