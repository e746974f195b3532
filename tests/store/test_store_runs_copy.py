"""Text runs go into PostgreSQL by binary COPY (`runrows.copy_packed_runs`), laid out
by numpy: the rows, and the order they are sent in, are those of the text COPY
(`runrows.insert_runs`) it replaces; ids of differing lengths take the text COPY."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from backend_db import PG_URL, fresh_db
from newsfacts.store import Store, runrows, textruns

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="NEWSFACTS_TEST_PG is not set"),
]

# Hashes are signed 64-bit: both ends of the range, a repeat across articles.
RUNS = {
    "a" * 16: [5, -(2**63), 2**63 - 1, 42],
    "b" * 16: [42, 7, -1],
    "ц" * 8: [3],  # 16 bytes in UTF-8, as the others
}


def sent(conn: sa.Connection, table: str) -> list[tuple[int, str]]:
    """The rows in the order they were sent (a fresh heap keeps it)."""
    return [tuple(r) for r in conn.exec_driver_sql(f"SELECT hash, article_id FROM {table}")]


def test_binary_copy_sends_the_rows_the_text_copy_sends(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    packed = {aid: textruns.pack(hs) for aid, hs in RUNS.items()}
    db = fresh_db("postgres", tmp_path_factory, "runs")
    with Store.open(db) as store, store.engine.begin() as conn:
        for name in ("by_text", "by_binary"):
            conn.exec_driver_sql(
                f"CREATE TEMP TABLE {name} (hash bigint NOT NULL, article_id varchar(64))"
            )
        pairs = [(h, aid) for aid, blob in packed.items() for h in textruns.unpack(blob)]
        runrows.insert_runs(conn, "by_text", pairs)
        assert runrows.copy_packed_runs(conn, "by_binary", packed)
        expected = sent(conn, "by_text")
        assert sent(conn, "by_binary") == expected
        assert sorted(expected) == sorted((h, a) for a, hs in RUNS.items() for h in hs)


def test_ids_of_other_lengths_take_the_text_copy(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    db = fresh_db("postgres", tmp_path_factory, "mixed")
    with Store.open(db) as store, store.engine.begin() as conn:
        mixed = {"a" * 16: textruns.pack([1, 2]), "short": textruns.pack([3])}
        assert not runrows.copy_packed_runs(conn, "text_runs", mixed)
        textruns.write_packed(conn, mixed)
        rows = conn.exec_driver_sql("SELECT hash, article_id FROM text_runs").all()
        sets = conn.exec_driver_sql("SELECT article_id FROM text_run_sets").scalars()
        assert sorted(map(tuple, rows)) == [(1, "a" * 16), (2, "a" * 16), (3, "short")]
        assert sorted(sets) == ["a" * 16, "short"]
