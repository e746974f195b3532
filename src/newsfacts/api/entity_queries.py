"""Entity look-ups of the API and the pages: one key's summary, name search, labels.

Split from `api.queries` (issue 13). An entity page's summary is read from the
per-key tables kept at write time (`store.keysummary`): one row of counts, the
name votes, the newest articles (by the date each `entity_articles` row carries).
What depends on the order of a key's rows (the first row's type, the first
subtype, code and country, the earlier of names with equally many votes) is read
as the first matching row of the key, in the order the old full read saw them
(SQLite: rowid order along ix_entities_entity_key), so it stops at the first match
instead of reading every row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from newsfacts.api import entity_search
from newsfacts.store import schema as t

# The articles an entity page reads (`api.aggregate.MAX_ARTICLES`).
FIRST_ARTICLES = 200


@dataclass
class EntitySummary:
    """One key across articles: `first_articles` are its newest article ids (by
    published date, undated last, then id: the ones an entity page reads),
    `article_count` how many articles hold it."""

    key: str
    type: str
    name: str
    subtype: str | None = None
    code: str | None = None
    country: str | None = None
    article_count: int = 0
    first_articles: list[str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The API shape; `aliases` is filled by the caller from the articles shown
        (`entity_views.summary_json`): every form of every row is not bounded."""
        return {
            "key": self.key,
            "type": self.type,
            "name": self.name,
            "subtype": self.subtype,
            "code": self.code,
            "country": self.country,
            "aliases": [],
            "article_count": self.article_count,
        }


class EntityQueries:
    """The entity part of `Queries` (a mixin over its engine)."""

    engine: sa.Engine

    def _rows(self, stmt: sa.Executable) -> list[sa.Row[Any]]:
        with self.engine.connect() as conn:
            return list(conn.execute(stmt))

    def entity(self, key: str, first: int = FIRST_ARTICLES) -> EntitySummary | None:
        """The key's summary, from the per-key tables; None for a key no row holds."""
        k, ekn, ea, e = t.entity_keys, t.entity_key_names, t.entity_articles, t.entities
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(k).where(k.c.entity_key == key)).first()
            if row is None:
                return None

            def first_of(column: sa.ColumnElement[Any], *cond: sa.ColumnElement[bool]) -> Any:
                stmt = sa.select(column).where(e.c.entity_key == key, *cond).limit(1)
                return conn.execute(stmt).scalar()

            votes = conn.execute(sa.select(ekn.c.name, ekn.c.n).where(ekn.c.entity_key == key))
            counts = {r.name: int(r.n) for r in votes}
            top = max(counts.values())
            tied = sorted(n for n, c in counts.items() if c == top)
            # Counter.most_common broke a tie by the first row holding the name.
            name = tied[0] if len(tied) == 1 else first_of(e.c.name, e.c.name.in_(tied))
            found: dict[str, Any] = {}
            for col in ("subtype", "code", "country"):  # the first truthy value, as before
                column = e.c[col]
                has = int(row._mapping[f"n_{col}"]) > 0
                found[col] = first_of(column, column.isnot(None), column != "") if has else None
            # The newest `first`, undated last, then by id (`Store.get_entity`'s
            # order): one range of ix_entity_articles_newest on both backends.
            ids = conn.execute(
                sa.select(ea.c.article_id)
                .where(ea.c.entity_key == key)
                .order_by(ea.c.published.desc().nulls_last(), ea.c.article_id)
                .limit(first)
            ).scalars()
            return EntitySummary(
                key=key,
                type=first_of(e.c.type),
                name=name,
                article_count=int(row.n_articles),
                first_articles=list(ids),
                **found,
            )

    def search_entities(
        self, query: str, *, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """One page of `search_entities_page`."""
        return self.search_entities_page(query, type=type, limit=limit, offset=offset)[0]

    def search_entities_page(
        self, query: str, *, type: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """Entities whose name (or hidden full name) holds `query`, as their pages show
        them, most articles first, and how many match (`api.entity_search`)."""
        with self.engine.connect() as conn:
            return entity_search.search(conn, query, type, limit, offset)

    def count_entities(self, query: str, *, type: str | None = None) -> int:
        """How many distinct entities `search_entities` would page through."""
        return self.search_entities_page(query, type=type, limit=0)[1]

    def entity_exists(self, key: str) -> bool:
        k = t.entity_keys
        return bool(self._rows(sa.select(k.c.entity_key).where(k.c.entity_key == key)))

    def names(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        """key → (most common name, type) for labelling graph nodes and links."""
        if not keys:
            return {}
        e = t.entities
        rows = self._rows(
            sa.select(e.c.entity_key, e.c.name, e.c.type).where(e.c.entity_key.in_(keys))
        )
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        types: dict[str, str] = {}
        for r in rows:
            counts[r.entity_key][r.name] += 1
            types[r.entity_key] = r.type
        return {k: (c.most_common(1)[0][0], types[k]) for k, c in counts.items()}
