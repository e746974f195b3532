"""SQLite's FTS5 rowids in publication order, so "the newest matches" cost no sort.

Article search ranks only the W newest matches of a query (`store.fts_rank`, issue
13): FTS5's bm25 scores every match before its LIMIT, 71,000 for «Россия» in a
200,000-article store. FTS5 walks a query's matches in rowid order and stops at a
LIMIT without reading a text, so the rowid is made to carry the publication day:

    rowid = day << 32 | n

`day` is the proleptic ordinal of the publication date (its `YYYY`, `YYYY-MM` or
`YYYY-MM-DD` prefix, read as the first day it names; 0 when there is none), `n`
counts the articles stored for that day from 1. So `ORDER BY rowid DESC` is newest
published first, and on the same day the later stored first; an article without a
date sorts after every dated one, as `published DESC` puts NULL last. Migration 0016
renumbers the rows of an older store (`rekey`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.engine import Connection

SHIFT = 32
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_LAST = "SELECT rowid FROM articles_fts WHERE rowid >= ? AND rowid < ? ORDER BY rowid DESC LIMIT 1"
# Revision 0001's statement with a prefix index of 4 characters (revision 0019), as
# `store.fresh` also runs it. Search cuts words to stems of at least 4 characters
# (`store.fts`); a 4-character stem such as «росс»* expands to hundreds of words, and
# FTS5 merged all their postings twice a query (the matches, then bm25's counts): 38
# of the 38 ms of «Россия»'s window at 200,000 articles; 4.8 ms with the prefix index,
# which holds each word's first 4 characters as one more term (the index 1.3x larger).
PREFIX = "4"
DDL = (
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    "article_id UNINDEXED, title, body, "
    f"tokenize = 'unicode61 remove_diacritics 2', prefix = '{PREFIX}')"
)


def day_of(published: str | None) -> int:
    """The day number of a publication date, 0 without a readable one."""
    m = _DATE.match(published or "")
    if m is None:
        return 0
    try:
        return date(int(m[1]), int(m[2] or 1), int(m[3] or 1)).toordinal()
    except ValueError:  # «2022-02-31»: not a day
        return 0


def next_rowids(conn: Connection, published: Sequence[str | None]) -> list[int]:
    """New rowids for articles of these dates, in the order given.

    Called inside the writing transaction, after the article rows were inserted, so
    SQLite's write lock is held and no other writer can take the same numbers. One
    indexed look-up per distinct day (the day's last rowid)."""
    following: dict[int, int] = {}
    out = []
    for value in published:
        day = day_of(value)
        if day not in following:
            low = day << SHIFT
            last = conn.exec_driver_sql(_LAST, (low, low + (1 << SHIFT))).scalar()
            following[day] = low + 1 if last is None else int(last) + 1
        out.append(following[day])
        following[day] += 1
    return out


def rekey(conn: Connection, progress: Callable[[str], None] | None = None) -> int:
    """Rebuild `articles_fts` with publication-ordered rowids (migration 0016).

    FTS5 keeps rowids inside its index, so the rows are copied out (a plain temporary
    table: no tokenizing), the table is created again with `DDL` (so its schema reads
    as a new store's, `store.fresh`) and filled in rowid order, FTS5's cheap appending
    case. Revision 0019 runs it again on a table without the prefix index. Returns the
    number of rows."""
    rows = conn.exec_driver_sql(
        "SELECT f.rowid, a.published FROM articles_fts f "
        "LEFT JOIN articles a ON a.id = f.article_id ORDER BY f.rowid"
    ).all()
    if not rows:  # a new store: nothing to renumber
        return 0
    keys = _keys([r[1] for r in rows])
    for name in ("fts_rekey", "fts_rows"):
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{name}")
    conn.exec_driver_sql("CREATE TEMP TABLE fts_rekey (old INTEGER PRIMARY KEY, new INTEGER)")
    conn.exec_driver_sql(
        "INSERT INTO fts_rekey (old, new) VALUES (?, ?)",
        [(r[0], k) for r, k in zip(rows, keys, strict=True)],
    )
    conn.exec_driver_sql(
        "CREATE TEMP TABLE fts_rows AS SELECT k.new AS new, f.article_id AS article_id, "
        "f.title AS title, f.body AS body FROM fts_rekey k "
        "JOIN articles_fts f ON f.rowid = k.old"
    )
    conn.exec_driver_sql("DROP TABLE articles_fts")
    conn.exec_driver_sql(DDL)
    conn.exec_driver_sql(
        "INSERT INTO articles_fts (rowid, article_id, title, body) "
        "SELECT new, article_id, title, body FROM fts_rows ORDER BY new"
    )
    for name in ("fts_rekey", "fts_rows"):
        conn.exec_driver_sql(f"DROP TABLE temp.{name}")
    if progress is not None:
        progress(f"full-text rows renumbered by publication date: {len(rows)}")
    return len(rows)


def _keys(published: Sequence[str | None]) -> list[int]:
    """Rowids for a whole table at once, numbering each day in the order given."""
    following: dict[int, int] = {}
    out = []
    for value in published:
        day = day_of(value)
        n = following.get(day, 0) + 1
        following[day] = n
        out.append(day << SHIFT | n)
    return out
