"""Reading and writing in bulk for the cross-article pass (`store.quotable.reconcile`).

The pass re-chooses many sets at once (a bulk load: every new article). Reading each
article's record, and writing each set and what it shows, one statement at a time
were most of its queries on PostgreSQL (issue 13); here they go a chunk at a time.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Policy, Record
from newsfacts.policy.quotable import QuotableSet
from newsfacts.store import shown
from newsfacts.store.schema import articles, quotable

ReadRecords = Callable[[Connection, list[str]], dict[str, Record]]
# Records read, and sets written, per statement in the pass.
READ_AHEAD = 100


def set_spans(qs: QuotableSet) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in qs.pieces if p.end > p.start]


# The most records the bulk saver keeps for the pass that follows (memory: a load of
# many thousand articles reads the rest back as before).
MAX_SAVED = 5_000


def with_saved(read: ReadRecords, saved: dict[str, tuple[Record, str | None]]) -> ReadRecords:
    """`read`, answering from `saved` ({id: (record, duplicate_of)}: what the bulk
    saver just wrote, in the form it was stored) where the stored article still is
    that one: same text, title, URL, policy, extractor version and duplicate link
    (anything that rewrote it since, in this process or another, shows there). Reading
    back the records the saver had in memory was a quarter of the pass (issue 13)."""

    def reader(conn: Connection, ids: list[str]) -> dict[str, Record]:
        out: dict[str, Record] = {}
        mine = [aid for aid in ids if aid in saved]
        if mine:
            query = sa.select(
                articles.c.id,
                articles.c.text,
                articles.c.title,
                articles.c.url,
                articles.c.policy,
                articles.c.extractor_version,
                articles.c.duplicate_of,
            ).where(articles.c.id.in_(mine))
            for r in conn.execute(query):
                record, duplicate_of = saved[r.id]
                art = record.article
                same = (r.text, r.title, r.url, r.extractor_version, r.duplicate_of) == (
                    art.text,
                    art.title,
                    art.url,
                    record.extractor_version or "",
                    duplicate_of,
                )
                if same and Policy.from_dict(json.loads(r.policy)) == art.policy:
                    out[r.id] = record
        rest = [aid for aid in ids if aid not in out]
        if rest:
            out.update(read(conn, rest))
        return out

    return reader


class PassRecords:
    """The records the pass re-chooses, read `READ_AHEAD` at a time in the order it
    takes them (one read per article was most of the pass's queries on PostgreSQL).
    The pass writes sets only at its end, so a record read ahead is as it would be
    read at its turn."""

    def __init__(self, conn: Connection, read: ReadRecords) -> None:
        self._conn, self._read = conn, read
        self._have: dict[str, Record | None] = {}
        self._order: list[str] = []

    def get(self, ids: list[str]) -> dict[str, Record]:
        found = self._read(self._conn, ids)
        self._have.update(found)
        return found

    def ahead(self, order: list[str]) -> None:
        self._order = list(order)

    def pop(self, aid: str) -> Record | None:
        if aid not in self._have:
            at = self._order.index(aid) if aid in self._order else -1
            want = self._order[at : at + READ_AHEAD] if at >= 0 else [aid]
            want = [a for a in want if a not in self._have]
            self._have.update(dict.fromkeys(want))
            self._have.update(self._read(self._conn, want))
        return self._have.pop(aid)


def store_sets(
    conn: Connection,
    chosen: dict[str, QuotableSet],
    texts: dict[str, str],
    was: dict[str, QuotableSet],
) -> None:
    """The pass's new sets, `READ_AHEAD` articles per statement; what a set shows
    (`shown_runs`) is rewritten only where its spans moved from `was`."""
    ids = sorted(chosen)
    for i in range(0, len(ids), READ_AHEAD):
        chunk = ids[i : i + READ_AHEAD]
        conn.execute(quotable.delete().where(quotable.c.article_id.in_(chunk)))
        conn.execute(
            quotable.insert(),
            [
                {
                    "article_id": aid,
                    "version": chosen[aid].version,
                    "allowance": chosen[aid].allowance,
                    "pieces": chosen[aid].to_json(),
                }
                for aid in chunk
            ],
        )
        moved = {
            aid: set_spans(chosen[aid])
            for aid in chunk
            if aid not in was or set_spans(was[aid]) != set_spans(chosen[aid])
        }
        shown.store_many(conn, {aid: (texts[aid], spans) for aid, spans in moved.items()})
