"""The shown and text runs of a new article, computed from memory, and their write.

`shown.index_new` reads a batch's new articles back (text, title, set, entity names)
and hashes them inside the writer's transaction. Everything it reads, the writer
had in memory: `runs_of` computes the same rows from the record, its set and its
entity rows, with no connection, so a `load` worker process computes them beside
the writer (issue 13: hashing was ~0.27 s of a 300-article load's ~3.3 CPU s, all
in the one process that holds the transaction). `index` writes them, and hands any
article without them to `shown.index_new`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Connection

from newsfacts.policy.verbatim import MIN_RUN
from newsfacts.store import runkeys, shown, textruns
from newsfacts.store.runrows import insert_runs


@dataclass
class NewRuns:
    """One new article's `shown_runs` rows and its text runs (`textruns.pack`)."""

    shown: list[tuple[int, str, str]]
    findable: bytes


def runs_of(aid: str, text: str, title: str | None, pieces: str, names: Iterable[str]) -> NewRuns:
    """What `shown.index_new` writes for article `aid` stored with `text`, `title`,
    its set's `pieces` (JSON, as stored) and its entity rows' `names` (each row's
    name and the name part of its key): the same hashes, from the same functions."""
    runs = runkeys.TextRuns(text) if len(text) >= MIN_RUN else None
    table = runs.table if runs is not None else None
    rows = shown.set_rows(aid, text, title, pieces, table) + shown.name_rows(aid, set(names))
    return NewRuns(rows, textruns.pack(runs.findable) if runs is not None else b"")


def entity_names(entity_rows: Iterable[dict[str, str]]) -> set[str]:
    """The names `shown.show` hashes for an article's entity rows."""
    return {n for e in entity_rows for n in (e["name"], e["entity_key"].split(":", 1)[-1])}


def index(conn: Connection, texts: dict[str, str], ready: dict[str, NewRuns]) -> None:
    """`shown.index_new(conn, texts)`, taking the rows of `ready` as computed."""
    rest = {aid: text for aid, text in texts.items() if aid not in ready}
    if rest:
        shown.index_new(conn, rest)
    mine = [aid for aid in texts if aid in ready]
    insert_runs(conn, "shown_runs", [row for aid in mine for row in ready[aid].shown])
    textruns.write_packed(conn, {aid: ready[aid].findable for aid in mine})
