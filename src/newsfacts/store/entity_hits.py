"""The entity section of `Store.search`, read from the per-key summaries (issue 13).

`Store.search` (and through it `newsfacts show NAME` and `newsfacts.Library.entity`)
found entities by grouping every `entities` row whose folded name holds each word's
stem: a LIKE over every row (no index can answer '%…%'), then a count of distinct
articles per key. At 200,000 articles that was 0.7-1 s of CPU for any query, rare
or not. The same keys are found from the summaries `store.keysummary` keeps:

- a key is `type:name_norm` of its rows (`store.keys.entity_key`), except a country
  with an ISO code (`location:KZ`, the only rows with a code) and generated short
  names (`…-digest`), whose names all hold the key's text; so a key one of whose
  rows' names holds every stem is among the keys whose text after the type holds
  them, or that have a code (`entity_keys.n_code > 0`); the key's names
  (`entity_key_names`, each the display form of a row's `name_norm`) then decide;
- hidden full names (`search_norm`, issue 12) are found in `entity_names` (every
  distinct folded name, full names included), then their keys through the
  `search_norm` index, as `api.entity_search` does.

A hit counts every article of its entity (`entity_keys.n_articles`, as the API's
entity search does since the fifth session of 2026-12-07) and shows its most used
name; before, it counted the articles of the matched rows only.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import fts
from newsfacts.store.keys import fold
from newsfacts.store.schema import entities, entity_key_names, entity_keys, entity_names

_CHUNK = 500  # keys per IN (...)


def search(conn: Connection, query: str, limit: int) -> list[dict[str, Any]]:
    """Entities one of whose names (or hidden full names) holds every word stem of
    `query` (its folded text when it has no word), or whose country code it is;
    those whose name starts with the first stem first, then most articles."""
    stems = [fts.stem(w) for w in fts.words(query)]
    needle = fold(query)
    parts = stems or ([needle] if needle else [])
    if not parts:
        return []
    k = entity_keys
    in_key = [k.c.entity_key.like("%:%" + fts.like_pattern(p)[1:], escape="\\") for p in parts]
    candidates = _names(conn, sa.or_(sa.and_(*in_key), k.c.n_code > 0))
    code = query.strip().upper()
    coded = len(code) == 2 and code.isalpha()
    found = {
        key: row
        for key, row in candidates.items()
        if any(all(p in fold(name) for p in parts) for name in row[1])
        or (coded and key.split(":", 1)[1] == code)
    }
    full = sa.select(entity_names.c.name_norm).where(
        *(entity_names.c.name_norm.like(fts.like_pattern(p), escape="\\") for p in parts)
    )
    hidden = sa.select(entities.c.entity_key).where(entities.c.search_norm.in_(full)).distinct()
    extra = sorted({key for (key,) in conn.execute(hidden)} - set(found))
    for i in range(0, len(extra), _CHUNK):
        found.update(_names(conn, k.c.entity_key.in_(extra[i : i + _CHUNK])))
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))[: limit * 3]
    hits = [
        {
            "entity_key": key,
            "name": _most_used(names, key),
            "type": key.split(":", 1)[0],
            "articles": n_articles,
        }
        for key, (n_articles, names) in ranked
    ]
    # Names that start with the query come first: typing "Дос" means Досаев.
    first = parts[0]
    hits.sort(key=lambda h: (not fold(h["name"]).startswith(first), -h["articles"]))
    return hits[:limit]


def _names(
    conn: Connection, where: sa.ColumnElement[bool]
) -> dict[str, tuple[int, dict[str, int]]]:
    """The keys matching `where`: each key's article count and name votes."""
    found: dict[str, tuple[int, dict[str, int]]] = {}
    for r in conn.execute(
        sa.select(entity_keys.c.entity_key, entity_keys.c.n_articles).where(where)
    ):
        found[r.entity_key] = (int(r.n_articles), {})
    keys = sorted(found)
    ekn = entity_key_names
    for i in range(0, len(keys), _CHUNK):
        stmt = sa.select(ekn.c.entity_key, ekn.c.name, ekn.c.n).where(
            ekn.c.entity_key.in_(keys[i : i + _CHUNK])
        )
        for r in conn.execute(stmt):
            found[r.entity_key][1][r.name] = int(r.n)
    return found


def _most_used(names: dict[str, int], key: str) -> str:
    """The name most rows of the key carry (ties: the greatest, as `hydrate.
    _display_names` chose), the key's text without names."""
    if not names:
        return key.split(":", 1)[-1]
    return max(names.items(), key=lambda kv: (kv[1], kv[0]))[0]
