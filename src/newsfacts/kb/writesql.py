"""The SQL text of `KBView`'s batched writes, the same on SQLite and PostgreSQL
except where PostgreSQL takes one array per column in one statement (`Raw.many`).

Built once (per table and column list for the upserts), not compiled per call: a
load sends these for every batch of articles (issue 13).
"""

from __future__ import annotations

import sqlalchemy as sa

from newsfacts.kb.raw import marks

# PostgreSQL: the same with one array per column, as one statement (`Raw.many`)
UPDATE_FEATURES_PG = (
    "UPDATE kb_features SET n = kb_features.n + u.s"
    " FROM unnest(?::bigint[], ?::text[], ?::text[]) AS u(s, kb_id, feature)"
    " WHERE kb_features.kb_id = u.kb_id AND kb_features.feature = u.feature"
)

# keysummary's upsert of link counts; on PostgreSQL from arrays (`Raw.many`), the
# pairs being distinct
KEY_LINKS = (
    "INSERT INTO entity_key_links (entity_key, kb_id, n) VALUES (?, ?, ?)"
    " ON CONFLICT (entity_key, kb_id) DO UPDATE SET n = entity_key_links.n + excluded.n"
)
KEY_LINKS_PG = (
    "INSERT INTO entity_key_links (entity_key, kb_id, n)"
    " SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[])"
    " ON CONFLICT (entity_key, kb_id) DO UPDATE SET n = entity_key_links.n + excluded.n"
)

_UPSERTS: dict[tuple[str, tuple[str, ...], tuple[str, ...]], str] = {}


def upsert_sql(table: sa.Table, cols: tuple[str, ...], update: tuple[str, ...]) -> str:
    """`INSERT … ON CONFLICT (primary key) DO NOTHING | DO UPDATE`, the same text on
    SQLite and PostgreSQL, built once per table and column list."""
    key = (table.name, cols, update)
    sql = _UPSERTS.get(key)
    if sql is None:
        pk = ", ".join(f'"{c.name}"' for c in table.primary_key.columns)
        names = ", ".join(f'"{c}"' for c in cols)
        action = (
            "DO UPDATE SET " + ", ".join(f'"{c}" = excluded."{c}"' for c in update)
            if update
            else "DO NOTHING"
        )
        sql = _UPSERTS[key] = (
            f'INSERT INTO "{table.name}" ({names}) VALUES {marks(len(cols))}'
            f" ON CONFLICT ({pk}) {action}"
        )
    return sql
