"""A new store's schema created at once from the metadata, stamped with `HEAD`.

A database with no tables at all has nothing to migrate: running Alembic's
15 revisions one by one there (importing alembic and every revision module,
each `op` call a statement and an inspection) cost 0.25-0.4 s of every
`load` or `ingest` into a new store, the largest part of its start-up
(issue 13). This is Alembic's own recipe for a new database ("create_all, then
stamp head"), with what the revisions add outside the metadata: SQLite's FTS5
table or PostgreSQL's generated search column, the trigram index, and the
seed rows. tests/store/test_store_fresh_schema.py checks that the result equals
a store migrated step by step from empty (tables, columns in order, keys,
indexes, triggers, rows), on both backends, so a new revision that forgets
to update the metadata or this module fails there.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import fts_order, migrations, trigram
from newsfacts.store import kbtables as _kbtables  # noqa: F401  (the KB's tables)
from newsfacts.store.schema import metadata

# As Alembic creates it (`alembic.runtime.migration`), so a later upgrade reads it.
_VERSION_DDL = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)
# What revision 0001 adds per backend: the full-text objects outside `metadata`.
_FTS_DDL = {
    "sqlite": (fts_order.DDL,),  # with revision 0019's prefix index
    "postgresql": (
        "ALTER TABLE articles ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('russian', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('russian', text), 'B')) STORED",
        "CREATE INDEX ix_articles_tsv ON articles USING GIN (tsv)",
    ),
}


def is_empty(conn: Connection) -> bool:
    """True for a database without a single table (a new file, a new schema)."""
    return not sa.inspect(conn).get_table_names()


def create(conn: Connection) -> None:
    """Create the newest schema in the empty database of `conn` (in its transaction)
    and stamp it with `migrations.HEAD`."""
    metadata.create_all(conn, checkfirst=False)
    for ddl in _FTS_DDL.get(conn.dialect.name, ()):
        conn.exec_driver_sql(ddl)
    trigram.create(conn)  # where the backend has it, as revision 0009
    conn.exec_driver_sql("INSERT INTO store_version (id, version) VALUES (1, 1)")  # 0007
    conn.exec_driver_sql(_VERSION_DDL)
    conn.execute(
        sa.text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": migrations.HEAD}
    )
