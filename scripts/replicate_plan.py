"""Which tables `replicate_store.py` copies, and how: the copy's plan, checked first.

Every table of the store's SQLAlchemy metadata (store/schema.py, store/kbtables.py,
anything registered later) that has an `article_id` column is copied, column by
column, with `article_id` and the denormalised `published` date replaced; the tables
without one must be named in SHARED (the copies point at the same rows), SCALED
(counts over linked articles, multiplied) or REBUILT (recomputed after the copy). Any
other table, in the metadata or only in the database, stops the copy with its name,
so a new table is never silently left out of a benchmark store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

import newsfacts.store.kbtables  # noqa: F401  (registers the KB tables on the metadata)
from newsfacts.store import trigram
from newsfacts.store.schema import FTS_TABLE, metadata

ARTICLE_ID = "article_id"
DATE_COLUMN = "published"
# Tables without an article id whose rows the copies share as they are.
SHARED = {
    "kb_entities": "copies link to the same canonical entities",
    "kb_aliases": "aliases of those entities",
    "kb_keys": "blocking keys of those entities",
    "kb_events": "copies are sources of the same merged events",
    "kb_event_entities": "participants of those events",
    "kb_curation": "the curation log",
    "permissions": "grants by outlet; copies keep their outlet",
    "store_version": "bumped once per copy transaction, not copied",
    "entity_names": "copies hold the same entity names",
}
# Counts over linked mentions: linking the copies would have added theirs.
SCALED = {"kb_features": "n"}
# Per-key counts over entity rows (`store.keysummary`): recomputed after the copy,
# since how often each original is copied differs; the same keys and names.
REBUILT = {
    "entity_keys": "articles and rows per entity key",
    "entity_key_names": "name votes per entity key",
    "entity_key_links": "KB links per entity key",
    "kb_event_stats": "counts per merged event (copies add sources)",
    "kb_event_stale": "events noted for recounting (emptied by the rebuild)",
}
# Objects in the database that are not in the metadata.
NOT_IN_METADATA = {"alembic_version"}
# SQLite FTS5 tables kept in step with a metadata table by its triggers: the copy's
# INSERTs fill them; checked by row count against that table.
TRIGGER_KEPT = {trigram.TABLE: "facts"}


class CopyError(RuntimeError):
    """A table the copy does not know how to fill: the store would be incomplete."""


@dataclass
class Plan:
    """What gets copied: the per-article tables in foreign-key order."""

    per_article: list[sa.Table]
    shared: list[sa.Table]
    scaled: list[sa.Table]
    rebuilt: list[sa.Table] = field(default_factory=list)
    fts: bool = False
    kept: list[str] = field(default_factory=list)
    db_columns: dict[str, set[str]] = field(default_factory=dict)


def plan(conn: Connection) -> Plan:
    """Classify every table of the metadata and of the database, or raise CopyError."""
    inspector = sa.inspect(conn)
    in_db = set(inspector.get_table_names())
    known = {t.name for t in metadata.sorted_tables}
    fts = conn.dialect.name == "sqlite" and FTS_TABLE in in_db
    kept = {n for n in TRIGGER_KEPT if n in in_db and conn.dialect.name == "sqlite"}
    virtual = kept | ({FTS_TABLE} if fts else set())
    shadows = {n for n in in_db for v in virtual if n.startswith(v + "_")}
    unknown = in_db - known - NOT_IN_METADATA - shadows - virtual
    if unknown:
        raise CopyError(
            f"cannot copy table(s) {', '.join(sorted(unknown))}: in the database but not in "
            "the store's metadata (scripts/replicate_plan.py)"
        )
    out = Plan([], [], [], fts=fts, kept=sorted(kept))
    for table in metadata.sorted_tables:
        if table.name not in in_db:
            raise CopyError(f"table {table.name} is in the metadata but not in the database")
        if table.name == "articles":
            continue
        _check_columns(inspector, table, out)
        if ARTICLE_ID in table.c:
            _check_copyable(table)
            out.per_article.append(table)
        elif table.name in SHARED:
            out.shared.append(table)
        elif table.name in SCALED:
            out.scaled.append(table)
        elif table.name in REBUILT:
            out.rebuilt.append(table)
        else:
            raise CopyError(
                f"cannot copy table {table.name}: it has no {ARTICLE_ID} column and is not "
                "named in SHARED, SCALED or REBUILT (scripts/replicate_plan.py); say whether "
                "copies share its rows, scale them, or need it rebuilt"
            )
    _check_columns(inspector, metadata.tables["articles"], out)
    return out


def _check_columns(inspector: sa.Inspector, table: sa.Table, out: Plan) -> None:
    """The database's columns are the metadata's, plus generated ones (PostgreSQL's
    tsvector), which fill themselves."""
    cols = inspector.get_columns(table.name)
    extra = {c["name"] for c in cols if not c.get("computed")} - set(table.c.keys())
    if extra:
        raise CopyError(
            f"cannot copy table {table.name}: column(s) {', '.join(sorted(extra))} are in the "
            "database but not in the metadata"
        )
    out.db_columns[table.name] = {c["name"] for c in cols}


def _check_copyable(table: sa.Table) -> None:
    """Per-article rows are copied with their other key columns unchanged, so a table
    keyed by a counter, or pointing at an article by another column, cannot be."""
    for fk in table.foreign_keys:
        if fk.column.table.name == "articles" and fk.parent.name != ARTICLE_ID:
            raise CopyError(f"cannot copy table {table.name}: {fk.parent.name} points at articles")
    for col in counters(table):
        for other in metadata.sorted_tables:
            if any(fk.column is col for fk in other.foreign_keys):
                raise CopyError(
                    f"cannot copy table {table.name}: {other.name} points at its counter {col.name}"
                )


def counters(table: sa.Table) -> list[sa.Column]:
    """Autoincrement keys (verdicts.id): copies get fresh values from the database."""
    return [c for c in table.primary_key.columns if c.autoincrement is True]
