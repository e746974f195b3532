"""The knowledge-base rows one linking batch reads and writes, held in memory.

Linking an article used to cost about 170 SQL statements (three or four per mention:
curated aliases, blocked aliases, candidates, features, existence, then one insert
or update per key, alias and feature). A `KBView` answers those reads from a cache
filled by a few set-based queries per article (every blocking key, every name and
every candidate of the article at once) and kept current by the batch's own writes,
and it queues the writes and sends them as one multi-row statement per table when
the article is done (`flush`). The decisions are the same as reading the tables
row by row: a cached row is either read from the store or written by this view, and
nothing else writes the knowledge base while the batch holds the write transaction.

A view lives for one write transaction; `flush` before anything else reads the
tables through the connection (the story finder reads `kb_links`). In `sync` the
view spans a batch: its reads are made for the whole batch up front (link.prefetch),
and the context counts, which only the linker reads, are written once at the end of
the batch as increments (`defer_features`), not read back and rewritten per article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.raw import IN_CHUNK, Raw, in_chunks, marks
from newsfacts.kb.tables import kb_aliases, kb_entities, kb_keys, kb_links
from newsfacts.kb.writesql import KEY_LINKS, KEY_LINKS_PG, UPDATE_FEATURES_PG, upsert_sql
from newsfacts.store import keysummary

CANDIDATE_ROWS = 200  # at most this many (entity, key) rows per lookup, as before


@dataclass
class Entity:
    id: str
    type: str
    name: str
    merged_into: str | None
    curated: bool
    subtype: str | None = None  # stories leave countries out of an article's entities


def _chunks(values: Iterable[Any]) -> Iterable[Sequence[Any]]:
    """The distinct values, sorted, one IN list at a time."""
    return in_chunks(sorted(set(values)))


class KBView:
    """Cached reads and queued writes of the KB tables for one linking transaction."""

    def __init__(self, conn: Connection, *, defer_features: bool = False) -> None:
        self.conn = conn
        # `sync`: context counts are written once per batch (`flush(features=True)`);
        # until then reads add the batch's changes to the counts stored before it.
        self.defer_features = defer_features
        self.raw = Raw(conn)  # the hot reads and writes, as prebuilt SQL (raw.py)
        self.entities: dict[str, Entity | None] = {}  # None: known not to exist
        self.keys: dict[str, list[tuple[str, str]]] = {}  # key -> [(kb_id, key)]
        self.names: dict[str, list[tuple[str, str, str]]] = {}  # norm -> [(kb_id, origin, type)]
        self.features: dict[tuple[str, str], int | None] = {}  # stored count; None: no row
        self._deltas: dict[tuple[str, str], list[int]] = {}  # this batch's, in order
        self._changed: dict[str, set[str]] = {}  # kb_id -> features with deltas (`home`)
        self._created: set[str] = set()  # entities this view founded: no stored rows
        self._inserted: set[tuple[str, str]] = set()  # their feature rows written since
        self._new_entities: list[dict[str, Any]] = []
        self._new_keys: dict[tuple[str, str], None] = {}
        self._new_aliases: dict[tuple[str, str], dict[str, Any]] = {}
        self._renames: dict[str, str] = {}
        self._links: list[dict[str, Any]] = []
        self._linked: list[tuple[str, str | None, str]] = []  # kb_articles rows
        self._entity_keys: dict[tuple[str, str], str] = {}
        self._key_links: dict[tuple[str, str], int] | None = None  # see count_key_links

    # ------------------------------------------------------------------ loading

    def load_keys(self, keys: Iterable[str]) -> None:
        """Read every (entity, key) row of these blocking keys, with the entities."""
        missing = [k for k in set(keys) if k not in self.keys]
        for chunk in _chunks(missing):
            for key in chunk:
                self.keys[key] = []
            rows = self.raw.all(
                'SELECT k."key", e.id, e.type, e.name, e.merged_into, e.curated, e.subtype'
                " FROM kb_keys k JOIN kb_entities e ON e.id = k.kb_id"
                f' WHERE k."key" IN {marks(len(chunk))}',
                chunk,
            )
            for key, kb_id, type_, name, merged_into, curated, subtype in rows:
                self.keys[key].append((kb_id, key))
                if kb_id not in self.entities or self.entities[kb_id] is None:
                    self.entities[kb_id] = Entity(
                        kb_id, type_, name, merged_into, bool(curated), subtype
                    )

    def load_names(self, norms: Iterable[str]) -> None:
        """Read the curated and blocked aliases of these folded names."""
        missing = [n for n in set(norms) if n not in self.names]
        for chunk in _chunks(missing):
            for norm in chunk:
                self.names[norm] = []
            rows = self.raw.all(
                "SELECT a.alias_norm, a.kb_id, a.origin, e.type"
                " FROM kb_aliases a JOIN kb_entities e ON e.id = a.kb_id"
                f" WHERE a.alias_norm IN {marks(len(chunk))}"
                " AND a.origin IN ('curated', 'blocked')",
                chunk,
            )
            for norm, kb_id, origin, type_ in rows:
                self.names[norm].append((kb_id, origin, type_))

    def load_entities(self, ids: Iterable[str]) -> None:
        missing = [i for i in set(ids) if i not in self.entities]
        for chunk in _chunks(missing):
            for kb_id in chunk:
                self.entities[kb_id] = None
            rows = self.raw.all(
                "SELECT id, type, name, merged_into, curated, subtype FROM kb_entities"
                f" WHERE id IN {marks(len(chunk))}",
                chunk,
            )
            for kb_id, type_, name, merged_into, curated, subtype in rows:
                self.entities[kb_id] = Entity(
                    kb_id, type_, name, merged_into, bool(curated), subtype
                )

    def _load_features(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Read the stored counts of these (entity, feature) pairs not read yet."""
        missing = sorted({p for p in pairs if p not in self.features})
        for kb_id, feat in missing:
            if kb_id in self._created:
                self.features[(kb_id, feat)] = None
        missing = [p for p in missing if p not in self.features]
        wanted = set(missing)
        # One statement for the entities x features asked (a `has_features` call asks
        # exactly such a product), not one per entity: each was a round trip on
        # PostgreSQL. (kb_id, feature) is the primary key, so each pair is an index probe.
        ids = sorted({k for k, _ in missing})
        feats = sorted({f for _, f in missing})
        for id_chunk in in_chunks(ids, IN_CHUNK // 2):
            for feat_chunk in _chunks(feats):
                rows = self.raw.all(
                    "SELECT kb_id, feature, n FROM kb_features"
                    f" WHERE kb_id IN {marks(len(id_chunk))}"
                    f" AND feature IN {marks(len(feat_chunk))}",
                    [*id_chunk, *feat_chunk],
                )
                for kb_id, feature, n in rows:
                    if (kb_id, feature) in wanted:
                        self.features[(kb_id, feature)] = n
        for pair in missing:
            self.features.setdefault(pair, None)

    def _count(self, pair: tuple[str, str]) -> int | None:
        """The count after this batch's changes (None: no row), as if each change had
        been written when it was made: a missing row is created only by a positive
        change, and a row that reaches 0 stays (reads ignore it)."""
        n = self.features[pair]
        for delta in self._deltas.get(pair, ()):
            if n is not None:
                n += delta
            elif delta > 0:
                n = delta
        return n

    # ------------------------------------------------------------------ reading

    def candidates(self, keys: list[str], type_: str) -> list[dict[str, Any]]:
        """Live entities of this type sharing a key, by id (first key of each)."""
        self.load_keys(keys)
        rows = sorted(
            {
                (kb_id, key)
                for k in keys
                for kb_id, key in self.keys[k]
                if (ent := self.entities.get(kb_id)) is not None and ent.type == type_
            }
        )[:CANDIDATE_ROWS]
        out: dict[str, dict[str, Any]] = {}
        for kb_id, key in rows:
            ent = self.entities[kb_id]
            assert ent is not None
            if ent.merged_into is None and kb_id not in out:
                out[kb_id] = {"id": kb_id, "name": ent.name, "key": key}
        return list(out.values())

    def aliases(self, norm: str, origin: str) -> list[tuple[str, str]]:
        """(kb id, type) of the entities holding this folded name as a curated or
        blocked alias."""
        self.load_names([norm])
        return [(kb_id, type_) for kb_id, o, type_ in self.names[norm] if o == origin]

    def has_features(self, kb_ids: list[str], wanted: set[str]) -> dict[str, set[str]]:
        """Which of the `wanted` features each entity has with a positive count."""
        out: dict[str, set[str]] = {}
        if not wanted or not kb_ids:
            return out
        pairs = [(k, f) for k in sorted(set(kb_ids)) for f in sorted(wanted)]
        self._load_features(pairs)
        for pair in pairs:
            if (self._count(pair) or 0) > 0:
                out.setdefault(pair[0], set()).add(pair[1])
        return out

    def home(self, kb_id: str) -> str | None:
        """The country feature ("in:…") an entity has counted most, ties by name."""
        rows = self.raw.all(
            "SELECT feature, n FROM kb_features WHERE kb_id = ? AND feature LIKE ?",
            (kb_id, "in:%"),
        )
        for feature, n in rows:
            self.features[(kb_id, feature)] = n
        pairs = {(kb_id, feature) for feature, _ in rows}
        pairs |= {(kb_id, f) for f in self._changed.get(kb_id, ()) if f.startswith("in:")}
        self._load_features(pairs)
        counts = {f: n for (_, f) in pairs if (n := self._count((kb_id, f))) is not None}
        if not counts:
            return None
        return min(counts, key=lambda f: (-counts[f], f))

    def entity(self, kb_id: str) -> Entity | None:
        self.load_entities([kb_id])
        return self.entities[kb_id]

    def resolve(self, kb_id: str) -> str:
        """Follow merges to the surviving entity."""
        seen = set()
        while kb_id not in seen:
            seen.add(kb_id)
            ent = self.entity(kb_id)
            if ent is None or ent.merged_into is None:
                return kb_id
            kb_id = ent.merged_into
        return kb_id

    # ------------------------------------------------------------------ writing

    def create_entity(self, row: dict[str, Any]) -> None:
        self._new_entities.append(row)
        self._created.add(row["id"])
        self.entities[row["id"]] = Entity(
            row["id"], row["type"], row["name"], None, bool(row.get("curated")), row.get("subtype")
        )

    def add_keys(self, kb_id: str, keys: Iterable[str]) -> None:
        keys = sorted(set(keys))
        self.load_keys(keys)
        for key in keys:
            if all(eid != kb_id for eid, _ in self.keys[key]):
                self.keys[key].append((kb_id, key))
                self._new_keys[(key, kb_id)] = None

    def add_alias(self, kb_id: str, norm: str, alias: str, origin: str) -> None:
        """Queue an alias; one the entity already has keeps its origin."""
        self._new_aliases.setdefault(
            (kb_id, norm), {"kb_id": kb_id, "alias_norm": norm, "alias": alias, "origin": origin}
        )

    def rename(self, kb_id: str, name: str) -> None:
        ent = self.entity(kb_id)
        if ent is not None:
            ent.name = name
        self._renames[kb_id] = name

    def bump_features(self, kb_id: str, features: Iterable[str], delta: int) -> None:
        """Add `delta` to each feature's count (applied to the stored rows at flush)."""
        for feat in sorted(set(features)):
            self._deltas.setdefault((kb_id, feat), []).append(delta)
            self._changed.setdefault(kb_id, set()).add(feat)

    def add_links(self, rows: list[dict[str, Any]]) -> None:
        self._links.extend(rows)

    def mark_linked(self, article_id: str, extractor_version: str | None, at: str) -> None:
        """Queue the article's `kb_articles` row (written after its links)."""
        self._linked.append((article_id, extractor_version, at))

    # ------------------------------------------------------------------ flushing

    def _insert(self, table: sa.Table, rows: list[dict[str, Any]], update: list[str]) -> None:
        """Insert many rows with one prepared statement; a row whose key exists is
        skipped, or has its `update` columns overwritten."""
        if not rows:
            return
        cols = list(rows[0])
        self.raw.many(
            upsert_sql(table, tuple(cols), tuple(update)), ([r[c] for c in cols] for r in rows)
        )

    def flush(self, *, features: bool = False) -> None:
        """Send the queued writes: one multi-row statement per table and chunk.

        Context counts go too unless the view defers them (`sync`), then only when
        `features` is true: at the end of the batch."""
        self._insert(kb_entities, self._new_entities, [])
        self._insert(kb_keys, [{"key": k, "kb_id": i} for k, i in self._new_keys], [])
        self._insert(kb_aliases, list(self._new_aliases.values()), [])
        if self._renames:
            self.raw.many(
                "UPDATE kb_entities SET name = ? WHERE id = ?",
                [(v, k) for k, v in sorted(self._renames.items())],
            )
        if self._key_links is not None:  # first links: counted here, written per batch
            for r in self._links:
                key = self._entity_keys.get((r["article_id"], r["local_id"]))
                if key is not None:
                    pair = (key, r["kb_id"])
                    self._key_links[pair] = self._key_links.get(pair, 0) + 1
            self._insert(kb_links, self._links, [])
        else:
            with keysummary.relinking(self.conn, [r["article_id"] for r in self._links]):
                self._insert(kb_links, self._links, [])  # the store's links per entity key
        # a plain insert, as one article at a time wrote it: linking one twice fails
        self.raw.many(
            "INSERT INTO kb_articles (article_id, extractor_version, linked_at) VALUES (?, ?, ?)",
            self._linked,
        )
        self._new_entities, self._new_keys, self._new_aliases = [], {}, {}
        self._renames, self._links, self._linked = {}, [], []
        if features or not self.defer_features:
            self._flush_features()
            self._flush_key_links()

    def count_key_links(self, entity_keys: dict[tuple[str, str], str]) -> None:
        """For a batch of articles linked for the first time (no links to take back):
        count the store's links per entity key (`entity_key_links`) from the links as
        they are queued, each mention's key from `entity_keys` ((article, local id) →
        its `entities.entity_key`), and add the counts once at the end of the batch,
        instead of `keysummary.relinking` reading them back around every article's
        insert (two reads an article). Nothing reads the counts during the batch."""
        self._entity_keys, self._key_links = entity_keys, {}

    def _flush_key_links(self) -> None:
        if not self._key_links:
            return
        rows = [(k, i, n) for (k, i), n in sorted(self._key_links.items()) if n]
        self.raw.many(KEY_LINKS, rows, arrays=KEY_LINKS_PG)
        self._key_links = {}

    def _flush_features(self) -> None:
        """Apply the queued count changes as increments, reading nothing: a stored row
        gets the changes' sum, a missing one is created by its first positive change
        with the sum from there on (what applying them one by one gives, `_count`)."""
        created: list[tuple[str, str, int]] = []
        updated: list[tuple[int, str, str]] = []
        for pair in sorted(self._deltas):
            deltas = self._deltas[pair]
            first = next((i for i, d in enumerate(deltas) if d > 0), None)
            if first is not None:
                created.append((pair[0], pair[1], sum(deltas[first:])))
            # An entity this view founded has no stored rows but those it inserted:
            # no increment for its others (most of a first load's pairs, issue 13).
            stored = pair[0] not in self._created or pair in self._inserted
            if (total := sum(deltas)) and stored:
                updated.append((total, pair[0], pair[1]))
            if pair in self.features:  # keep a cached count current; others read anew
                self.features[pair] = self._count(pair)
        # stored rows first, then the missing ones (a stored row is skipped there)
        self.raw.many(
            "UPDATE kb_features SET n = n + ? WHERE kb_id = ? AND feature = ?",
            updated,
            arrays=UPDATE_FEATURES_PG,
        )
        self.raw.many(
            "INSERT INTO kb_features (kb_id, feature, n) VALUES (?, ?, ?)"
            " ON CONFLICT (kb_id, feature) DO NOTHING",
            created,
        )
        self._inserted.update((k, f) for k, f, _ in created if k in self._created)
        self._deltas, self._changed = {}, {}
