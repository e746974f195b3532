"""The newest facts matching a text filter, read from the newest dates down (issue 13).

The search page lists the 30 newest facts whose arguments hold the query. With the
trigram index SQLite reads every matching fact, joins its article and sorts them
all by date: 4,700 facts for «Россия» at 20,000 articles, ten times that at
200,000, for 30 rows. A frequent word's newest matches lie among the newest facts,
so the same query is first run on a window of dates, `key >= D` for the list's own
sort key (`coalesce(period_start, published)`), with D the date of the m-th newest
fact or article. Every fact outside the window sorts after every fact inside
(a smaller key, or none: NULLS LAST), so when the window holds at least
`offset + limit` matches its page is the full query's page, ties included. Else
the window grows, and past `_LAST` the full query runs after all.

Only where the matches are many (the trigram index holds more than one fact in
`DENSE_SHARE` of the store, at least `DENSE_MIN`): a rare word's matches are few
and the trigram query reads just those, while the windows would widen in vain.
The windows then hold about `need * DENSE_SHARE` facts on average; a word
frequent only in old facts costs the failed windows before the full query. So the
windows also stop at `need * DENSE_SHARE * _SPREAD` facts: there a dense word
spread evenly over time has `_SPREAD` times the matches needed, so a miss means
its matches lie in old facts, and the next window cost about as much as the full
query it then ran anyway (0.38 s of 1.0 s for «Дмитрий Медведев» at 200k).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import trigram

FactRef = tuple[str, int]
# A word in more than one fact in DENSE_SHARE (and DENSE_MIN facts) is looked for
# newest dates first.
DENSE_SHARE = 300
DENSE_MIN = 500
# The window's first size, in facts (and articles) per fact asked for; it grows
# by `_GROWTH` up to `_LAST` facts (and `need * DENSE_SHARE * _SPREAD`), then the
# full query runs.
_FIRST = 20
_GROWTH = 4
_LAST = 50_000
_SPREAD = 2


def dense(conn: Connection, folded: str) -> bool:
    """Whether `folded` is in more facts than the threshold (the count stops there;
    the store's size from the largest rowid, which deletions only overstate)."""
    phrase = trigram.phrase(folded)
    if phrase is None:
        return False
    size = int(conn.exec_driver_sql("SELECT max(rowid) FROM facts").scalar() or 0)
    threshold = max(DENSE_MIN, size // DENSE_SHARE)
    sql = f"SELECT rowid FROM {trigram.TABLE} WHERE {trigram.TABLE} MATCH ? LIMIT 1 OFFSET ?"
    return conn.exec_driver_sql(sql, (phrase, threshold)).first() is not None


def _cut(conn: Connection, n: int) -> str | None:
    """The window's lower bound: the newest of the n-th newest period start and
    the n-th newest publication date (None: fewer than n of both)."""
    found = []
    for sql in (
        "SELECT period_start FROM facts WHERE period_start IS NOT NULL "
        "ORDER BY period_start DESC LIMIT 1 OFFSET ?",
        "SELECT published FROM articles WHERE published IS NOT NULL "
        "ORDER BY published DESC LIMIT 1 OFFSET ?",
    ):
        value = conn.exec_driver_sql(sql, (n - 1,)).scalar()
        if value is not None:
            found.append(str(value))
    return max(found) if found else None


def _window(cut: str) -> sa.ColumnElement[bool]:
    """Facts whose sort key is at least `cut`, found through the two date indexes."""
    rows = sa.text(
        "SELECT rowid FROM facts WHERE period_start >= :window_cut UNION ALL "
        "SELECT f.rowid FROM articles a JOIN facts f ON f.article_id = a.id "
        "WHERE a.published >= :window_cut AND f.period_start IS NULL"
    )
    rows = rows.bindparams(window_cut=cut).columns(sa.column("rowid"))
    return sa.literal_column("facts.rowid").in_(rows.scalar_subquery())


def newest(
    conn: Connection, base: Any, conds: list[Any], order: list[Any], limit: int, offset: int
) -> list[FactRef] | None:
    """The page `base.where(*conds).order_by(*order)` gives, read through date
    windows; None when no window held it (the caller runs the full query)."""
    need = limit + offset
    size = need * _FIRST
    while size <= min(_LAST, need * DENSE_SHARE * _SPREAD):
        cut = _cut(conn, size)
        if cut is None:  # fewer facts than the window: the full query is as cheap
            return None
        stmt = base.where(*conds, _window(cut)).order_by(*order).limit(limit).offset(offset)
        refs = [(r.article_id, int(r.seq)) for r in conn.execute(stmt)]
        if len(refs) == limit:
            return refs
        size *= _GROWTH
    return None
