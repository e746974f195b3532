"""The runs a title its text does not hold shows, in `shown_runs` (kind 't').

Such a title (hand-built records, `policy.title`) is weighed as a text of its own;
what it shows is written with the article's id like its set's pieces, so a text
saved later that holds one of its runs finds the article (`store.runlookup.scope`) and
the cross-article pass can elide the title further, and articles outside a pass's
scope count it (`store.runlookup.external`).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Connection

from newsfacts.policy import title as loose
from newsfacts.policy.runhash import run_hash
from newsfacts.policy.verbatim import windows
from newsfacts.store.runrows import insert_runs
from newsfacts.store.schema import shown_runs

TITLE = "t"


def title_hashes(title: str | None, pieces: str | None) -> set[int]:
    """The runs a set's loose title piece shows, segment by segment (the words
    dropped between them are not shown, so no run crosses them)."""
    if not pieces or ',0,0,"t' not in pieces:  # most sets (ingest: titles in the text)
        return set()
    for kind, _, _, ref in json.loads(pieces):
        spans = loose.decode(ref) if kind == "title" else None
        if spans is not None and title and all(b <= len(title) for _, b in spans):
            return {
                run_hash(title[a + i : a + i + n]) for a, b in spans for i, n in windows(title[a:b])
            }
    return set()


def store_titles(conn: Connection, titles: dict[str, tuple[str | None, str]]) -> None:
    """Replace the title runs of articles: {id: (title, its set's pieces as JSON)}."""
    if not titles:
        return
    ids = list(titles)
    conn.execute(
        shown_runs.delete().where(shown_runs.c.article_id.in_(ids), shown_runs.c.kind == TITLE)
    )
    rows: list[tuple[Any, ...]] = []
    for aid, (title, pieces) in titles.items():
        rows += [(h, aid, TITLE) for h in title_hashes(title, pieces)]
    insert_runs(conn, "shown_runs", rows)
