"""Articles whose quotable set was chosen alone and waits for the cross-article pass.

A set is first chosen against its own article alone (`store.quotable.write_set`, the
bulk saver), then weighed against every other stored article's by the pass
(`store.quotable.reconcile`); bulk `load` and `ingest` run that pass once, at the
end (`Store.deferred_sets`). The note is written in the transaction that writes the
set and deleted in the pass's, so a process killed in between leaves it in the store
and the next deferred pass, reading `quotable_pending`, weighs the article.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

from newsfacts.store.schema import quotable_pending

_CHUNK = 500  # ids per statement, far below any bind-parameter cap


def mark(conn: Connection, article_ids: Sequence[str]) -> None:
    """Note that these articles' sets, written in this transaction, wait for the pass."""
    ids = sorted(set(article_ids))
    if not ids:
        return
    clear(conn, ids)
    conn.execute(quotable_pending.insert(), [{"article_id": aid} for aid in ids])


def clear(conn: Connection, article_ids: Sequence[str]) -> None:
    """The pass weighs these articles in this transaction: they no longer wait."""
    col = quotable_pending.c.article_id
    ids = list(article_ids)
    for i in range(0, len(ids), _CHUNK):
        conn.execute(quotable_pending.delete().where(col.in_(ids[i : i + _CHUNK])))
