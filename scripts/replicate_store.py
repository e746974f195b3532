"""Grow a stored, KB-linked set of articles into a big store by copying rows in SQL.

Used by `make_big_store.py` (issue 13 item 6). Saving and linking 200,000 articles
through `Store.save` and `kb.sync` runs at 4–16 articles/s on the shared 2-core
machine; copying the rows of a few hundred saved and linked articles with
`INSERT … SELECT` runs at thousands per second. Each copy gets a fresh id (sha256
of its text, which gains a closing "Материал №N." line so every stored offset stays
valid), its own date, URL and origin, and every row that hangs off the article:
entities, mentions, facts, evidence, quotable set, fingerprints, FTS row, KB links
and the rest. The copies link to the same knowledge-base entities, events and
stories as their originals: that is what a linked store of repeated stories holds.

The tables are not listed here: `replicate_plan.py` sorts every table of the store
into copied per article, shared, scaled or rebuilt, and stops the copy at any table
it cannot place, so a new table is never silently left out of a benchmark store.

Copies keep their original's outlet: the stored policy and quotable set are a
function of the outlet (`policy.effective_policy`), so a copy under another outlet
would carry a set the registry would not have chosen. The base store spreads its
articles over the outlets instead.
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb import event_stats
from newsfacts.model import article_id
from newsfacts.store import Store, fts_order, keysummary
from newsfacts.store import version as store_version
from newsfacts.store.schema import FTS_TABLE, metadata

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replicate_plan import (  # noqa: E402  (a sibling script)
    ARTICLE_ID,
    DATE_COLUMN,
    SCALED,
    TRIGGER_KEPT,
    CopyError,
    counters,
    plan,
)

FIRST_DAY = date(2019, 1, 1)
DAYS = (date(2024, 12, 31) - FIRST_DAY).days


@dataclass
class Copy:
    """One new article: which original, its number, id and the values that vary."""

    n: int
    old_id: str
    new_id: str
    published: str
    url: str
    origin: str
    suffix: str


def copies(
    originals: dict[str, tuple[str, str | None, str | None]], start: int, count: int, seed: int
) -> list[Copy]:
    """`count` copies cycling over `originals` (id -> text, source, origin), numbered
    from `start`; dates spread over 2019–2024 from `seed`, URLs on the original's outlet."""
    rng = random.Random(seed * 1_000_003 + start)
    ids = sorted(originals)
    out = []
    for n in range(start, start + count):
        old = ids[n % len(ids)]
        text, source, origin = originals[old]
        suffix = f"\n\nМатериал №{n}."
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS + 1))
        outlet = source or "copies.example"
        new_id = article_id(text + suffix)
        url = f"https://{outlet}/news/{day:%Y/%m/%d}/{n}"
        out.append(Copy(n, old, new_id, day.isoformat(), url, f"{origin or old}#copy{n}", suffix))
    return out


_MAP = "copy_map"
_MAP_COLUMNS = ("n", "old_id", "new_id", "published", "url", "origin", "suffix")
_FTS_ROWID = "fts_rowid"


def _create_map(conn: Connection) -> None:
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {_MAP} (n INTEGER NOT NULL, old_id VARCHAR(64) NOT NULL, "
        "new_id VARCHAR(64) PRIMARY KEY, published VARCHAR(32), url TEXT, origin TEXT, "
        f"suffix TEXT NOT NULL, {_FTS_ROWID} BIGINT)"
    )


def _fill_map(conn: Connection, batch: list[Copy], fts: bool) -> None:
    """The batch's copies; with SQLite's FTS table, each copy's FTS rowid too (in
    publication order, `store.fts_order`), taken inside the batch's transaction."""
    conn.exec_driver_sql(f"DELETE FROM {_MAP}")
    names = (*_MAP_COLUMNS, _FTS_ROWID)
    cols = ", ".join(names)
    marks = ", ".join(f":{c}" for c in names)
    rowids = fts_order.next_rowids(conn, [cp.published for cp in batch]) if fts else None
    rows = [{c: getattr(cp, c) for c in _MAP_COLUMNS} for cp in batch]
    for i, row in enumerate(rows):
        row[_FTS_ROWID] = rowids[i] if rowids is not None else None
    conn.execute(sa.text(f"INSERT INTO {_MAP} ({cols}) VALUES ({marks})"), rows)


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote(name)


def _article_sql(conn: Connection) -> str:
    """INSERT … SELECT for the articles: new id, text, date, URL and origin."""
    table = metadata.tables["articles"]
    # duplicate_of stays: a copy of a near-duplicate points at the same canonical article
    special = {
        "id": "m.new_id",
        "text": "t.text || m.suffix",
        "published": "m.published",
        "url": "m.url",
        "origin": "m.origin",
    }
    names = list(table.c.keys())
    select = ", ".join(special.get(c, f"t.{_q(conn, c)}") for c in names)
    cols = ", ".join(_q(conn, c) for c in names)
    return f"INSERT INTO articles ({cols}) SELECT {select} FROM {_MAP} m JOIN articles t ON t.id = m.old_id"


def _table_sql(conn: Connection, table: sa.Table) -> str:
    skip = {c.name for c in counters(table)}
    names = [c.name for c in table.c if c.name not in skip]
    special = {ARTICLE_ID: "m.new_id", DATE_COLUMN: "m.published"}
    select = ", ".join(special.get(c, f"t.{_q(conn, c)}") for c in names)
    cols = ", ".join(_q(conn, c) for c in names)
    return (
        f"INSERT INTO {_q(conn, table.name)} ({cols}) SELECT {select} FROM {_MAP} m "
        f"JOIN {_q(conn, table.name)} t ON t.{ARTICLE_ID} = m.old_id"
    )


def _fts_sql() -> str:
    """The FTS5 row as `Store._write_fts` writes it, from the copied article."""
    return (
        f"INSERT INTO {FTS_TABLE} (rowid, article_id, title, body) SELECT m.{_FTS_ROWID}, a.id, "
        f"coalesce(a.title, ''), a.text FROM {_MAP} m JOIN articles a ON a.id = m.new_id "
        f"ORDER BY m.{_FTS_ROWID}"
    )


@contextmanager
def _indexes_deferred(
    conn: Connection, tables: list[sa.Table], defer: bool, progress: Callable[[str], None]
) -> Iterator[None]:
    """Drop the metadata's secondary indexes of the copied tables and build them again
    at the end: sorting once beats inserting millions of keys at random places. Those
    led by `article_id` stay, since the copy's joins read through them; so do the
    indexes the metadata does not name (PostgreSQL's tsvector GIN index)."""
    dropped = [
        ix
        for t in (tables if defer else [])
        for ix in sorted(t.indexes, key=lambda i: str(i.name))
        if [c.name for c in ix.columns][:1] != [ARTICLE_ID]
    ]
    with conn.begin():
        for ix in dropped:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {_q(conn, str(ix.name))}")
    try:
        yield
    finally:
        with conn.begin():
            for ix in dropped:
                ix.create(conn, checkfirst=True)
        if dropped:
            progress(f"rebuilt {len(dropped)} indexes")


def per_article_counts(conn: Connection, tables: Iterable[sa.Table]) -> dict[str, Counter[str]]:
    """Rows per article id in each per-article table."""
    out: dict[str, Counter[str]] = {}
    for table in tables:
        rows = conn.execute(
            sa.select(table.c[ARTICLE_ID], sa.func.count()).group_by(table.c[ARTICLE_ID])
        ).all()
        out[table.name] = Counter({aid: int(n) for aid, n in rows})
    return out


def table_counts(conn: Connection, names: Iterable[str]) -> dict[str, int]:
    return {
        name: int(conn.exec_driver_sql(f"SELECT count(*) FROM {_q(conn, name)}").scalar_one())
        for name in names
    }


@dataclass
class Report:
    base: int
    articles: int
    expected: dict[str, int]
    counts: dict[str, int]
    seconds: float = 0.0

    def mismatches(self) -> dict[str, tuple[int, int]]:
        return {
            t: (self.expected[t], self.counts.get(t, -1))
            for t in self.expected
            if self.expected[t] != self.counts.get(t, -1)
        }


def replicate(
    store: Store,
    articles: int,
    *,
    seed: int = 2024,
    chunk: int = 10000,
    skip: Iterable[str] = (),
    progress: Callable[[str], None] = lambda _msg: None,
) -> Report:
    """Copy the stored articles until the store holds `articles`; one transaction
    (and one store-version bump) per `chunk` copies. Returns expected and actual
    row counts per table, which must agree.

    `skip` names per-article tables left with the base's rows only: the quotable
    pass's `text_runs` (~800 rows an article, 160M at 200k) halves the copy rate and
    no page reads it; a later save's cross-article pass then does not see the copies."""
    import time

    started = time.perf_counter()
    with store.engine.connect() as conn:
        layout = plan(conn)
        skipped = set(skip)
        if "text_runs" in skipped:  # copies without runs must not be listed as having them
            skipped.add("text_run_sets")  # (`store.unseen` then checks their texts)
        unknown_skip = skipped - {t.name for t in layout.per_article}
        if unknown_skip:
            raise CopyError(f"--skip names no per-article table: {sorted(unknown_skip)}")
        layout.per_article = [t for t in layout.per_article if t.name not in skipped]
        names_skipped = sorted(skipped)
        base_rows = conn.execute(sa.text("SELECT id, text, source, origin FROM articles")).all()
        originals = {r[0]: (r[1], r[2], r[3]) for r in base_rows}
        per_original = per_article_counts(conn, layout.per_article)
        names = ["articles", *(t.name for t in layout.per_article)]
        names += [t.name for t in layout.shared + layout.scaled + layout.rebuilt]
        names += names_skipped
        before = table_counts(conn, names + layout.kept + ([FTS_TABLE] if layout.fts else []))
        scaled_before = {
            t.name: conn.execute(sa.select(sa.func.sum(t.c[SCALED[t.name]]))).scalar() or 0
            for t in layout.scaled
        }
    base = len(originals)
    if not base:
        raise CopyError("the store holds no articles to copy")
    todo = max(0, articles - base)
    copies_of: Counter[str] = Counter()
    with store.engine.connect() as conn:
        conn.execution_options(sqlite_begin="IMMEDIATE")
        if conn.dialect.name == "sqlite":  # the index pages of the big tables stay in memory
            conn.exec_driver_sql("PRAGMA cache_size = -1000000")
            conn.commit()
        with conn.begin():
            _create_map(conn)
        statements = [_article_sql(conn), *(_table_sql(conn, t) for t in layout.per_article)]
        if layout.fts:
            statements.append(_fts_sql())
        tables = [metadata.tables["articles"], *layout.per_article]
        with _indexes_deferred(conn, tables, todo >= base, progress):
            for start in range(base, base + todo, chunk):
                batch = copies(originals, start, min(chunk, base + todo - start), seed)
                copies_of.update(cp.old_id for cp in batch)
                with conn.begin():
                    _fill_map(conn, batch, layout.fts)
                    for sql in statements:
                        conn.exec_driver_sql(sql)
                    store_version.bump(conn)
                done = start + len(batch)
                rate = (done - base) / max(time.perf_counter() - started, 1e-9)
                progress(f"copied {done}/{articles} articles, {rate:.0f}/s")
        factor = (base + todo) / base
        with conn.begin():
            for table in layout.scaled:
                col = _q(conn, SCALED[table.name])
                conn.exec_driver_sql(
                    f"UPDATE {_q(conn, table.name)} SET {col} = "
                    f"CAST(ROUND({col} * {factor:.6f}) AS INTEGER)"
                )
            if layout.rebuilt:
                keysummary.rebuild(conn, pairs=False)  # entity_articles was copied
                event_stats.rebuild(conn)
            conn.exec_driver_sql(f"DROP TABLE {_MAP}")
            store_version.bump(conn)
        expected = dict(before)
        expected["articles"] = before["articles"] + todo
        if "kb_event_stale" in expected:  # the rebuild recounted every event
            expected["kb_event_stale"] = 0
        if layout.fts:
            expected[FTS_TABLE] = before[FTS_TABLE] + todo
        for name, rows in per_original.items():
            expected[name] = before[name] + sum(rows[aid] * k for aid, k in copies_of.items())
        for name in layout.kept:
            expected[name] = (
                before[name] + expected[TRIGGER_KEPT[name]] - before[TRIGGER_KEPT[name]]
            )
        counts = table_counts(conn, expected)
        for table in layout.scaled:  # checked by its sum, not its row count
            total = conn.execute(sa.select(sa.func.sum(table.c[SCALED[table.name]]))).scalar()
            progress(f"{table.name}.{SCALED[table.name]}: {scaled_before[table.name]} -> {total}")
    return Report(base, base + todo, expected, counts, time.perf_counter() - started)
