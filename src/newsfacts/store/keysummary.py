"""Per-entity-key counts kept at write time (`entity_keys`, `entity_key_names`,
`entity_articles`, and the KB links per key, `entity_key_links`).

An entity page needs, for one key, its article count, its most frequent name and
whether any row carries a subtype, code or country. Computed from the rows, that
read every row of the key on each request: 80,000 for «Россия» at 200,000
articles, 1.0–1.5 s (issue 13). These tables hold the counts instead.

Exactness: an article's entity rows are only ever written together (`save`,
`save_many`, re-extraction, name shortening) and deleted together
(`WriteMixin._delete_extraction`: delete, demote to a duplicate, replacement). So
the counts of a batch of articles, read from their rows, are added right after
their rows are inserted and subtracted right before they are deleted, in the same
transaction; a key's distinct-article count is additive over disjoint sets of
articles. The link counts join an article's entity rows to its KB links: they
change with the rows (the same calls) and with the links (`relinking`, around
every `kb_links` write in kb/). `rebuild` recomputes everything (migration 0013, big-store copies);
tests/store/test_store_keysummary.py checks the two agree after random writes.

Rows are upserted in key order, so two loaders touching the same keys wait for
each other's row locks in one order and never deadlock; the writers call
`add_articles` last in their transaction, so those locks are held only until the
commit.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.base import dialect_insert
from newsfacts.store.schema import (
    articles,
    entities,
    entity_articles,
    entity_key_links,
    entity_key_names,
    entity_keys,
)

_CHUNK = 500  # article ids per IN (...)
# The KB's links (created by migration 0002, defined in `kb.tables`; the store
# layer names only the columns it joins on).
_kb_links = sa.table("kb_links", sa.column("article_id"), sa.column("local_id"), sa.column("kb_id"))
_COUNTS = ("n_rows", "n_articles", "n_subtype", "n_code", "n_country")


def _key_select(ids: Sequence[str] | None) -> sa.Select[Any]:
    e = entities
    stmt = sa.select(
        e.c.entity_key,
        sa.func.count().label("n_rows"),
        sa.func.count(sa.distinct(e.c.article_id)).label("n_articles"),
        # truthy values only: a page shows the first row's non-empty one
        sa.func.count(sa.func.nullif(e.c.subtype, "")).label("n_subtype"),
        sa.func.count(sa.func.nullif(e.c.code, "")).label("n_code"),
        sa.func.count(sa.func.nullif(e.c.country, "")).label("n_country"),
    ).group_by(e.c.entity_key)
    return stmt if ids is None else stmt.where(e.c.article_id.in_(list(ids)))


def _pair_select(ids: Sequence[str] | None, dated: bool = True) -> sa.Select[Any]:
    """(key, article, the article's date): the date orders a page's newest articles.
    An article's rows are written only right after its row (insert or update), so
    the copy is its date until the article is written again, which rewrites them.
    `dated=False`: (key, article), for migration 0013, before 0020 added the date,
    and to name the rows `pairs_delete` removes."""
    e, a = entities, articles
    if not dated:
        stmt = sa.select(e.c.entity_key, e.c.article_id).distinct()
    else:
        stmt = (
            sa.select(e.c.entity_key, e.c.article_id, a.c.published)
            .select_from(e.join(a, a.c.id == e.c.article_id))
            .distinct()
        )
    return stmt if ids is None else stmt.where(e.c.article_id.in_(list(ids)))


def _link_select(ids: Sequence[str] | None) -> sa.Select[Any]:
    e, lk = entities, _kb_links
    on = sa.and_(lk.c.article_id == e.c.article_id, lk.c.local_id == e.c.local_id)
    stmt = (
        sa.select(e.c.entity_key, lk.c.kb_id, sa.func.count().label("n"))
        .select_from(e.join(lk, on))
        .group_by(e.c.entity_key, lk.c.kb_id)
    )
    return stmt if ids is None else stmt.where(e.c.article_id.in_(list(ids)))


def _name_select(ids: Sequence[str] | None) -> sa.Select[Any]:
    e = entities
    stmt = sa.select(e.c.entity_key, e.c.name, sa.func.count().label("n")).group_by(
        e.c.entity_key, e.c.name
    )
    return stmt if ids is None else stmt.where(e.c.article_id.in_(list(ids)))


def add_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    """Count the entity rows of `article_ids` in; call after inserting them."""
    _apply(conn, article_ids, 1)


def remove_articles(conn: Connection, article_ids: Sequence[str]) -> None:
    """Count the entity rows of `article_ids` out; call before deleting them."""
    _apply(conn, article_ids, -1)


def _apply(conn: Connection, article_ids: Sequence[str], sign: int) -> None:
    wanted = list(dict.fromkeys(article_ids))
    _apply_pairs(conn, wanted, sign)
    keys: dict[str, list[int]] = {}
    names: dict[tuple[str, str], int] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        for r in conn.execute(_key_select(chunk)):
            counts = keys.setdefault(r.entity_key, [0] * len(_COUNTS))
            for j, name in enumerate(_COUNTS):
                counts[j] += sign * int(getattr(r, name))
        for r in conn.execute(_name_select(chunk)):
            pair = (r.entity_key, r.name)
            names[pair] = names.get(pair, 0) + sign * int(r.n)
    _apply_links(conn, wanted, sign)
    if not keys:
        return
    insert = dialect_insert(conn.dialect.name)
    rows = [{"entity_key": k, **dict(zip(_COUNTS, keys[k], strict=True))} for k in sorted(keys)]
    stmt = insert(entity_keys)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["entity_key"],
            set_={c: entity_keys.c[c] + stmt.excluded[c] for c in _COUNTS},
        ),
        rows,
    )
    pairs = [{"entity_key": k, "name": n, "n": names[(k, n)]} for k, n in sorted(names)]
    stmt = insert(entity_key_names)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["entity_key", "name"],
            set_={"n": entity_key_names.c.n + stmt.excluded.n},
        ),
        pairs,
    )
    if sign < 0:
        gone = sorted(keys)
        for i in range(0, len(gone), _CHUNK):
            chunk = gone[i : i + _CHUNK]
            conn.execute(
                entity_keys.delete().where(
                    entity_keys.c.entity_key.in_(chunk), entity_keys.c.n_rows <= 0
                )
            )
            conn.execute(
                entity_key_names.delete().where(
                    entity_key_names.c.entity_key.in_(chunk), entity_key_names.c.n <= 0
                )
            )


@contextmanager
def relinking(conn: Connection, article_ids: Sequence[str]) -> Iterator[None]:
    """Around a write of `kb_links` rows of `article_ids` (linking, unlinking,
    curation): their links are counted out before and back in after, so
    `entity_key_links` follows whatever the write did to them."""
    wanted = sorted(set(article_ids))
    _apply_links(conn, wanted, -1)
    yield
    _apply_links(conn, wanted, 1)


_LINK_COUNTS = (
    "SELECT e.entity_key, l.kb_id, count(*) FROM entities e JOIN kb_links l "
    "ON l.article_id = e.article_id AND l.local_id = e.local_id "
    "WHERE e.article_id IN ({marks}) GROUP BY e.entity_key, l.kb_id"
)
_LINK_UPSERT = (
    "INSERT INTO entity_key_links (entity_key, kb_id, n) VALUES (?, ?, ?) "
    "ON CONFLICT (entity_key, kb_id) DO UPDATE SET n = entity_key_links.n + excluded.n"
)
_LINK_PRUNE = "DELETE FROM entity_key_links WHERE n <= 0 AND entity_key IN ({marks})"


def _apply_links(conn: Connection, wanted: list[str], sign: int) -> None:
    """Add (sign 1) or take out (-1) the link counts of `wanted`'s rows and links.

    Plain SQL on the DBAPI cursor: the linker calls this inside psycopg's pipeline
    mode (`kb.raw.pipelined`), where a SQLAlchemy result cannot be read."""
    pg = conn.dialect.name == "postgresql"

    def sql(text: str) -> str:
        return text.replace("?", "%s") if pg else text

    cur = conn.connection.cursor()
    counts: dict[tuple[str, str], int] = {}
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        cur.execute(sql(_LINK_COUNTS.format(marks=", ".join("?" * len(chunk)))), tuple(chunk))
        for key, kb_id, n in cur.fetchall():
            counts[(key, kb_id)] = counts.get((key, kb_id), 0) + sign * int(n)
    rows = [(k, i, n) for (k, i), n in sorted(counts.items()) if n]
    if not rows:
        return
    cur.executemany(sql(_LINK_UPSERT), rows)
    if sign < 0:
        gone = sorted({k for k, _, _ in rows})
        for i in range(0, len(gone), _CHUNK):
            chunk = gone[i : i + _CHUNK]
            cur.execute(sql(_LINK_PRUNE.format(marks=", ".join("?" * len(chunk)))), tuple(chunk))


def _apply_pairs(conn: Connection, wanted: list[str], sign: int) -> None:
    """(key, article) rows: inserted from the new rows, deleted by primary key.

    The deleted pairs are named from the article's entity rows, still there (see
    `remove_articles`): the table has no index by article, and a delete by article
    id alone walked the whole primary key, 20-80 ms an article at 200k articles on
    SQLite (a skip-scan over every key; no index leads with the article on
    PostgreSQL either) (issue 13). A pair left behind because its entity rows were
    rewritten without counting out (only a hand-altered store) is dated anew, not
    refused, when its key comes back."""
    insert = dialect_insert(conn.dialect.name)
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        if sign > 0:
            cols = ["entity_key", "article_id", "published"]
            stmt = insert(entity_articles).from_select(cols, _pair_select(chunk))
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["entity_key", "article_id"],
                    set_={"published": stmt.excluded.published},
                )
            )
        else:
            conn.execute(pairs_delete(chunk))


def pairs_delete(article_ids: Sequence[str]) -> sa.Delete:
    """Delete the (key, article) rows of `article_ids`, named by their entity rows."""
    pair = sa.tuple_(entity_articles.c.entity_key, entity_articles.c.article_id)
    return entity_articles.delete().where(pair.in_(_pair_select(article_ids, dated=False)))


def rebuild(
    conn: Connection, *, pairs: bool = True, links: bool = True, dated: bool = True
) -> None:
    """Recompute the tables from every entity row (migration 0013, before 0014 made
    the link counts and 0020 the dates: `links=False, dated=False`; copied stores,
    whose `entity_articles` rows were copied with their articles: `pairs=False`)."""
    conn.execute(entity_key_names.delete())
    conn.execute(entity_keys.delete())
    if links:
        rebuild_links(conn)
    if pairs:
        conn.execute(entity_articles.delete())
        cols = ["entity_key", "article_id", "published"][: 3 if dated else 2]
        conn.execute(entity_articles.insert().from_select(cols, _pair_select(None, dated)))
    conn.execute(entity_keys.insert().from_select(["entity_key", *_COUNTS], _key_select(None)))
    conn.execute(
        entity_key_names.insert().from_select(["entity_key", "name", "n"], _name_select(None))
    )


def rebuild_links(conn: Connection) -> None:
    """Recompute `entity_key_links` from every entity row and KB link."""
    conn.execute(entity_key_links.delete())
    cols = ["entity_key", "kb_id", "n"]
    conn.execute(entity_key_links.insert().from_select(cols, _link_select(None)))


Rows = set[tuple[Any, ...]]


def recomputed(conn: Connection) -> tuple[Rows, Rows, Rows, Rows]:
    """The four tables as `rebuild` would write them, as sets of rows (for checks)."""
    keys = {tuple(r) for r in conn.execute(_key_select(None))}
    names = {tuple(r) for r in conn.execute(_name_select(None))}
    pairs = {tuple(r) for r in conn.execute(_pair_select(None))}
    links = {tuple(r) for r in conn.execute(_link_select(None))}
    return keys, names, pairs, links


def stored(conn: Connection) -> tuple[Rows, Rows, Rows, Rows]:
    """The four tables as they are, in `recomputed`'s shape."""
    cols = [entity_keys.c.entity_key, *(entity_keys.c[c] for c in _COUNTS)]
    keys = {tuple(r) for r in conn.execute(sa.select(*cols))}
    names = {tuple(r) for r in conn.execute(sa.select(entity_key_names))}
    pairs = {tuple(r) for r in conn.execute(sa.select(entity_articles))}
    links = {tuple(r) for r in conn.execute(sa.select(entity_key_links))}
    return keys, names, pairs, links
