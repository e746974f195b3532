"""Saving, replacing and deleting articles (`Store`'s write part).

Writes happen in one transaction per article: a crash mid-save leaves the store
as it was, and re-running an ingest or an extraction is safe.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Article, Record
from newsfacts.policy.names import shown_record
from newsfacts.store import eventmarks, fts_order, keysummary, linkdates, textruns
from newsfacts.store import quotable as qset
from newsfacts.store.base import _now
from newsfacts.store.factindex import index_articles
from newsfacts.store.keys import is_newer
from newsfacts.store.passio import with_saved
from newsfacts.store.read import _RECORD_CHUNK, ReadMixin
from newsfacts.store.rows import _article_values, _check_fit, _Rows, _validate
from newsfacts.store.schema import (
    articles,
    entities,
    evidence,
    fact_entities,
    fact_index,
    facts,
    lsh_keys,
    mentions,
)


class WriteMixin(ReadMixin):
    """Save, demote, delete, and keep the quotable sets in step with the articles."""

    def reconcile_quotable(self, article_ids: Sequence[str]) -> int:
        """Weigh the sets of `article_ids` against every stored article's, so the
        union of all sets stays within each article's share (`store.quotable.reconcile`)."""
        # Parallel loaders take turns: each pass rewrites other articles' sets too.
        indexed = self._texts_indexed & set(article_ids)
        saved: dict[str, tuple[Record, str | None]] = {}
        for aid in article_ids:  # kept for this pass only
            found = self._saved_records.pop(aid, None)
            if found is not None and aid in indexed:
                saved[aid] = found
        read = with_saved(self._read_records, saved) if saved else self._read_records
        with self.exclusive("quotable"), self._write() as conn:
            n = qset.reconcile(conn, article_ids, read, indexed=indexed)
        self._texts_indexed -= indexed
        return n

    def _sets_changed(self, article_ids: Sequence[str]) -> None:
        if self._unreconciled is not None:
            self._unreconciled.extend(article_ids)
        else:
            self.reconcile_quotable(article_ids)

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
        facts replaced. Any failure rolls the whole article back. Entities are
        stored in the form they may be shown (`policy.names`): names and keys never
        hold a run of any article's text.
        """
        _validate(record)
        record = shown_record(record)
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
                        articles.c.extractor_version,
                        articles.c.title,
                        articles.c.text,
                        articles.c.published,
                    ).where(articles.c.id == aid)
                ).first()
                if stored is not None:
                    if not is_newer(record.extractor_version, stored.extractor_version):
                        return False
                    self._delete_extraction(conn, aid)
                    self._update_article(conn, record, duplicate_of, origin)
                else:
                    self._insert_article(conn, record, duplicate_of, origin)
                    eventmarks.mark_articles(conn, [aid])  # sources of an earlier copy
                linkdates.copy_dates(conn, [aid])  # its KB rows order by its date
                self._write_entities(conn, rows)
                self._write_facts(conn, rows)
                index_articles(conn, [aid])  # the narrow fact index, same transaction
                self._write_fingerprint(conn, aid, keys, replace=stored is not None)
                if stored is None:
                    self._write_fts(conn, record.article, replace=False)
                elif _fts_row(stored) != _fts_row(record.article):
                    # A re-extraction rarely changes what is indexed; skipping the
                    # FTS rewrite then keeps re-extracting a whole store linear. The
                    # date counts: it orders the rows (`store.fts_order`).
                    self._write_fts(conn, record.article, replace=True)
                qset.write_set(conn, record)
                keysummary.add_articles(conn, [aid])  # last: its row locks are hot
        except sa.exc.IntegrityError:
            # Another process stored the same article between our check and insert.
            if self.has_article(aid):
                return False
            raise
        self._texts_indexed.discard(aid)  # its text may have changed: the pass re-hashes it
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
        self._texts_indexed.discard(article_id)  # its names went: the pass shows anew
        self._sets_changed([article_id])

    def delete_article(self, article_id: str) -> bool:
        """Remove an article with everything extracted from it (a takedown, a bad
        ingest); True if it was there. Duplicates pointing at it keep their rows
        and lose the link."""
        with self._write() as conn:
            self._delete_extraction(conn, article_id)
            conn.execute(lsh_keys.delete().where(lsh_keys.c.article_id == article_id))
            textruns.remove(conn, [article_id])  # no cascade from `articles` (0011)
            if self.dialect == "sqlite":
                conn.execute(
                    sa.text("DELETE FROM articles_fts WHERE article_id = :id"), {"id": article_id}
                )
            eventmarks.mark_duplicates_of(conn, article_id)  # they count as outlets now
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
        keysummary.remove_articles(conn, [aid])  # counted out while its rows are there
        eventmarks.mark_articles(conn, [aid])  # the KB events its facts are sources of
        for table in (evidence, fact_entities, fact_index, facts, mentions, entities):
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

    def _shorten_names(self, conn: Connection, record: Record) -> Record:
        """Rewrite the entity and fact rows of an article stored with names that hold
        a run of text, in their shown form (names, aliases, keys, fact index)."""
        shown = shown_record(record)
        if shown is record:
            return record
        aid = record.article.id
        rows = _Rows.build(shown)
        self._delete_extraction(conn, aid)
        self._write_entities(conn, rows)
        self._write_facts(conn, rows)
        index_articles(conn, [aid])
        keysummary.add_articles(conn, [aid])
        eventmarks.relink_articles(conn, [aid])  # its KB links hold the old names
        return shown

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
        (rowid,) = fts_order.next_rowids(conn, [article.published])
        conn.execute(
            sa.text(
                "INSERT INTO articles_fts (rowid, article_id, title, body) VALUES (:r, :id, :t, :b)"
            ),
            {"r": rowid, "id": article.id, "t": article.title or "", "b": article.text},
        )

    def rebuild_quotable(self, article_ids: Sequence[str] | None = None) -> int:
        """Re-derive the effective policy and the quotable set of stored articles.

        Run after the migration that added the sets, when older rules chose them
        (`policy.quotable.VERSION`), and by `newsfacts policy rebuild` after the
        registry changed; one transaction per chunk of articles. Entities stored whole
        before names were shortened (`policy.names`, VERSION 4) are rewritten first."""
        with self._read() as conn:
            ids = list(article_ids) if article_ids is not None else qset.ids_or_all(conn, None)
        n = 0
        for i in range(0, len(ids), _RECORD_CHUNK):
            with self._write() as conn:
                for record in self._read_records(conn, ids[i : i + _RECORD_CHUNK]).values():
                    record = self._shorten_names(conn, record)
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


def _fts_row(article: object) -> tuple[object, object, int]:
    """What an article's FTS row depends on: title, text and publication day."""
    return (
        getattr(article, "title", None),
        getattr(article, "text", None),
        fts_order.day_of(getattr(article, "published", None)),
    )
