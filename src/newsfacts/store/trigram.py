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

The FTS rowid also carries each fact's date (issue 13, seventh session of
2026-12-07), as the article index's does (`store.fts_order`):

    rowid = bucket << 32 | facts.rowid

where `bucket` is the day of the fact's sort key `coalesce(period_start,
published)` (the facts list's order, newest first): 0 for no key, the Julian day
of a well-formed `YYYY`, `YYYY-MM` or `YYYY-MM-DD…` key, and `TOP` for any other
string. For two well-formed keys in different buckets the later bucket's key is
the greater string, so FTS5 walks a phrase's matches newest day first
(`ORDER BY rowid DESC`) and stops early (`api.fact_order`): the search page's 30
newest facts holding «владимир путин» no longer read all 15,200 of them. The
triggers keep the bucket exact when a fact's `period_start` or its article's
`published` changes, and remove an article's rows before a cascade from it.
Facts' rowids stay below 2**32 (four billion facts).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

TABLE = "facts_trgm"
PG_INDEX = "ix_facts_args_trgm"
MIN_CHARS = 3  # a trigram index cannot narrow a shorter substring

ROWID_BITS = 32
FACT_ROWID_MASK = (1 << ROWID_BITS) - 1
TOP = 1 << 30  # the bucket of keys that are no date: read first, sorted exactly
_DIGITS4 = "[0-9][0-9][0-9][0-9]"
_DIGITS2 = "[0-9][0-9]"


def bucket_sql(key: str) -> str:
    """SQL for the bucket of the sort key expression `key` (see the module doc).

    A key only gets a day's bucket when it is a real date in ISO form, so that
    bucket order is string order: «2024-02-31» (which SQLite's julianday() reads as
    2 March, and date() passes as it is) and «20245» go to TOP instead."""
    day = f"substr({key}, 1, 10)"
    month = f"({key} || '-01')"
    year = f"({key} || '-01-01')"
    return (
        f"CASE WHEN {key} IS NULL THEN 0 "
        f"WHEN {key} GLOB '{_DIGITS4}-{_DIGITS2}-{_DIGITS2}*' AND date(julianday({day})) = {day} "
        f"THEN CAST(julianday({day}) AS INTEGER) "
        f"WHEN length({key}) = 7 AND {key} GLOB '{_DIGITS4}-{_DIGITS2}' "
        f"AND date(julianday({month})) = {month} THEN CAST(julianday({month}) AS INTEGER) "
        f"WHEN length({key}) = 4 AND {key} GLOB '{_DIGITS4}' "
        f"AND date(julianday({year})) = {year} THEN CAST(julianday({year}) AS INTEGER) "
        f"ELSE {TOP} END"
    )


def rowid_sql(period_start: str, article_id: str, fact_rowid: str) -> str:
    """SQL for a fact's FTS rowid from its `period_start`, article id and rowid
    (its article's `published` looked up by id)."""
    published = f"(SELECT published FROM articles WHERE id = {article_id})"
    key = f"coalesce({period_start}, {published})"
    return f"(({bucket_sql(key)}) << {ROWID_BITS} | {fact_rowid})"


_NEW = rowid_sql("new.period_start", "new.article_id", "new.rowid")
_OLD = rowid_sql("old.period_start", "old.article_id", "old.rowid")
# The rows of an article's undated facts (`f`), keyed by its `published` (`old`/`new`).
_UNDATED = "FROM facts f WHERE f.article_id = {row}.id AND f.period_start IS NULL"


def _of_article(row: str) -> str:
    published = f"{row}.published"
    return f"(({bucket_sql(published)}) << {ROWID_BITS} | f.rowid)"


_SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "args_text, article_id UNINDEXED, seq UNINDEXED, tokenize='trigram')",
    f"CREATE TRIGGER {TABLE}_ai AFTER INSERT ON facts BEGIN "
    f"INSERT INTO {TABLE}(rowid, args_text, article_id, seq) "
    f"VALUES ({_NEW}, new.args_text, new.article_id, new.seq); END",
    f"CREATE TRIGGER {TABLE}_ad AFTER DELETE ON facts BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = {_OLD}; END",
    f"CREATE TRIGGER {TABLE}_au AFTER UPDATE OF args_text, period_start ON facts BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = {_OLD}; "
    f"INSERT INTO {TABLE}(rowid, args_text, article_id, seq) "
    f"VALUES ({_NEW}, new.args_text, new.article_id, new.seq); END",
    # An article's new date moves its undated facts' rows to the new day.
    f"CREATE TRIGGER {TABLE}_pu AFTER UPDATE OF published ON articles BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid IN (SELECT {_of_article('old')} "
    + _UNDATED.format(row="old")
    + f"); INSERT INTO {TABLE}(rowid, args_text, article_id, seq) "
    f"SELECT {_of_article('new')}, f.args_text, f.article_id, f.seq "
    + _UNDATED.format(row="new")
    + "; END",
    # A cascade deletes the facts after their article: their rows go first.
    f"CREATE TRIGGER {TABLE}_pd BEFORE DELETE ON articles BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid IN (SELECT "
    + rowid_sql("f.period_start", "f.article_id", "f.rowid")
    + " FROM facts f WHERE f.article_id = old.id); END",
)
TRIGGERS = ("ai", "ad", "au", "pu", "pd")


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
    for name in TRIGGERS:
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TABLE}_{name}")
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {TABLE}")


def rebuild(conn: Connection) -> None:
    """Refill the SQLite index from `facts` (after a VACUUM renumbered rowids)."""
    conn.exec_driver_sql(f"DELETE FROM {TABLE}")
    conn.exec_driver_sql(
        f"INSERT INTO {TABLE}(rowid, args_text, article_id, seq) SELECT "
        + rowid_sql("f.period_start", "f.article_id", "f.rowid")
        + ", f.args_text, f.article_id, f.seq FROM facts f"
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


def count_holding(conn: Connection, folded: str) -> int | None:
    """How many facts' folded args hold `folded`, counted in the index alone; None
    when the query is too short for trigrams or holds a NUL.

    The facts list's total for a text filter read and LIKE-tested every matching
    fact: 47,200 for «россия» at 200,000 articles, 0.37 s (issue 13, eighth
    session). The index holds one row per fact (the triggers above, in the writing
    transaction) with a copy of its `args_text`, and a phrase of the trigram
    tokenizer matches exactly the texts holding the phrase's characters in a row;
    its case folding is the identity on `args_text` and on the query, which are
    both `keys.fold`ed (casefolded) already, so this count is the LIKE's count. A
    VACUUM that renumbers facts leaves each row's text, so the count stays right
    even then (only `narrowing` needs a `rebuild`)."""
    quoted = phrase(folded)
    if quoted is None:
        return None
    stmt = f"SELECT count(*) FROM {TABLE} WHERE {TABLE} MATCH ?"
    return int(conn.exec_driver_sql(stmt, (quoted,)).scalar_one())


def narrowing(folded: str) -> sa.ColumnElement[bool] | None:
    """A condition on `facts` keeping the rows whose folded args hold `folded`,
    answered by the SQLite trigram index; None when the query is too short for it
    or holds a NUL (the LIKE alone then decides).
    By rowid, so SQLite reads just those facts; the caller keeps its LIKE, which
    decides, so a stale row could only ever drop a hit, never add one."""
    quoted = phrase(folded)
    if quoted is None:
        return None
    hits = sa.text(
        f"SELECT rowid & {FACT_ROWID_MASK} AS rowid FROM {TABLE} "
        f"WHERE {TABLE} MATCH :trigram_phrase"
    )
    return sa.literal_column("facts.rowid").in_(
        hits.bindparams(trigram_phrase=quoted).columns(sa.column("rowid")).scalar_subquery()
    )
