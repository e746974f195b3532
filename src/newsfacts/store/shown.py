"""What the quotable sets show, and where each run of text occurs, as hashed runs.

The cross-article pass (`store.quotable.reconcile`) needs two answers for a changed
article A, at any store size (issue 12):

- which runs of A's text other articles' sets and entity names already show (and
  which articles' sets show them: those pieces may have to go to make room for A);
- which stored texts a piece A may show would reveal (retellings, and a sentence
  shared by otherwise different stories).

Only *shown* text can reveal anything, so the first is a lookup of A's countable
runs (`verbatim.windows`) in `shown_runs`, a 64-bit hash of every run every set and
every long name shows. The second looks up, in `text_runs`, only the runs of A's
candidate pieces that nothing shows yet: a run already shown costs no article
anything more. Both are indexed IN lookups, a few milliseconds per article; the
pass then weighs A exactly against the texts found (`policy.overlap.SharedText`).
Memory and time per changed article grow with its text and its neighbours, not with
the store. A hash collision can only add a neighbour or count a run as shown for
the article's own exposure, never hide one, except in telling a run "already
shown" (1 in 2^64 per run pair).

This module writes both kinds of rows; `store.runkeys` hashes the runs and
`store.runlookup` makes the look-ups.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.policy.verbatim import MIN_RUN, Span
from newsfacts.store import textruns
from newsfacts.store.runkeys import Runs, shown_hashes
from newsfacts.store.runrows import insert_runs as _insert
from newsfacts.store.schema import articles, entities, quotable, shown_runs, text_run_sets
from newsfacts.store.titleruns import TITLE, title_hashes

PIECE, NAME = "p", "n"  # and TITLE ('t', `store.titleruns`): rows as a piece's
# Articles per statement (far below either backend's bind-parameter cap).
_CHUNK = 900


def refresh(
    conn: Connection,
    ids: Sequence[str],
    runs: Runs | None = None,
    indexed: Collection[str] = (),
) -> None:
    """Rewrite the shown runs of `ids` from their stored sets and entity names (sets
    written by any path: `write_set`, the bulk saver, a rebuild), and their text runs;
    except `indexed`: new articles whose text and shown runs the bulk saver wrote
    with them (`index_new`), unchanged since."""
    skip = set(indexed)
    ids = [aid for aid in dict.fromkeys(ids) if aid not in skip]
    show(conn, ids)
    _index_texts(conn, ids, runs)


def show(conn: Connection, ids: Sequence[str], runs: Runs | None = None) -> None:
    """Rewrite the shown runs of `ids`: their stored sets' pieces and their names
    (`runs`: texts hashed already, reused where the stored text is the same)."""
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        conn.execute(shown_runs.delete().where(shown_runs.c.article_id.in_(chunk)))
        rows: list[tuple[Any, ...]] = []
        query = (
            sa.select(articles.c.id, articles.c.text, articles.c.title, quotable.c.pieces)
            .select_from(articles.outerjoin(quotable, quotable.c.article_id == articles.c.id))
            .where(articles.c.id.in_(chunk))
        )
        for r in conn.execute(query):
            table = runs.table(r.id, r.text) if runs is not None else None
            rows += set_rows(r.id, r.text, r.title, r.pieces, table)
        names: dict[str, set[str]] = {}
        query = sa.select(entities.c.article_id, entities.c.name, entities.c.entity_key)
        for r in conn.execute(query.where(entities.c.article_id.in_(chunk))):
            names.setdefault(r.article_id, set()).update({r.name, r.entity_key.split(":", 1)[-1]})
        hashed: dict[str, set[int]] = {}  # a name recurs across articles: hashed once
        for aid, found in names.items():
            rows += name_rows(aid, found, hashed)
        _insert(conn, "shown_runs", rows)


def set_rows(
    aid: str, text: str, title: str | None, pieces: str | None, table: Any = None
) -> list[tuple[Any, ...]]:
    """The `shown_runs` rows of what article `aid`'s set shows: its pieces' runs of
    `text` and its title's (`pieces`: the set as stored, JSON; `table`: `text`'s
    runs hashed already, if any)."""
    spans = [(int(p[1]), int(p[2])) for p in json.loads(pieces or "[]")]
    rows = _rows(aid, PIECE, shown_hashes(text, [s for s in spans if s[1] > s[0]], table))
    return rows + _rows(aid, TITLE, title_hashes(title, pieces))


def name_rows(
    aid: str, names: set[str], hashed: dict[str, set[int]] | None = None
) -> list[tuple[Any, ...]]:
    """The `shown_runs` rows of the entity names article `aid` shows (`hashed`: names
    hashed already, filled in as it goes; a name recurs across articles)."""
    if not names:
        return []
    hashed = {} if hashed is None else hashed
    for n in names - hashed.keys():
        hashed[n] = shown_hashes(n, [(0, len(n))])
    return _rows(aid, NAME, set().union(*(hashed[n] for n in names)))


def index_new(conn: Connection, texts: dict[str, str]) -> None:
    """Write the text and shown runs of articles just inserted with their sets
    (none stored yet): the bulk saver does it in the articles' own transaction,
    outside the cross-article pass and its lock, so parallel loaders hash and write
    their own articles' runs at the same time."""
    runs = Runs()  # each text hashed once, for its shown runs and its text runs
    found = {
        aid: runs.of(aid, text).findable for aid, text in texts.items() if len(text) >= MIN_RUN
    }
    show(conn, list(texts), runs)
    textruns.write(conn, found)


def _index_texts(conn: Connection, ids: list[str], runs: Runs | None) -> None:
    """Rewrite the text runs of `ids`, and add those of any article without them (a
    process stopped between saving and this pass)."""
    given = runs is not None
    query = sa.select(articles.c.id).where(
        ~sa.exists().where(text_run_sets.c.article_id == articles.c.id),
        sa.func.length(articles.c.text) >= MIN_RUN,
    )
    todo = list(dict.fromkeys([*ids, *conn.execute(query).scalars()]))
    for i in range(0, len(todo), _CHUNK):
        chunk = todo[i : i + _CHUNK]
        runs = runs or Runs()  # a pass's own cache, else one per chunk (memory)
        textruns.remove(conn, chunk)
        found = {
            aid: runs.of(aid, text).findable
            for aid, text in conn.execute(
                sa.select(articles.c.id, articles.c.text).where(articles.c.id.in_(chunk))
            )
        }
        textruns.write(conn, found)
        if not given:
            runs = None


def store_pieces(conn: Connection, aid: str, text: str, spans: Iterable[Span]) -> None:
    """Replace what `aid`'s set shows (its names stay)."""
    conn.execute(
        shown_runs.delete().where(shown_runs.c.article_id == aid, shown_runs.c.kind == PIECE)
    )
    _insert(conn, "shown_runs", _rows(aid, PIECE, shown_hashes(text, spans)))


def store_many(conn: Connection, pieces: dict[str, tuple[str, list[Span]]]) -> None:
    """`store_pieces` for many articles: {id: (text, spans)}."""
    if not pieces:
        return
    ids = list(pieces)
    conn.execute(
        shown_runs.delete().where(shown_runs.c.article_id.in_(ids), shown_runs.c.kind == PIECE)
    )
    rows: list[tuple[Any, ...]] = []
    for aid, (text, spans) in pieces.items():
        rows += _rows(aid, PIECE, shown_hashes(text, spans))
    _insert(conn, "shown_runs", rows)


def _rows(aid: str, kind: str, hashes: set[int]) -> list[tuple[int, str, str]]:
    return [(h, aid, kind) for h in hashes]
