"""The newest facts holding a text, read newest day first from the trigram index.

The search page lists the 30 newest facts (`coalesce(period_start, published)`
descending, then article id and seq) whose arguments hold the query. Reading every
match and sorting them grew with the store: 15,200 facts for «владимир путин» at
200,000 articles, 57 ms of the query's 89 (issue 13). The trigram index's rowid
carries each fact's day bucket (`store.trigram`: `bucket << 32 | facts.rowid`),
so its matches come newest bucket first with `ORDER BY rowid DESC`, and FTS5 stops
at a LIMIT. Matches are read a batch at a time, each batch completed to the end
of its last bucket; the filters (the LIKE, verdicts) keep the hits. Once the hits
in dated buckets number `offset + limit`, every match not read yet lies in an
older bucket, so it sorts after each of them: the page is among the hits read,
and the usual query ordered over just those gives it, ties included. A key that
is no date (bucket `TOP`, read first) or none (bucket 0, last) is sorted there
like any other. (Until the seventh session of 2026-12-07 the page tried windows
of publication dates, which failed where the newest facts hold other words, and
then read every match.)
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import trigram

FactRef = tuple[str, int]
# Matches read in the first batch, per fact asked for (later batches double).
FIRST = 4
_MIN_BATCH = 64
_SHIFT = trigram.ROWID_BITS
_MASK = trigram.FACT_ROWID_MASK
_T = trigram.TABLE
_NEWEST = f"SELECT rowid FROM {_T} WHERE {_T} MATCH :p AND rowid < :hi ORDER BY rowid DESC LIMIT :n"
_BUCKET_REST = (
    f"SELECT rowid FROM {_T} WHERE {_T} MATCH :p AND rowid >= :lo AND rowid < :hi "
    "ORDER BY rowid DESC"
)
_FACT_ROWID = sa.literal_column("facts.rowid")
_TOP_ROWID = (trigram.TOP + 1) << _SHIFT  # above every rowid of the index


def _listed(rowids: list[int]) -> sa.ColumnElement[bool]:
    """facts.rowid among `rowids`, bound as one JSON array (any number of them)."""
    values = sa.text("SELECT value FROM json_each(:fact_rowids)").bindparams(
        fact_rowids=json.dumps(rowids)
    )
    return _FACT_ROWID.in_(values.columns(sa.column("value")).scalar_subquery())


def _dated(rowid: int) -> bool:
    return 0 < rowid >> _SHIFT < trigram.TOP


def newest(
    conn: Connection,
    base: Any,
    conds: list[Any],
    order: list[Any],
    limit: int,
    offset: int,
    folded: str,
) -> list[FactRef] | None:
    """The page `base.where(*conds).order_by(*order)` gives for facts holding
    `folded`; None when the trigram index cannot answer it (too short a text)."""
    quoted = trigram.phrase(folded)
    if quoted is None:
        return None
    need = limit + offset
    step = max(need * FIRST, _MIN_BATCH)
    hits: list[int] = []
    dated = 0
    hi = _TOP_ROWID
    passing = base.with_only_columns(_FACT_ROWID)
    while True:
        params = {"p": quoted, "hi": hi, "n": step}
        matches = list(conn.execute(sa.text(_NEWEST), params).scalars())
        exhausted = len(matches) < step
        if matches and not exhausted:  # complete the last bucket
            lo = (matches[-1] >> _SHIFT) << _SHIFT
            rest = {"p": quoted, "lo": lo, "hi": matches[-1]}
            matches += conn.execute(sa.text(_BUCKET_REST), rest).scalars()
        if matches:
            hi = matches[-1]
            kept = set(
                conn.execute(passing.where(*conds, _listed([m & _MASK for m in matches]))).scalars()
            )
            for m in matches:
                if m & _MASK in kept:
                    hits.append(m & _MASK)
                    dated += _dated(m)
        if exhausted or dated >= need:
            break
        step *= 2
    if not hits:
        return []
    stmt = base.where(*conds, _listed(hits)).order_by(*order).limit(limit).offset(offset)
    return [(r.article_id, int(r.seq)) for r in conn.execute(stmt)]
