"""Many new articles in one transaction: the bulk write path of `load` and `ingest`.

`save` writes one article with about a dozen statements in its own transaction; a
bulk load spent most of its time in those round trips and in SQLAlchemy compiling
them (issue 13). `save_many` writes a whole batch with one statement per table:
one multi-row `INSERT ... ON CONFLICT DO NOTHING RETURNING id` for the articles,
then every child table (entities, mentions, facts, evidence, links, LSH keys,
quotable sets, and SQLite's FTS rows) for the articles actually inserted, by
executemany on SQLite and by COPY on PostgreSQL.

What stays the same as `save`, article by article:
- idempotence: an article stored with the same or a newer extractor version is
  left alone (False); one stored by an older version goes through `save`, which
  replaces its extraction;
- concurrency: an article another process inserted meanwhile is skipped by the
  ON CONFLICT clause (False), never an error that would fail the batch;
- crash safety: the batch is one transaction, so a kill leaves whole articles only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Policy, Record
from newsfacts.policy.choose import choose
from newsfacts.policy.names import shown_record
from newsfacts.policy.registry import source_key
from newsfacts.store import eventmarks, fts_order, keysummary, linkdates, newruns
from newsfacts.store import quotable as qset
from newsfacts.store.base import StoreError, _now, dialect_insert
from newsfacts.store.factindex import index_articles
from newsfacts.store.keys import is_newer
from newsfacts.store.passio import MAX_SAVED
from newsfacts.store.rows import _article_values, _check_fit, _Rows, _validate
from newsfacts.store.schema import articles, lsh_keys, permissions, quotable, quotable_pending
from newsfacts.store.write import WriteMixin

# Articles per multi-row INSERT: 13 columns x 200 stays far below SQLite's 32,766
# bind parameters, and the statement stays a few MB of text at most.
_ARTICLE_CHUNK = 200


@dataclass
class Ready:
    """What `save_many` computes of one record that needs no read of the store, done
    ahead (`ready`), in a `load` worker process beside the writer (issue 13).

    It holds for `source` only (the record object it was computed from), and its set
    and shown runs for `policy` only: the writer takes them where the article's
    effective policy, read in its transaction, is that one, else computes them."""

    source: Record
    record: Record  # `source` with its entities in their shown form
    rows: _Rows
    keys: list[str]
    policy: Policy
    set_row: dict[str, Any]
    runs: newruns.NewRuns


@dataclass
class BulkItem:
    """One article to save, with what `save` takes as keyword arguments."""

    record: Record
    fingerprint: Sequence[str] = ()
    duplicate_of: str | None = None
    origin: str | None = None
    ready: Ready | None = None  # of `record`, computed ahead


@dataclass
class _Prepared:
    item: BulkItem
    rows: _Rows
    keys: list[str]
    ready: Ready | None = None

    def fits(self) -> bool:
        """Whether the set and runs computed ahead hold for the policy now set."""
        return self.ready is not None and self.ready.policy == self.item.record.article.policy

    def set_row(self) -> dict[str, Any]:
        if self.fits():
            return self.ready.set_row  # type: ignore[union-attr]
        return _set_row(self.item.record, self.item.record.article.policy)


def ready(
    record: Record, fingerprint: Sequence[str], registry: Any, granted: set[str]
) -> Ready | None:
    """`save_many`'s work on `record` that reads nothing from the store, assuming
    the sources in `granted` are the granted ones (None: a record `save_many` will
    refuse; it then refuses it itself, with its reason). Pure: a `load` worker
    process runs it on its copy of the records."""
    try:
        p = _prepare(BulkItem(record, fingerprint))
    except StoreError:
        return None
    rec = p.item.record
    art = rec.article
    policy = qset.effective_policy(rec, registry, source_key(art.source, art.url) in granted)
    row = _set_row(rec, policy)
    names = newruns.entity_names(p.rows.entities)
    runs = newruns.runs_of(art.id, art.text, art.title, row["pieces"], names)
    return Ready(record, rec, p.rows, p.keys, policy, row, runs)


class BulkMixin(WriteMixin):
    """`save_many`: a batch of articles in one transaction, one statement per table."""

    def save_many(self, items: Sequence[BulkItem]) -> list[bool]:
        """Save `items` in one transaction; for each, True if it changed the store.

        Bad records raise StoreError before anything is written (the caller may
        then save the batch one by one to keep the good ones). An id repeated in
        the batch, or already stored by an older extractor version, is handed to
        `save` after the batch, in order, so it behaves exactly as one save each.
        """
        prepared = [_prepare(item) for item in items]
        done: list[bool] = [False] * len(prepared)
        later: list[int] = []
        inserted: list[str] = []
        with self._write() as conn:
            stored = _stored_versions(conn, [p.item.record.article.id for p in prepared])
            fresh: list[tuple[int, _Prepared]] = []
            seen: set[str] = set()
            for i, p in enumerate(prepared):
                aid = p.item.record.article.id
                if aid in seen:
                    later.append(i)
                elif aid in stored:
                    if is_newer(p.item.record.extractor_version, stored[aid]):
                        later.append(i)
                else:
                    fresh.append((i, p))
                seen.add(aid)
            if fresh:
                granted = _granted(conn)
                for _, p in fresh:
                    art = p.item.record.article
                    art.policy = qset.effective_policy(
                        p.item.record,
                        self.policy_registry,
                        source_key(art.source, art.url) in granted,
                    )
                new = set(self._insert_articles(conn, [p for _, p in fresh]))
                linkdates.copy_dates(conn, sorted(new))  # KB rows of an id stored before
                self._insert_children(
                    conn, [p for _, p in fresh if p.item.record.article.id in new]
                )
                eventmarks.mark_articles(conn, sorted(new))  # KB sources of earlier copies
                # Their text runs too, outside the cross-article pass's lock.
                texts = {p.item.record.article.id: p.item.record.article.text for _, p in fresh}
                ahead = {p.item.record.article.id: p.ready.runs for _, p in fresh if p.fits()}
                newruns.index(conn, {aid: texts[aid] for aid in sorted(new)}, ahead)  # type: ignore[union-attr]
                # Last before the commit: parallel loaders wait on these hot rows. The
                # fact index adds the batch's names to `entity_names`, where another
                # loader's batch inserting one of the same names waits until this one
                # commits: written before the text runs, that wait took in this
                # batch's hashing and COPY (2-3 s of a 2-loader 300-article load).
                index_articles(conn, sorted(new))  # the narrow fact index, same transaction
                keysummary.add_articles(conn, sorted(new))
                for i, p in fresh:
                    if p.item.record.article.id in new:
                        done[i] = True
                        inserted.append(p.item.record.article.id)
        # Before `later`: a save there of the same id may change its text.
        self._texts_indexed.update(inserted)
        if self._unreconciled is not None:  # the deferred pass would read them back
            items = {p.item.record.article.id: p.item for _, p in fresh}
            for aid in inserted[: max(0, MAX_SAVED - len(self._saved_records))]:
                self._saved_records[aid] = (items[aid].record, items[aid].duplicate_of)
        for i in later:
            item = prepared[i].item
            done[i] = self.save(
                item.record,
                fingerprint=item.fingerprint,
                duplicate_of=item.duplicate_of,
                origin=item.origin,
            )
        if inserted:
            self._sets_changed(inserted)
        return done

    def _insert_articles(self, conn: Connection, batch: list[_Prepared]) -> list[str]:
        """Insert the article rows; the ids actually inserted (others were there)."""
        now = _now()
        # In id order: two loaders inserting overlapping batches then wait on each
        # other's rows in the same order and never deadlock.
        rows = sorted(
            (
                {
                    **_article_values(p.item.record),
                    "ingested_at": now,
                    "duplicate_of": p.item.duplicate_of,
                    "origin": p.item.origin,
                }
                for p in batch
            ),
            key=lambda row: row["id"],
        )
        insert = dialect_insert(self.dialect)
        out: list[str] = []
        for i in range(0, len(rows), _ARTICLE_CHUNK):
            chunk = rows[i : i + _ARTICLE_CHUNK]
            stmt = (
                insert(articles)
                .values(chunk)
                .on_conflict_do_nothing(index_elements=["id"])
                .returning(articles.c.id)
            )
            out.extend(conn.execute(stmt).scalars())
        return out

    def _insert_children(self, conn: Connection, batch: list[_Prepared]) -> None:
        """Every row that hangs off the inserted articles, one statement per table."""
        if not batch:
            return
        tables: dict[sa.Table, list[dict[str, Any]]] = {}
        for p in batch:
            for table, rows in p.rows.tables():
                tables.setdefault(table, []).extend(rows)
        tables[lsh_keys] = [
            {"key": k, "article_id": p.item.record.article.id} for p in batch for k in p.keys
        ]
        tables[quotable] = [p.set_row() for p in batch]
        # chosen alone: noted until the cross-article pass weighs them (`qset.mark_pending`)
        tables[quotable_pending] = [{"article_id": p.item.record.article.id} for p in batch]
        for table, rows in tables.items():
            if rows:
                self._bulk_insert(conn, table, rows)
        if self.dialect == "sqlite":  # PostgreSQL's tsvector column is generated
            arts = [p.item.record.article for p in batch]
            rowids = fts_order.next_rowids(conn, [a.published for a in arts])
            conn.exec_driver_sql(
                "INSERT INTO articles_fts (rowid, article_id, title, body) VALUES (?, ?, ?, ?)",
                [(r, a.id, a.title or "", a.text) for r, a in zip(rowids, arts, strict=True)],
            )

    def _bulk_insert(self, conn: Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """COPY on PostgreSQL (no statement per row, no parameter limit), else one
        executemany of a plain INSERT on the driver (sqlite3 runs it as one prepared
        statement; SQLAlchemy's per-row parameter handling cost more than the
        inserts, and these columns are plain strings and numbers, nothing to convert)."""
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)
        if self.dialect != "postgresql":
            marks = ", ".join("?" * len(cols))
            conn.exec_driver_sql(
                f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})',
                [tuple(row[c] for c in cols) for row in rows],
            )
            return
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in cols])


def _prepare(item: BulkItem) -> _Prepared:
    """Validate and build the rows before the transaction opens, as `save` does
    (entities in the form they may be shown, `policy.names`): done already where
    the item carries its record's `Ready`."""
    done = item.ready
    if done is not None and done.source is item.record:
        return _Prepared(replace(item, record=done.record), done.rows, done.keys, done)
    _validate(item.record)
    item = replace(item, record=shown_record(item.record))
    record = item.record
    aid = record.article.id
    rows = _Rows.build(record)
    keys = sorted({str(k) for k in item.fingerprint if k})
    _check_fit(articles, [_article_values(record)], aid)
    for table, batch in rows.tables():
        _check_fit(table, batch, aid)
    _check_fit(lsh_keys, [{"key": k} for k in keys], aid)
    return _Prepared(item, rows, keys)


def _stored_versions(conn: Connection, ids: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        query = sa.select(articles.c.id, articles.c.extractor_version).where(
            articles.c.id.in_(ids[i : i + 500])
        )
        out.update({r.id: r.extractor_version for r in conn.execute(query)})
    return out


def _granted(conn: Connection) -> set[str]:
    """Every granted source: the table is a short hand-kept list, read once a batch."""
    return set(conn.execute(sa.select(permissions.c.source)).scalars())


def _set_row(record: Record, policy: Policy) -> dict[str, Any]:
    """The article's quotable set judged alone under `policy` (its effective one),
    as `quotable.write_set` stores it."""
    art = record.article
    chosen = choose(record, policy, has_url=bool(art.url))
    return {
        "article_id": art.id,
        "version": chosen.version,
        "allowance": chosen.allowance,
        "pieces": chosen.to_json(),
    }
