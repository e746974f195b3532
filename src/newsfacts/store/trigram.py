"""Trigram indexes for substring search in fact arguments (issue 13).

The facts list, its export and the search page filter facts by a substring of
their folded arguments (`facts.args_text LIKE '%…%'`): a scan of every fact, the
cost of which grows with the store. With a trigram index only the facts holding
the query's trigrams are read:

- SQLite: an FTS5 table `facts_trgm` (tokenizer `trigram`, SQLite ≥ 3.34) kept in
  step with `facts` by triggers, so every writer (one save, a batch, a deletion)
  maintains it in its own transaction. A phrase query of the folded text is
  exactly "contains this substring" for 3 characters or more; shorter queries
  and stores without FTS5 trigram keep the plain scan.
- PostgreSQL: a GIN `gin_trgm_ops` index on `facts.args_text` (extension
  pg_trgm), which the planner uses for the unchanged LIKE; without the extension
  the LIKE scans as before.

The LIKE stays in every query, so the index only narrows which rows are read and
the results are those of the scan. The FTS rows carry (article_id, seq) and are
found again by the facts' rowid; a VACUUM may renumber rowids, so run
`rebuild(conn)` after one.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

TABLE = "facts_trgm"
PG_INDEX = "ix_facts_args_trgm"
MIN_CHARS = 3  # a trigram index cannot narrow a shorter substring

_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "args_text, article_id UNINDEXED, seq UNINDEXED, tokenize='trigram')",
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON facts BEGIN "
    f"INSERT INTO {TABLE}(rowid, args_text, article_id, seq) "
    "VALUES (new.rowid, new.args_text, new.article_id, new.seq); END",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON facts BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.rowid; END",
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF args_text ON facts BEGIN "
    f"UPDATE {TABLE} SET args_text = new.args_text WHERE rowid = old.rowid; END",
)


def create(conn: Connection) -> bool:
    """Create the index where the backend can (filled from the stored facts);
    False when it cannot, and fact search keeps its plain scan."""
    if conn.dialect.name == "postgresql":
        try:
            with conn.begin_nested():  # a refused extension must not abort the migration
                conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
                conn.exec_driver_sql(
                    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON facts "
                    "USING gin (args_text gin_trgm_ops)"
                )
        except sa.exc.DBAPIError:
            return False
        return True
    try:
        with conn.begin_nested():
            for ddl in _SQLITE_DDL:
                conn.exec_driver_sql(ddl)
    except sa.exc.OperationalError:  # no FTS5, or no trigram tokenizer (SQLite < 3.34)
        return False
    rebuild(conn)
    return True


def drop(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"DROP INDEX IF EXISTS {PG_INDEX}")
        return
    for name in ("ai", "ad", "au"):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")


def rebuild(conn: Connection) -> None:
    """Refill the SQLite index from `facts` (after a VACUUM renumbered rowids)."""
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql(
        f"INSERT INTO {TABLE}(rowid, args_text, article_id, seq) "
        "SELECT rowid, args_text, article_id, seq FROM facts"
    )


def has_index(conn: Connection) -> bool:
    """Whether this SQLite store has the trigram table (PostgreSQL needs no query change)."""
    if conn.dialect.name != "sqlite":
        return False
    found = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).first()
    return found is not None


def phrase(folded: str) -> str | None:
    """The FTS5 phrase matching the facts whose folded args hold `folded`; None when
    the query is too short for trigrams or holds a NUL (no FTS5 string can)."""
    if len(folded) < MIN_CHARS or "\x00" in folded:
        return None
    return '"' + folded.replace('"', '""') + '"'


def narrowing(folded: str) -> sa.ColumnElement[bool] | None:
    """A condition on `facts` keeping the rows whose folded args hold `folded`,
    answered by the SQLite trigram index; None when the query is too short for it
    or holds a NUL (the LIKE alone then decides).
    By rowid, so SQLite reads just those facts; the caller keeps its LIKE, which
    decides, so a stale row could only ever drop a hit, never add one."""
    quoted = phrase(folded)
    if quoted is None:
        return None
    hits = sa.text(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH :trigram_phrase")
    return sa.literal_column("facts.rowid").in_(
        hits.bindparams(trigram_phrase=quoted).columns(sa.column("rowid")).scalar_subquery()
    )
