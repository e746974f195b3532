"""Entity search by name, read from the per-key summary tables (issue 13).

A key matches when one of its rows has a folded name (`name_norm`) or hidden full
name (`search_norm`, issue 12) that holds the folded query. Grouping the matching
rows counted every row of every matched name: 80,000 rows for «Россия» in a
200,000-article store (0.24 s alone, seconds under load), growing with the store.
Here the cost grows with the number of distinct keys, not of rows:

- A key is built from its row's folded name (`store.keys.entity_key`):
  `type:name_norm`, with `-ident` after a generated short name, except a country
  with an ISO code (`location:KZ`), and only such rows carry a code. So the keys
  one of whose names holds the query are among the keys whose text after the
  type holds it, or that have a code (`entity_keys.n_code > 0`); each candidate's
  names (`entity_key_names`, whose fold is the row's `name_norm`) then decide.
- Hidden full names are on short-form rows only; their keys are read from those
  rows (one index range per full name that holds the query).

A hit is the entity as its page shows it (`EntityQueries.entity`): the name most of
its rows carry, its first subtype, and `article_count` = every article that
mentions it (`entity_keys.n_articles`). Before, a hit counted only the articles of
the matched names and showed the largest matched name; the entity page the hit
links to then disagreed with it, and that count needed every row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import schema as t
from newsfacts.store.keys import fold

_CHUNK = 500  # keys per IN (...)


def like(text: str) -> str:
    """A LIKE '%…%' pattern with wildcards escaped. A NUL becomes U+FFFD: PostgreSQL
    refuses NUL in a text parameter (HTTP 500 before), and stored text holds none."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "%" + escaped.replace("\x00", "\ufffd") + "%"


@dataclass
class _Key:
    key: str
    n_articles: int
    n_subtype: int
    names: dict[str, int] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.key.split(":", 1)[0]


def _keys(conn: Connection, where: sa.ColumnElement[bool]) -> dict[str, _Key]:
    """The `entity_keys` rows matching `where`, each with its name votes."""
    k, ekn = t.entity_keys, t.entity_key_names
    found: dict[str, _Key] = {}
    stmt = sa.select(k.c.entity_key, k.c.n_articles, k.c.n_subtype).where(where)
    for r in conn.execute(stmt):
        found[r.entity_key] = _Key(r.entity_key, int(r.n_articles), int(r.n_subtype))
    keys = sorted(found)
    for i in range(0, len(keys), _CHUNK):
        chunk = keys[i : i + _CHUNK]
        names = sa.select(ekn.c.entity_key, ekn.c.name, ekn.c.n).where(ekn.c.entity_key.in_(chunk))
        for r in conn.execute(names):
            found[r.entity_key].names[r.name] = int(r.n)
    return found


def _matches(conn: Connection, query: str, type: str | None) -> list[_Key]:
    """Every key one of whose rows has a name or hidden full name holding `query`."""
    k, e, n = t.entity_keys, t.entities, t.entity_names
    needle = fold(query).replace("\x00", "\ufffd")
    by_name = sa.or_(k.c.entity_key.like("%:" + like(needle), escape="\\"), k.c.n_code > 0)
    found = {
        key: row
        for key, row in _keys(conn, by_name).items()
        if any(needle in fold(name) for name in row.names)
    }
    # Hidden full names: the distinct keys of the short-form rows standing for them.
    full = sa.select(n.c.name_norm).where(n.c.name_norm.like(like(needle), escape="\\"))
    hidden = sa.select(e.c.entity_key).where(e.c.search_norm.in_(full)).distinct()
    extra = [key for (key,) in conn.execute(hidden) if key not in found]
    for i in range(0, len(extra), _CHUNK):
        found.update(_keys(conn, k.c.entity_key.in_(extra[i : i + _CHUNK])))
    return [row for row in found.values() if type is None or row.type == type]


def _first(conn: Connection, key: str, column: Any, *cond: Any) -> Any:
    """The first row's value, in the order the entity page reads a key's rows."""
    e = t.entities
    return conn.execute(sa.select(column).where(e.c.entity_key == key, *cond).limit(1)).scalar()


def _hit(conn: Connection, row: _Key) -> dict[str, Any]:
    """The key as its entity page names it (`EntityQueries.entity`)."""
    e = t.entities
    top = max(row.names.values(), default=0)
    tied = sorted(name for name, c in row.names.items() if c == top)
    # Counter.most_common broke a tie by the first row holding the name.
    if len(tied) == 1:
        name = tied[0]
    else:
        name = _first(conn, row.key, e.c.name, e.c.name.in_(tied)) if tied else row.key
    subtype = None
    if row.n_subtype > 0:
        subtype = _first(conn, row.key, e.c.subtype, e.c.subtype.isnot(None), e.c.subtype != "")
    return {
        "key": row.key,
        "type": row.type,
        "name": name,
        "subtype": subtype,
        "article_count": row.n_articles,
    }


def search(
    conn: Connection, query: str, type: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of matching entities, most articles first (ties by key), and how
    many match in all."""
    found = _matches(conn, query, type)
    found.sort(key=lambda r: (-r.n_articles, r.key))
    return [_hit(conn, row) for row in found[offset : offset + limit]], len(found)
