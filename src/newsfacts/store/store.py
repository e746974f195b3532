"""The store: one SQLAlchemy Core layer over SQLite (default) and PostgreSQL.

Everything the API, web pages, CLI and exports read goes through `Store`, so the
SQL lives in one file and both backends answer the same questions the same way.
Writes happen in one transaction per article: a crash mid-save leaves the store as
it was, and re-running an ingest or an extraction is safe.

Near-duplicates (articles saved with `duplicate_of`) stay readable by id, but
listing, search and fact-level queries (facts, series, meeting edges, an entity's
articles, facts and positions, export) leave them out unless asked with
`include_duplicates=True`: a syndicated copy of a story is not a second witness.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from newsfacts.model import Article, Entity, Fact, Policy, Record, Repair
from newsfacts.store import fts
from newsfacts.store import quotable as qset
from newsfacts.store.keys import entity_key, fold, is_newer, period_bounds
from newsfacts.store.schema import (
    articles,
    entities,
    evidence,
    fact_entities,
    facts,
    lsh_keys,
    mentions,
    permissions,
)

DEFAULT_DB = "./newsfacts.db"
MAX_TEXT_CHARS = 500_000  # measured: 500k chars of 60k distinct words index fine on PG
_EXPORT_BATCH = 200  # articles per export page
_RECORD_CHUNK = 500  # ids per IN (...) in get_records; far below any bind-parameter cap
_MIGRATION_LOCK = 7_316_201_811  # any constant shared by every newsfacts process


class StoreError(ValueError):
    """A record or argument the store refuses, with a one-line reason."""


def database_url(db: str | None = None) -> str:
    """The SQLAlchemy URL for `db`: None → $NEWSFACTS_DB → ./newsfacts.db.

    A plain path means SQLite; `postgres://` and `postgresql://` get the psycopg 3
    driver, the one the project installs.
    """
    db = db or os.environ.get("NEWSFACTS_DB") or DEFAULT_DB
    if db == ":memory:":
        return "sqlite://"
    if "://" not in db:
        path = Path(db).expanduser()
        if not path.parent.exists():
            raise StoreError(f"{db}: directory {path.parent} does not exist")
        return f"sqlite:///{path}"
    for prefix in ("postgres://", "postgresql://"):
        if db.startswith(prefix):
            return "postgresql+psycopg://" + db[len(prefix) :]
    return db


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _natural(local_id: str) -> tuple[str, int, str]:
    """Sort key so "E2" comes before "E10"."""
    match = re.match(r"^(\D*)(\d+)(.*)$", local_id)
    if not match:
        return (local_id, -1, "")
    return (match.group(1), int(match.group(2)), match.group(3))


def _bounds(value: str, name: str) -> tuple[str, str]:
    """First and last day of an ISO date or period given as a filter, or StoreError."""
    bounds = period_bounds(value)
    if bounds is None:
        raise StoreError(f"{name} {value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return bounds


class Store:
    """Facts, entities and articles in one database. Open with `Store.open()`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._batch: Connection | None = None
        self._batch_size = 0
        self._batch_pending = 0
        # The registry that decides the stored policy of articles without a footer
        # (None: the packaged one, or $NEWSFACTS_POLICY_REGISTRY).
        self.policy_registry: Any = None
        # Articles whose quotable sets still wait for the cross-article pass
        # (None: not deferring, each save runs it at once).
        self._unreconciled: list[str] | None = None

    # ------------------------------------------------------------------ set-up

    @classmethod
    def open(cls, db: str | None = None) -> Store:
        """Open (and create or migrate) the store at `db`; see `database_url`."""
        raw = db or os.environ.get("NEWSFACTS_DB") or DEFAULT_DB
        url: str | sa.URL = database_url(raw)
        if "://" not in raw and raw != ":memory:":
            # A path: build the URL so "?" or "#" in it stay part of the file name.
            url = sa.URL.create("sqlite", database=str(Path(raw).expanduser()))
        try:
            if str(url).startswith("sqlite"):
                engine = _sqlite_engine(url)
            else:
                engine = sa.create_engine(url, pool_pre_ping=True)
        except (sa.exc.ArgumentError, ImportError) as exc:  # bad URL, unknown driver
            raise StoreError(f"cannot open store: {str(exc).splitlines()[0]}") from exc
        store = cls(engine)
        try:
            store._migrate()
            if store.dialect == "postgresql":
                store._check_pg_ctype()
        except sa.exc.DBAPIError as exc:
            engine.dispose()
            where = engine.url.render_as_string(hide_password=True)
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"cannot open store {where}: {reason}") from exc
        except Exception:
            engine.dispose()
            raise
        return store

    def _check_pg_ctype(self) -> None:
        """Warn when the database cannot lower-case Cyrillic (a C-locale cluster):
        full-text search then only finds words typed in the article's own case."""
        with self._read() as conn:
            ok = conn.execute(sa.text("SELECT lower('Ш') = 'ш'")).scalar()
        if not ok:
            warnings.warn(
                "PostgreSQL database has a non-UTF-8 ctype: Russian full-text search "
                "will be case-sensitive (create the database with a UTF-8 locale)",
                RuntimeWarning,
                stacklevel=3,
            )

    def _migrate(self) -> None:
        """Bring the schema to the newest Alembic revision.

        A current schema is detected with a plain read, so opening a store for
        reading never takes the write lock (and works on a read-only file)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", "newsfacts.store:migrations")
        heads = set(ScriptDirectory.from_config(config).get_heads())
        with self._read() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
            stale = qset.missing_sets(conn) if current == heads else []
        if current == heads:
            if stale:  # sets chosen by older rules (policy.quotable.VERSION)
                self.rebuild_quotable(stale)
            return
        with self._write() as conn:
            if self.dialect == "postgresql":
                # Two processes opening a fresh database must not both create tables;
                # SQLite gets the same effect from BEGIN IMMEDIATE.
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            missing = qset.missing_sets(conn)
        if missing:  # articles stored before the quotable sets existed (migration 0005)
            self.rebuild_quotable(missing)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self, size: int = 200) -> Iterator[Store]:
        """Group many saves into few commits, for bulk loads.

        Inside the block every `save` still succeeds or fails alone (each runs in
        a SAVEPOINT), reads see what the batch saved so far, and the transaction
        is committed every `size` saves (no-op saves count too) and on leaving
        the block, also when the block raises (each completed save is a whole
        article). Fewer commits made bulk saving about 1.5x faster on SQLite in
        our measurement (tests/store/bench_store.py --batch); on PostgreSQL the
        gain is small. While a batch is open the Store is not thread-safe, and
        on SQLite other writers wait for each commit.
        """
        if self._batch is not None:  # nested: the outer batch decides
            yield self
            return
        with self.deferred_sets(), self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            conn.begin()
            self._batch, self._batch_size, self._batch_pending = conn, max(1, size), 0
            try:
                yield self
            finally:
                self._batch = None
                if conn.in_transaction():
                    conn.commit()

    @contextmanager
    def deferred_sets(self) -> Iterator[Store]:
        """Run the cross-article pass over the quotable sets once, when the block
        ends, instead of after each save: a bulk ingest reads the store's texts once.
        Until then a new article's set is judged against its own text only."""
        if self._unreconciled is not None:  # nested: the outer block reconciles
            yield self
            return
        self._unreconciled = []
        try:
            yield self
        finally:
            ids, self._unreconciled = self._unreconciled, None
            if ids:
                self.reconcile_quotable(ids)

    def reconcile_quotable(self, article_ids: Sequence[str]) -> int:
        """Weigh the sets of `article_ids` against every stored article's, so the
        union of all sets stays within each article's share (`store.quotable.reconcile`)."""
        with self._write() as conn:
            return qset.reconcile(conn, article_ids, self._read_records)

    def _sets_changed(self, article_ids: Sequence[str]) -> None:
        if self._unreconciled is not None:
            self._unreconciled.extend(article_ids)
        else:
            self.reconcile_quotable(article_ids)

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction; on SQLite it takes the write lock up front (BEGIN
        IMMEDIATE) so the existence check and the insert cannot interleave.
        Inside `batch()` it is a savepoint of the batch's transaction."""
        if self._batch is not None:
            conn = self._batch
            with conn.begin_nested():
                yield conn
            self._batch_pending += 1
            if self._batch_pending >= self._batch_size:
                conn.commit()
                conn.begin()
                self._batch_pending = 0
            return
        with self.engine.connect() as conn:
            conn.execution_options(sqlite_begin="IMMEDIATE")
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A connection for reading; inside `batch()`, the batch's own, so reads
        see the articles saved earlier in the batch."""
        if self._batch is not None:
            yield self._batch
            return
        with self.engine.connect() as conn:
            yield conn

    # ------------------------------------------------------------------ writes

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            row = conn.execute(sa.select(articles.c.id).where(articles.c.id == article_id)).first()
        return row is not None

    def save(
        self,
        record: Record,
        *,
        fingerprint: Sequence[str] = (),
        duplicate_of: str | None = None,
        origin: str | None = None,
    ) -> bool:
        """Store one extracted article in one transaction; True if anything changed.

        An article already stored with the same (or a newer) extractor version is
        left alone (False). One stored by an older version gets its entities and
        facts replaced. Any failure rolls the whole article back.
        """
        _validate(record)
        rows = _Rows.build(record)
        aid = record.article.id
        keys = sorted({str(k) for k in fingerprint if k})
        _check_fit(articles, [_article_values(record)], aid)
        for table, batch in rows.tables():
            _check_fit(table, batch, aid)
        _check_fit(lsh_keys, [{"key": k} for k in keys], aid)
        try:
            with self._write() as conn:
                record = qset.with_policy(conn, record, self.policy_registry)
                stored = conn.execute(
                    sa.select(
                        articles.c.extractor_version, articles.c.title, articles.c.text
                    ).where(articles.c.id == aid)
                ).first()
                if stored is not None:
                    if not is_newer(record.extractor_version, stored.extractor_version):
                        return False
                    self._delete_extraction(conn, aid)
                    self._update_article(conn, record, duplicate_of, origin)
                else:
                    self._insert_article(conn, record, duplicate_of, origin)
                self._write_entities(conn, rows)
                self._write_facts(conn, rows)
                self._write_fingerprint(conn, aid, keys, replace=stored is not None)
                if stored is None:
                    self._write_fts(conn, record.article, replace=False)
                elif (stored.title, stored.text) != (record.article.title, record.article.text):
                    # A re-extraction rarely changes what is indexed; skipping the
                    # FTS rewrite then keeps re-extracting a whole store linear.
                    self._write_fts(conn, record.article, replace=True)
                qset.write_set(conn, record)
        except sa.exc.IntegrityError:
            # Another process stored the same article between our check and insert.
            if self.has_article(aid):
                return False
            raise
        self._sets_changed([aid])
        return True

    def demote_duplicate(self, article_id: str, canonical_id: str) -> None:
        """Make a stored article the near-duplicate of `canonical_id` (a copy found
        later turned out to be the original): its extraction goes, as for any
        duplicate, and its own duplicates now point at the canonical copy."""
        with self._write() as conn:
            self._delete_extraction(conn, article_id)
            conn.execute(
                articles.update()
                .where(articles.c.duplicate_of == article_id)
                .values(duplicate_of=canonical_id)
            )
            conn.execute(
                articles.update()
                .where(articles.c.id == article_id)
                .values(duplicate_of=canonical_id)
            )
            record = self._read_records(conn, [article_id]).get(article_id)
            if record is not None:
                qset.write_set(conn, record)
        self._sets_changed([article_id])

    def delete_article(self, article_id: str) -> bool:
        """Remove an article with everything extracted from it (a takedown, a bad
        ingest); True if it was there. Duplicates pointing at it keep their rows
        and lose the link."""
        with self._write() as conn:
            self._delete_extraction(conn, article_id)
            conn.execute(lsh_keys.delete().where(lsh_keys.c.article_id == article_id))
            if self.dialect == "sqlite":
                conn.execute(
                    sa.text("DELETE FROM articles_fts WHERE article_id = :id"), {"id": article_id}
                )
            conn.execute(
                articles.update()
                .where(articles.c.duplicate_of == article_id)
                .values(duplicate_of=None)
            )
            result = conn.execute(articles.delete().where(articles.c.id == article_id))
        return bool(result.rowcount)

    def _insert_article(
        self, conn: Connection, record: Record, duplicate_of: str | None, origin: str | None
    ) -> None:
        conn.execute(
            articles.insert().values(
                **_article_values(record),
                ingested_at=_now(),
                duplicate_of=duplicate_of,
                origin=origin,
            )
        )

    def _update_article(
        self, conn: Connection, record: Record, duplicate_of: str | None, origin: str | None
    ) -> None:
        values = _article_values(record)
        del values["id"]
        if duplicate_of is not None:
            values["duplicate_of"] = duplicate_of
        if origin is not None:
            values["origin"] = origin
        conn.execute(articles.update().where(articles.c.id == record.article.id).values(**values))

    def _delete_extraction(self, conn: Connection, aid: str) -> None:
        for table in (evidence, fact_entities, facts, mentions, entities):
            conn.execute(table.delete().where(table.c.article_id == aid))

    def _write_entities(self, conn: Connection, rows: _Rows) -> None:
        if rows.entities:
            conn.execute(entities.insert(), rows.entities)
        if rows.mentions:
            conn.execute(mentions.insert(), rows.mentions)

    def _write_facts(self, conn: Connection, rows: _Rows) -> None:
        if rows.facts:
            conn.execute(facts.insert(), rows.facts)
        if rows.evidence:
            conn.execute(evidence.insert(), rows.evidence)
        if rows.links:
            conn.execute(fact_entities.insert(), rows.links)

    def _write_fingerprint(
        self, conn: Connection, aid: str, fingerprint: Sequence[str], *, replace: bool
    ) -> None:
        keys = sorted({str(k) for k in fingerprint if k})
        if replace and keys:
            conn.execute(lsh_keys.delete().where(lsh_keys.c.article_id == aid))
        if keys:
            conn.execute(lsh_keys.insert(), [{"key": k, "article_id": aid} for k in keys])

    def _write_fts(self, conn: Connection, article: Article, *, replace: bool) -> None:
        """SQLite keeps a separate FTS5 table; PostgreSQL's tsvector is generated.

        `article_id` is an UNINDEXED FTS5 column, so deleting by it scans every
        stored text: only a re-extraction (`replace`) pays for that. Done on every
        save it made bulk loads quadratic (120 saves/s at 2,000 articles, 46/s at
        8,000 in scripts/make_big_store.py)."""
        if self.dialect != "sqlite":
            return
        if replace:
            conn.execute(
                sa.text("DELETE FROM articles_fts WHERE article_id = :id"), {"id": article.id}
            )
        conn.execute(
            sa.text("INSERT INTO articles_fts (article_id, title, body) VALUES (:id, :t, :b)"),
            {"id": article.id, "t": article.title or "", "b": article.text},
        )

    # ---------------------------------------------------------- permissions

    def grant_permission(self, source: str) -> bool:
        """Record the editors' permission to quote `source` in full; True if new."""
        source = _source_key(source)
        with self._write() as conn:
            if _has_permission(conn, source):
                return False
            conn.execute(permissions.insert().values(source=source, granted_at=_now()))
            qset.set_grant(conn, source, True)
        return True

    def revoke_permission(self, source: str) -> bool:
        """Forget a permission; True if there was one."""
        source = _source_key(source)
        with self._write() as conn:
            result = conn.execute(permissions.delete().where(permissions.c.source == source))
            qset.set_grant(conn, source, False)
        return bool(result.rowcount)

    def has_permission(self, source: str | None) -> bool:
        if not source or not source.strip():
            return False
        with self._read() as conn:
            return _has_permission(conn, _source_key(source))

    def permissions(self) -> list[dict[str, str]]:
        with self._read() as conn:
            rows = conn.execute(sa.select(permissions).order_by(permissions.c.source))
            return [dict(r._mapping) for r in rows]

    # ------------------------------------------------------------- lookups

    def near_duplicate_candidates(self, fingerprint: Iterable[str]) -> list[str]:
        """Ids of stored articles sharing at least one LSH band key, most shared first."""
        keys = sorted({str(k) for k in fingerprint if k})
        if not keys:
            return []
        shared = sa.func.count().label("shared")
        with self._read() as conn:
            rows = conn.execute(
                sa.select(lsh_keys.c.article_id, shared)
                .where(lsh_keys.c.key.in_(keys))
                .group_by(lsh_keys.c.article_id)
                .order_by(shared.desc(), lsh_keys.c.article_id)
            )
            return [r.article_id for r in rows]

    def extractor_version(self, article_id: str) -> str | None:
        """The extractor version an article was stored with ("" before extraction),
        or None when it is not stored: the cheap way to decide what to re-extract."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(articles.c.extractor_version).where(articles.c.id == article_id)
            ).first()
        return None if row is None else row.extractor_version

    def get_article(self, article_id: str) -> Article | None:
        with self._read() as conn:
            row = conn.execute(sa.select(articles).where(articles.c.id == article_id)).first()
        return None if row is None else _article_from_row(row)

    def get_article_meta(self, article_id: str) -> dict[str, Any] | None:
        """Article columns without the text: extractor version, duplicate_of, origin…"""
        cols = [c for c in articles.c if c.name != "text"]
        with self._read() as conn:
            row = conn.execute(sa.select(*cols).where(articles.c.id == article_id)).first()
        if row is None:
            return None
        out = dict(row._mapping)
        out["policy"] = json.loads(out["policy"])
        out["repairs"] = json.loads(out["repairs"])
        return out

    def get_record(self, article_id: str) -> Record | None:
        return self.get_records([article_id]).get(article_id)

    def get_records(self, article_ids: Sequence[str]) -> dict[str, Record]:
        """Many records in one read: five queries per chunk of ids instead of a
        connection and five queries per article (an entity page loads up to 200,
        which took about a second on a 20,000-article store; docs/latency.md).
        Ids that are not stored are simply absent from the result."""
        wanted = list(dict.fromkeys(article_ids))
        out: dict[str, Record] = {}
        with self._read() as conn:
            for i in range(0, len(wanted), _RECORD_CHUNK):
                out.update(self._read_records(conn, wanted[i : i + _RECORD_CHUNK]))
        return out

    def _read_records(self, conn: Connection, ids: list[str]) -> dict[str, Record]:
        rows = conn.execute(sa.select(articles).where(articles.c.id.in_(ids))).all()
        if not rows:
            return {}

        def grouped(table: sa.Table, *order: Any) -> dict[str, list[Any]]:
            out: dict[str, list[Any]] = defaultdict(list)
            stmt = sa.select(table).where(table.c.article_id.in_(ids)).order_by(*order)
            for r in conn.execute(stmt):
                out[r.article_id].append(r)
            return out

        ents = grouped(entities)
        mens = grouped(mentions, mentions.c.local_id, mentions.c.n)
        fs = grouped(facts, facts.c.seq)
        evs = grouped(evidence, evidence.c.seq, evidence.c.n)
        records = {
            row.id: _record_from_rows(row, ents[row.id], mens[row.id], fs[row.id], evs[row.id])
            for row in rows
        }
        qset.attach_sets(conn, records)
        return records

    def rebuild_quotable(self, article_ids: Sequence[str] | None = None) -> int:
        """Re-derive the effective policy and the quotable set of stored articles.

        Run after the migration that added the sets, and by `newsfacts policy
        rebuild` after the registry changed; one transaction per chunk of articles."""
        with self._read() as conn:
            ids = list(article_ids) if article_ids is not None else qset.ids_or_all(conn, None)
        n = 0
        for i in range(0, len(ids), _RECORD_CHUNK):
            with self._write() as conn:
                for record in self._read_records(conn, ids[i : i + _RECORD_CHUNK]).values():
                    record = qset.with_policy(conn, record, self.policy_registry)
                    conn.execute(
                        articles.update()
                        .where(articles.c.id == record.article.id)
                        .values(policy=qset.policy_json(record.article.policy))
                    )
                    qset.write_set(conn, record)
                    n += 1
        self._sets_changed(ids)
        return n

    def list_articles(
        self,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        entity_key: str | None = None,
        fact_type: str | None = None,
        limit: int = 50,
        offset: int = 0,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Article cards (no text), newest first; dates are ISO prefixes."""
        n_facts = (
            sa.select(sa.func.count())
            .where(facts.c.article_id == articles.c.id)
            .scalar_subquery()
            .label("facts")
        )
        query = sa.select(
            articles.c.id,
            articles.c.title,
            articles.c.source,
            articles.c.url,
            articles.c.published,
            articles.c.extractor_version,
            articles.c.duplicate_of,
            articles.c.ingested_at,
            articles.c.policy,
            n_facts,
        )
        if source:
            query = query.where(articles.c.source == source)
        if date_from:
            query = query.where(articles.c.published >= _bounds(date_from, "date_from")[0])
        if date_to:
            # "T99" also admits datetimes of the last day ("2022-04-28T10:00").
            query = query.where(articles.c.published <= _bounds(date_to, "date_to")[1] + "T99")
        # IN (subquery) rather than correlated EXISTS: both backends then start
        # from the small set of matching articles instead of probing every one.
        if entity_key:
            query = query.where(
                articles.c.id.in_(
                    sa.select(entities.c.article_id).where(entities.c.entity_key == entity_key)
                )
            )
        if fact_type:
            query = query.where(
                articles.c.id.in_(sa.select(facts.c.article_id).where(facts.c.type == fact_type))
            )
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        query = (
            query.order_by(articles.c.published.desc().nulls_last(), articles.c.id)
            .limit(_limit(limit))
            .offset(max(0, int(offset)))
        )
        with self._read() as conn:
            out = []
            for row in conn.execute(query):
                item = dict(row._mapping)
                item["policy"] = json.loads(item["policy"])
                out.append(item)
            return out

    # -------------------------------------------------------------- search

    def search(
        self, query: str, limit: int = 20, *, include_duplicates: bool = False
    ) -> dict[str, list[dict[str, Any]]]:
        """Articles (full text), entities (name words) and facts (type/arg text)."""
        limit = _limit(limit)
        with self._read() as conn:
            return {
                "articles": self._search_articles(conn, query, limit, include_duplicates),
                "entities": self._search_entities(conn, query, limit),
                "facts": self._search_facts(conn, query, limit),
            }

    def search_articles(
        self,
        query: str,
        limit: int = 20,
        *,
        include_duplicates: bool = False,
        snippets: bool = True,
    ) -> list[dict[str, Any]]:
        """Only the article hits of `search`: callers that need nothing else skip
        its entity and fact scans, which were 2/3 of a search request's time on a
        20,000-article store (docs/latency.md). `snippets=False` leaves every
        snippet "" for callers that only want ids: building 500 snippets cost
        ~4x the search itself."""
        with self._read() as conn:
            return self._search_articles(
                conn, query, _limit(limit), include_duplicates, snippets=snippets
            )

    def _search_articles(
        self,
        conn: Connection,
        query: str,
        limit: int,
        include_duplicates: bool,
        *,
        snippets: bool = True,
    ) -> list[dict[str, Any]]:
        originals = "" if include_duplicates else "AND a.duplicate_of IS NULL "
        if self.dialect == "postgresql":
            tsq = fts.pg_tsquery(query)
            if tsq is None:
                return []
            sql = sa.text(
                "SELECT m.id, m.title, m.published, m.source, m.url, m.policy, m.n_chars, "
                + (
                    "ts_headline('russian', m.text, to_tsquery('russian', :q), "
                    '\'StartSel="",StopSel="",MaxWords=24,MinWords=10,MaxFragments=1\') '
                    if snippets
                    else "'' "
                )
                + "AS snippet FROM (SELECT a.id, a.title, a.published, a.source, a.url, a.policy, a.text, "
                "length(a.text) AS n_chars, "
                "ts_rank(a.tsv, to_tsquery('russian', :q)) AS rank FROM articles a "
                "WHERE a.tsv @@ to_tsquery('russian', :q) "
                + originals
                + "ORDER BY rank DESC, a.published DESC NULLS LAST LIMIT :limit) m "
                "ORDER BY m.rank DESC, m.published DESC NULLS LAST"
            )
        else:
            tsq = fts.sqlite_match(query)
            if tsq is None:
                return []
            sql = sa.text(
                "SELECT a.id, a.title, a.published, a.source, a.url, a.policy, "
                "length(a.text) AS n_chars, "
                + ("snippet(articles_fts, 2, '', '', '…', 24) " if snippets else "'' ")
                + "AS snippet FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id "
                "WHERE articles_fts MATCH :q "
                + originals
                + "ORDER BY bm25(articles_fts, 0.0, 10.0, 1.0), a.published DESC LIMIT :limit"
            )
        try:
            with conn.begin_nested():
                rows = conn.execute(sql, {"q": tsq, "limit": limit}).all()
        except sa.exc.DBAPIError:
            # The query is sanitised, so this should not happen; if it does, the
            # user sees no article hits rather than a database error (and the
            # savepoint keeps the rest of the transaction usable).
            return []
        out = [
            {
                "id": r.id,
                "title": r.title,
                "snippet": r.snippet or "",
                "published": r.published,
                "source": r.source,
                "url": r.url,
            }
            for r in rows
        ]
        if snippets:  # titles and snippets only from each article's quotable set
            qset.within_sets(conn, out)
        else:
            for hit in out:
                hit["title"] = None
        return out

    def _search_entities(self, conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
        match = _words_match(entities.c.name_norm, query)
        if match is None:
            return []
        needle = fold(query)
        code = query.strip().upper()
        if len(code) == 2 and code.isalpha():
            match = sa.or_(match, entities.c.code == code)  # "IT", "kz"
        n_articles = sa.func.count(sa.distinct(entities.c.article_id)).label("articles")
        # An expression, not the bare column: grouping by entity_key made SQLite read
        # the table in index order, a random read per row (10x slower at 230k rows).
        key = entities.c.entity_key.concat("").label("entity_key")
        rows = conn.execute(
            sa.select(
                key,
                entities.c.type,
                sa.func.min(entities.c.name_norm).label("name_norm"),
                n_articles,
            )
            .where(match)
            .group_by(key, entities.c.type)
            .order_by(n_articles.desc(), key)
            .limit(limit * 3)
        ).all()
        names = _display_names(conn, [r.entity_key for r in rows])
        hits = [
            {
                "entity_key": r.entity_key,
                "name": names.get(r.entity_key, r.name_norm),
                "type": r.type,
                "articles": r.articles,
            }
            for r in rows
        ]
        # Names that start with the query come first: typing "Дос" means Досаев.
        first = fts.stem(fts.words(query)[0]) if fts.words(query) else needle
        hits.sort(key=lambda h: (not fold(h["name"]).startswith(first), -h["articles"]))
        return hits[:limit]

    def _search_facts(self, conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
        match = _words_match(facts.c.args_text, query)
        if match is None:
            return []
        where = sa.or_(facts.c.type == fold(query), match)
        return self._fact_query(conn, [where], limit, 0, include_duplicates=False)

    # --------------------------------------------------------------- facts

    def facts(
        self,
        type: str | None = None,
        entity_key: str | None = None,
        country: str | None = None,
        period_from: str | None = None,
        period_to: str | None = None,
        limit: int = 100,
        offset: int = 0,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Facts with their article, evidence spans and entity names, newest first.

        `country` matches facts involving an entity with that ISO code or located
        in that country; the period filter keeps facts whose period (or, failing
        that, the article's date) overlaps [period_from, period_to].
        """
        where = _fact_filters(type, entity_key, country, period_from, period_to)
        with self._read() as conn:
            return self._fact_query(
                conn, where, _limit(limit, 1000), offset, include_duplicates=include_duplicates
            )

    def _fact_query(
        self,
        conn: Connection,
        where: list[Any],
        limit: int | None,
        offset: int,
        *,
        include_duplicates: bool,
        order_by_date: bool = True,
    ) -> list[dict[str, Any]]:
        query = sa.select(facts, *_ARTICLE_COLS).join(articles, articles.c.id == facts.c.article_id)
        for clause in where:
            query = query.where(clause)
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        if order_by_date:
            query = query.order_by(
                articles.c.published.desc().nulls_last(), facts.c.article_id, facts.c.seq
            )
        else:
            query = query.order_by(facts.c.article_id, facts.c.seq)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(max(0, int(offset)))
        return _hydrate(conn, conn.execute(query).all())

    def quantity_series(
        self,
        indicator: str | None = None,
        subjects: list[str] | None = None,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Reported figures ordered by period: one row per quantity fact.

        `indicator` matches case-insensitively; `subjects` are entity keys that must
        all be among the fact's subjects.
        """
        where: list[Any] = [facts.c.type == "quantity"]
        if indicator:
            where.append(facts.c.args_text.like(fts.like_pattern(fold(indicator)), escape="\\"))
        for key in subjects or []:
            where.append(_linked(key, role="subjects"))
        with self._read() as conn:
            found = self._fact_query(conn, where, None, 0, include_duplicates=include_duplicates)
        out = []
        for f in found:
            args = f["args"]
            if indicator and fold(str(args.get("indicator", ""))) != fold(indicator):
                continue
            subject_ids = args.get("subjects") or []
            if isinstance(subject_ids, str):
                subject_ids = [subject_ids]
            resolved = [f["entities"].get(s) for s in subject_ids]
            out.append(
                {
                    "indicator": args.get("indicator"),
                    "subjects": [
                        r["name"] if r else s for r, s in zip(resolved, subject_ids, strict=True)
                    ],
                    "subject_keys": [r["entity_key"] if r else None for r in resolved],
                    "period": args.get("period") or args.get("time"),
                    "value": args.get("value"),
                    "unit": args.get("unit"),
                    "qualifier": args.get("qualifier"),
                    "change": args.get("change"),
                    "fact_id": f["id"],
                    "evidence": f["evidence"],
                    "article": f["article"],
                }
            )
        out.sort(key=lambda r: (str(r["period"] or ""), r["article"]["published"] or ""))
        return out

    def meeting_edges(
        self,
        period_from: str | None = None,
        period_to: str | None = None,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Who met whom: one edge per pair of participants, with counts and articles."""
        where = _fact_filters("meeting", None, None, period_from, period_to)
        query = (
            sa.select(fact_entities.c.article_id, fact_entities.c.seq, fact_entities.c.entity_key)
            .join(
                facts,
                sa.and_(
                    facts.c.article_id == fact_entities.c.article_id,
                    facts.c.seq == fact_entities.c.seq,
                ),
            )
            .join(articles, articles.c.id == facts.c.article_id)
            .where(fact_entities.c.role == "participants", *where)
        )
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        with self._read() as conn:
            groups: dict[tuple[str, int], set[str]] = defaultdict(set)
            for r in conn.execute(query):
                groups[(r.article_id, r.seq)].add(r.entity_key)
            edges: dict[tuple[str, str], dict[str, Any]] = {}
            for (aid, _seq), keys in groups.items():
                ordered = sorted(keys)
                for i, a in enumerate(ordered):
                    for b in ordered[i + 1 :]:
                        edge = edges.setdefault((a, b), {"count": 0, "articles": set()})
                        edge["count"] += 1
                        edge["articles"].add(aid)
            names = _display_names(conn, sorted({k for pair in edges for k in pair}))
        out = [
            {
                "source": a,
                "target": b,
                "source_name": names.get(a, a),
                "target_name": names.get(b, b),
                "count": e["count"],
                "articles": sorted(e["articles"]),
            }
            for (a, b), e in edges.items()
        ]
        out.sort(key=lambda e: (-e["count"], e["source"], e["target"]))
        return out

    # ------------------------------------------------------------- entities

    def get_entity(
        self,
        entity_key: str,
        *,
        fact_limit: int = 200,
        article_limit: int = 200,
        include_duplicates: bool = False,
    ) -> dict[str, Any] | None:
        """Everything known about one cross-article entity, or None.

        "Казахстан" may appear in most of the store, so articles and facts are
        the newest `article_limit` / `fact_limit` (with totals in article_count /
        fact_count); positions held are always complete.
        """
        with self._read() as conn:
            variants = conn.execute(
                sa.select(
                    entities.c.name,
                    entities.c.aliases,
                    entities.c.type,
                    entities.c.subtype,
                    entities.c.code,
                    entities.c.country,
                    sa.func.count().label("n"),
                )
                .where(entities.c.entity_key == entity_key)
                .group_by(
                    entities.c.name,
                    entities.c.aliases,
                    entities.c.type,
                    entities.c.subtype,
                    entities.c.code,
                    entities.c.country,
                )
            ).all()
            if not variants:
                return None
            in_articles = sa.select(entities.c.article_id).where(
                entities.c.entity_key == entity_key
            )
            art_query = sa.select(articles.c.id.label("article_id"), *_ARTICLE_COLS).where(
                articles.c.id.in_(in_articles)
            )
            if not include_duplicates:
                art_query = art_query.where(articles.c.duplicate_of.is_(None))
            article_count = conn.execute(
                sa.select(sa.func.count()).select_from(art_query.subquery())
            ).scalar()
            arts = [
                _article_card(r)
                for r in conn.execute(
                    art_query.order_by(
                        articles.c.published.desc().nulls_last(), articles.c.id
                    ).limit(_limit(article_limit, 10_000))
                )
            ]
            linked = [_linked(entity_key)]
            fact_count = conn.execute(
                sa.select(sa.func.count())
                .select_from(facts.join(articles, articles.c.id == facts.c.article_id))
                .where(*linked)
                .where(sa.true() if include_duplicates else articles.c.duplicate_of.is_(None))
            ).scalar()
            fact_list = self._fact_query(
                conn,
                linked,
                _limit(fact_limit, 10_000),
                0,
                include_duplicates=include_duplicates,
            )
            held = self._fact_query(
                conn,
                [facts.c.type == "occupation", _linked(entity_key, role="person")],
                None,
                0,
                include_duplicates=include_duplicates,
            )
        for f in fact_list:
            f["roles"] = sorted(
                role
                for role, ids in _entity_roles(f["args"]).items()
                if any(f["entities"].get(i, {}).get("entity_key") == entity_key for i in ids)
            )
        positions = [_position(f) for f in held]
        positions.sort(key=lambda p: (p["published"] or "", p["article_id"]))
        names: Counter[str] = Counter()
        aliases: Counter[str] = Counter()
        for v in variants:
            names[v.name] += v.n
            for alias in json.loads(v.aliases):
                aliases[alias] += v.n
        aliases.update(names)
        best = max(variants, key=lambda v: v.n)
        return {
            "entity_key": entity_key,
            "name": names.most_common(1)[0][0],
            "type": best.type,
            "subtype": next((v.subtype for v in variants if v.subtype), None),
            "code": next((v.code for v in variants if v.code), None),
            "country": next((v.country for v in variants if v.country), None),
            "aliases": [a for a, _ in aliases.most_common()],
            "article_count": int(article_count or 0),
            "articles": arts,
            "fact_count": int(fact_count or 0),
            "facts": fact_list,
            "positions": positions,
        }

    # --------------------------------------------------------------- export

    def iter_facts_for_export(
        self, *, include_duplicates: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every fact with its article URL, ordered by (article_id, seq).

        Pages by article id (the primary key) so each batch is an index range, a
        large store never sits in memory, and no cursor stays open while the
        caller writes its file.
        """
        after = ""
        while True:
            with self._read() as conn:
                page = sa.select(articles.c.id).where(articles.c.id > after)
                if not include_duplicates:
                    page = page.where(articles.c.duplicate_of.is_(None))
                ids = list(
                    conn.execute(page.order_by(articles.c.id).limit(_EXPORT_BATCH)).scalars()
                )
                if not ids:
                    return
                batch = self._fact_query(
                    conn,
                    [facts.c.article_id.in_(ids)],
                    None,
                    0,
                    include_duplicates=True,
                    order_by_date=False,
                )
            for f in batch:
                f["url"] = f["article"]["url"]
                yield f
            after = ids[-1]

    def stats(self) -> dict[str, int]:
        """Flat counts (the CLI prints them as "name value")."""
        with self._read() as conn:

            def scalar(query: Any) -> int:
                return int(conn.execute(query).scalar() or 0)

            return {
                "articles": scalar(sa.select(sa.func.count()).select_from(articles)),
                "duplicates": scalar(
                    sa.select(sa.func.count()).where(articles.c.duplicate_of.is_not(None))
                ),
                "sources": scalar(sa.select(sa.func.count(sa.distinct(articles.c.source)))),
                "entities": scalar(sa.select(sa.func.count(sa.distinct(entities.c.entity_key)))),
                "facts": scalar(sa.select(sa.func.count()).select_from(facts)),
                "permissions": scalar(sa.select(sa.func.count()).select_from(permissions)),
            }

    def fact_type_counts(self) -> dict[str, int]:
        with self._read() as conn:
            rows = conn.execute(
                sa.select(facts.c.type, sa.func.count())
                .group_by(facts.c.type)
                .order_by(facts.c.type)
            )
            return {t: int(n) for t, n in rows}


# ---------------------------------------------------------------------- helpers

_ARTICLE_COLS = (
    articles.c.url.label("a_url"),
    articles.c.title.label("a_title"),
    articles.c.published.label("a_published"),
    articles.c.source.label("a_source"),
    articles.c.policy.label("a_policy"),
)


def _sqlite_engine(url: str | sa.URL) -> Engine:
    memory = str(url) == "sqlite://"
    kwargs: dict[str, Any] = {}
    if memory:
        kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    engine = sa.create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # Hand transaction control to SQLAlchemy (pysqlite's own is unreliable),
        # enforce foreign keys, wait for a busy writer instead of failing, and let
        # readers (the API) run while a writer (ingest) holds the lock.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA busy_timeout = 30000")
        if not memory:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def _limit(limit: int, ceiling: int = 500) -> int:
    return max(1, min(int(limit), ceiling))


def _source_key(source: str) -> str:
    if not source or not source.strip():
        raise StoreError("a permission needs a source name")
    return source.strip().lower()


def _has_permission(conn: Connection, source: str) -> bool:
    row = conn.execute(
        sa.select(permissions.c.source).where(permissions.c.source == source)
    ).first()
    return row is not None


def _validate(record: Record) -> None:
    """Refuse records that would store nonsense, with a one-line reason."""
    art = record.article
    if not isinstance(art.id, str) or not art.id:
        raise StoreError("article has no id")
    if not isinstance(art.text, str):
        raise StoreError(f"article {art.id}: text is not a string")
    for name in ("text", "title", "url", "source"):
        value = getattr(art, name)
        if isinstance(value, str) and "\x00" in value:
            raise StoreError(f"article {art.id}: {name} contains NUL characters")
    n = len(art.text)
    if n > MAX_TEXT_CHARS:
        raise StoreError(
            f"article {art.id}: text of {n} characters is over the {MAX_TEXT_CHARS} the "
            "full-text index takes (PostgreSQL caps a tsvector at 1 MB)"
        )

    def check_span(span: Sequence[int], where: str) -> None:
        if len(span) != 2:
            raise StoreError(f"article {art.id}: {where}: span {span!r} is not [start, end]")
        start, end = span
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= n):
            raise StoreError(f"article {art.id}: {where}: span {span!r} outside text of {n}")

    seen: set[str] = set()
    for ent in record.entities:
        if not ent.id or ent.id in seen:
            raise StoreError(f"article {art.id}: entity id {ent.id!r} empty or repeated")
        seen.add(ent.id)
        if not ent.type or not isinstance(ent.name, str) or not ent.name.strip():
            raise StoreError(f"article {art.id}: entity {ent.id} lacks a type or a name")
        for span in ent.mentions:
            check_span(span, f"entity {ent.id}")
    for i, fact in enumerate(record.facts):
        if not fact.type or not isinstance(fact.args, dict):
            raise StoreError(f"article {art.id}: fact {i} lacks a type or args")
        for span in fact.evidence:
            check_span(span, f"fact {i} ({fact.type})")


def _check_fit(table: sa.Table, rows: Sequence[dict[str, Any]], aid: str) -> None:
    """Refuse values PostgreSQL would reject mid-transaction (too long for their
    column, or holding NUL), so both backends fail the same clear way up front."""
    limits = {
        c.name: c.type.length
        for c in table.c
        if isinstance(c.type, sa.String) and c.type.length is not None
    }
    for row in rows:
        for name, value in row.items():
            if not isinstance(value, str):
                continue
            if "\x00" in value:
                raise StoreError(f"article {aid}: {table.name}.{name} contains NUL characters")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:  # a lone surrogate from a bad decode
                raise StoreError(
                    f"article {aid}: {table.name}.{name} is not valid Unicode ({exc.reason})"
                ) from None
            limit = limits.get(name)
            if limit is not None and len(value) > limit:
                raise StoreError(
                    f"article {aid}: {table.name}.{name} longer than {limit} characters: "
                    f"{value[:40]!r}…"
                )


def _article_values(record: Record) -> dict[str, Any]:
    art = record.article
    return {
        "id": art.id,
        "title": art.title,
        "source": art.source,
        "url": art.url,
        "published": art.published,
        "language": art.language or "ru",
        "text": art.text,
        "policy": json.dumps(asdict(art.policy), ensure_ascii=False),
        "repairs": json.dumps([asdict(r) for r in art.repairs], ensure_ascii=False),
        "extractor_version": record.extractor_version or "",
    }


def _record_from_rows(
    row: Any, ent_rows: list[Any], men_rows: list[Any], fact_rows: list[Any], ev_rows: list[Any]
) -> Record:
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for m in men_rows:
        spans[m.local_id].append((m.start, m.end))
    ents = [
        Entity(
            id=e.local_id,
            type=e.type,
            name=e.name,
            mentions=spans.get(e.local_id, []),
            subtype=e.subtype,
            code=e.code,
            country=e.country,
            aliases=json.loads(e.aliases),
        )
        for e in sorted(ent_rows, key=lambda e: _natural(e.local_id))
    ]
    ev: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for r in ev_rows:
        ev[r.seq].append((r.start, r.end))
    fs = [
        Fact(
            type=f.type,
            args=json.loads(f.args),
            evidence=ev.get(f.seq, []),
            confidence=f.confidence,
            modality=f.modality,
            extractor=f.extractor,
        )
        for f in fact_rows
    ]
    return Record(
        article=_article_from_row(row),
        entities=ents,
        facts=fs,
        extractor_version=row.extractor_version,
    )


def _article_from_row(row: Any) -> Article:
    return Article(
        id=row.id,
        text=row.text,
        title=row.title,
        source=row.source,
        url=row.url,
        published=row.published,
        language=row.language,
        policy=Policy.from_dict(json.loads(row.policy)),
        repairs=[Repair.from_dict(r) for r in json.loads(row.repairs)],
    )


def _entity_roles(args: dict[str, Any], prefix: str = "") -> dict[str, list[str]]:
    """Arg name → the strings in it that may be entity ids (lists and nested dicts too)."""
    out: dict[str, list[str]] = defaultdict(list)
    for key, value in args.items():
        role = f"{prefix}{key}"
        if isinstance(value, str):
            out[role].append(value)
        elif isinstance(value, list):
            out[role].extend(v for v in value if isinstance(v, str))
        elif isinstance(value, dict):
            for sub, ids in _entity_roles(value, prefix=f"{role}.").items():
                out[sub].extend(ids)
    return out


def _string_leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, list):
        for v in value:
            yield from _string_leaves(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _string_leaves(v)


class _Rows:
    """All rows of one record, computed before the transaction opens so that bad
    data (args that are not JSON) fails before anything is written."""

    def __init__(self) -> None:
        self.entities: list[dict[str, Any]] = []
        self.mentions: list[dict[str, Any]] = []
        self.facts: list[dict[str, Any]] = []
        self.evidence: list[dict[str, Any]] = []
        self.links: list[dict[str, Any]] = []

    def tables(self) -> list[tuple[sa.Table, list[dict[str, Any]]]]:
        return [
            (entities, self.entities),
            (mentions, self.mentions),
            (facts, self.facts),
            (evidence, self.evidence),
            (fact_entities, self.links),
        ]

    @classmethod
    def build(cls, record: Record) -> _Rows:
        rows = cls()
        aid = record.article.id
        by_id: dict[str, Entity] = {}
        for ent in record.entities:
            by_id[ent.id] = ent
            rows.entities.append(
                {
                    "article_id": aid,
                    "local_id": ent.id,
                    "entity_key": entity_key(ent),
                    "type": ent.type,
                    "subtype": ent.subtype,
                    "code": ent.code,
                    "country": ent.country,
                    "name": ent.name,
                    "name_norm": fold(ent.name),
                    "aliases": json.dumps(list(ent.aliases), ensure_ascii=False),
                }
            )
            for n, (start, end) in enumerate(ent.mentions):
                rows.mentions.append(
                    {"article_id": aid, "local_id": ent.id, "n": n, "start": start, "end": end}
                )
        published = period_bounds(record.article.published)
        for seq, fact in enumerate(record.facts):
            try:
                args_json = json.dumps(fact.args, ensure_ascii=False, allow_nan=False)
            except (TypeError, ValueError) as exc:
                raise StoreError(f"article {aid}: fact {seq} args are not JSON: {exc}") from exc
            texts = [fact.type]
            links: set[tuple[str, str]] = set()
            for role, ids in _entity_roles(fact.args).items():
                for local in ids:
                    if local in by_id:
                        links.add((role, local))
            for leaf in _string_leaves(fact.args):
                ent = by_id.get(leaf)
                texts.append(ent.name if ent else leaf)
            bounds = (
                period_bounds(fact.args.get("period"))
                or period_bounds(fact.args.get("time"))
                or published
            )
            rows.facts.append(
                {
                    "article_id": aid,
                    "seq": seq,
                    "type": fact.type,
                    "args": args_json,
                    "args_text": fold(" | ".join(texts)),
                    "modality": fact.modality,
                    "confidence": float(fact.confidence),
                    "extractor": fact.extractor,
                    "extractor_version": record.extractor_version or "",
                    "period_start": bounds[0] if bounds else None,
                    "period_end": bounds[1] if bounds else None,
                }
            )
            for n, (start, end) in enumerate(fact.evidence):
                rows.evidence.append(
                    {"article_id": aid, "seq": seq, "n": n, "start": start, "end": end}
                )
            for role, local in sorted(links):
                ent = by_id[local]
                country = ent.code or ent.country
                rows.links.append(
                    {
                        "article_id": aid,
                        "seq": seq,
                        "role": role,
                        "local_id": local,
                        "entity_key": entity_key(ent),
                        "country": country.upper() if country else None,
                    }
                )
        return rows


def _linked(key: str, role: str | None = None, *, column: str = "entity_key") -> Any:
    """The fact involves the entity `key` (in `role`, if given).

    Written as `(article_id, seq) IN (SELECT ...)` rather than a correlated EXISTS:
    SQLite then reads the few matching links through the key's index once,
    instead of probing an index of a common value (country "KZ") for every fact.
    """
    sub = sa.select(fact_entities.c.article_id, fact_entities.c.seq).where(
        fact_entities.c[column] == key
    )
    if role is not None:
        sub = sub.where(fact_entities.c.role == role)
    return sa.tuple_(facts.c.article_id, facts.c.seq).in_(sub)


def _words_match(column: Any, query: str) -> Any:
    """Every word of `query`, cut back to its stem, occurs in the folded `column`:
    "Досаевым" finds "ерболат досаев". A query without words (punctuation only)
    falls back to a plain substring; None when there is nothing to match."""
    stems = [fts.stem(w) for w in fts.words(query)]
    if not stems:
        needle = fold(query)
        return column.like(fts.like_pattern(needle), escape="\\") if needle else None
    return sa.and_(*(column.like(fts.like_pattern(s), escape="\\") for s in stems))


def _fact_filters(
    type: str | None,
    entity_key: str | None,
    country: str | None,
    period_from: str | None,
    period_to: str | None,
) -> list[Any]:
    where: list[Any] = []
    if type:
        where.append(facts.c.type == type)
    if entity_key:
        where.append(_linked(entity_key))
    if country:
        where.append(_linked(country.strip().upper(), column="country"))
    if period_from:
        where.append(facts.c.period_end >= _bounds(period_from, "period_from")[0])
    if period_to:
        where.append(facts.c.period_start <= _bounds(period_to, "period_to")[1])
    return where


def _display_names(conn: Connection, keys: Sequence[str]) -> dict[str, str]:
    """The most frequent stored name for each entity key."""
    if not keys:
        return {}
    rows = conn.execute(
        sa.select(entities.c.entity_key, entities.c.name, sa.func.count().label("n"))
        .where(entities.c.entity_key.in_(list(keys)))
        .group_by(entities.c.entity_key, entities.c.name)
    )
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        current = best.get(r.entity_key)
        if current is None or (r.n, r.name) > current:
            best[r.entity_key] = (r.n, r.name)
    return {k: v[1] for k, v in best.items()}


def _article_card(row: Any) -> dict[str, Any]:
    return {
        "id": row.article_id,
        "url": row.a_url,
        "title": row.a_title,
        "published": row.a_published,
        "source": row.a_source,
        "policy": json.loads(row.a_policy),
    }


def _hydrate(conn: Connection, rows: Sequence[Any]) -> list[dict[str, Any]]:
    """Fact rows → dicts with evidence, entity names and the article card."""
    if not rows:
        return []
    aids = sorted({r.article_id for r in rows})
    wanted = {(r.article_id, r.seq) for r in rows}
    spans: dict[tuple[str, int], list[list[int]]] = defaultdict(list)
    names: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for chunk_start in range(0, len(aids), 500):
        chunk = aids[chunk_start : chunk_start + 500]
        for e in conn.execute(
            sa.select(evidence)
            .where(evidence.c.article_id.in_(chunk))
            .order_by(evidence.c.article_id, evidence.c.seq, evidence.c.n)
        ):
            if (e.article_id, e.seq) in wanted:
                spans[(e.article_id, e.seq)].append([e.start, e.end])
        for ent in conn.execute(
            sa.select(
                entities.c.article_id,
                entities.c.local_id,
                entities.c.name,
                entities.c.type,
                entities.c.entity_key,
            ).where(entities.c.article_id.in_(chunk))
        ):
            names[ent.article_id][ent.local_id] = {
                "name": ent.name,
                "type": ent.type,
                "entity_key": ent.entity_key,
            }
    cards: dict[str, dict[str, Any]] = {}
    out = []
    for r in rows:
        args = json.loads(r.args)
        local = names.get(r.article_id, {})
        card = cards.get(r.article_id)
        if card is None:
            card = cards[r.article_id] = _article_card(r)
        used = {i for ids in _entity_roles(args).values() for i in ids if i in local}
        out.append(
            {
                "id": f"{r.article_id}:{r.seq}",
                "article_id": r.article_id,
                "seq": r.seq,
                "type": r.type,
                "args": args,
                "args_named": _name_args(args, local),
                "entities": {i: local[i] for i in sorted(used, key=_natural)},
                "modality": r.modality,
                "confidence": r.confidence,
                "extractor": r.extractor,
                "extractor_version": r.extractor_version,
                "period": [r.period_start, r.period_end] if r.period_start else None,
                "evidence": spans.get((r.article_id, r.seq), []),
                "article": dict(card),
            }
        )
    return out


def _name_args(value: Any, local: dict[str, dict[str, Any]]) -> Any:
    """Args with entity ids replaced by names, for people and templates."""
    if isinstance(value, str):
        return local[value]["name"] if value in local else value
    if isinstance(value, list):
        return [_name_args(v, local) for v in value]
    if isinstance(value, dict):
        return {k: _name_args(v, local) for k, v in value.items()}
    return value


def _position(fact: dict[str, Any]) -> dict[str, Any]:
    args = fact["args"]
    where_id = args.get("where")
    where = fact["entities"].get(where_id) if isinstance(where_id, str) else None
    return {
        "position": args.get("position"),
        "where": where["name"] if where else where_id,
        "where_key": where["entity_key"] if where else None,
        "phase": args.get("phase"),
        "article_id": fact["article_id"],
        "url": fact["article"]["url"],
        "title": fact["article"]["title"],
        "published": fact["article"]["published"],
        "evidence": fact["evidence"],
    }
