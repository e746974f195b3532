"""The first links of a canonical entity, earliest article first, for pages and the API.

`canonical_entity` lists an entity's links by the article's date (then article id)
up to a limit. Joining every link of the entity to `articles` and sorting them read
63,000 links of «Россия» at 200,000 articles on each dossier request (1.0 s of 2.7 s,
issue 13). Links carry their article's date (`kb_links.published`, kept equal to it
at every write: `store.linkdates`), so each id of the entity's family is read here
from its (kb_id, published) index range in that order and stops at the limit; only
the rows read are joined to `articles` (source, title, and links whose article is
gone until the next `kb.sync` are left out, as the join left them out). The cost
grows with the family's size and the limit, not with the entity's articles.

Without `articles` the join only asks that the article exists (its primary-key
index, never its row) and the rows carry the link's own date and no source or
title: reading 500 article rows for their titles was half of «Путин»'s canonical
block at 200,000 articles (8 of 15 ms), while the block shows a title only for the
few links on review (`titles_of` reads those; issue 13, seventh session).

Order within one article and date: on SQLite the rows' storage order (`rowid`),
what the former join's sort kept from its scan, so pages stay byte for byte; on
PostgreSQL, whose former order there was arbitrary, the local id.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.raw import Raw

# One arm per id of the family: its index range, joined to `articles` row by row,
# stopped at the limit. Text, not Core: building the nested selects cost more than
# running them for a small entity (4 ms against 1 ms).
_ARM = (
    "SELECT * FROM (SELECT l.article_id, l.local_id, l.kb_id, l.name, l.score, l.method,"
    " l.status, {evidence} AS evidence, {tie} AS tie, {article}"
    " FROM kb_links l JOIN articles a ON a.id = l.article_id WHERE l.kb_id = ?"
    " ORDER BY l.published, l.article_id, {tie} LIMIT ?) AS p{i}"
)
_ARTICLE = "a.source, a.published, a.title"
# The link's date equals its article's (`store.linkdates`), so the order is the same.
_LINK_ONLY = "CAST(NULL AS TEXT) AS source, l.published AS published, CAST(NULL AS TEXT) AS title"


@lru_cache(maxsize=128)
def _query(dialect: str, n_ids: int, articles: bool, evidence: bool) -> str:
    tie = "l.rowid" if dialect == "sqlite" else "l.local_id"
    fields = {
        "tie": tie,
        "article": _ARTICLE if articles else _LINK_ONLY,
        "evidence": "l.evidence" if evidence else "CAST(NULL AS TEXT)",
    }
    arms = " UNION ALL ".join(_ARM.format(i=i, **fields) for i in range(n_ids))
    if n_ids == 1:  # the arm's order already, kb_id being one: no second sort (0.5 ms)
        return arms
    return f"SELECT * FROM ({arms}) AS page ORDER BY published, article_id, kb_id, tie LIMIT ?"


def first_links(
    conn: Connection,
    kb_ids: list[str],
    limit: int,
    *,
    articles: bool = True,
    evidence: bool = True,
) -> list[tuple[Any, ...]]:
    """Links of `kb_ids` (an entity and those merged into it) whose article is
    stored, by the article's date, article id, then id in `kb_ids`' sorted order;
    the first `limit` of them, with the article's source, date and title (without
    `articles`: the link's date, no source or title), and their evidence (JSON
    text; None without `evidence`). Columns: article_id, local_id, kb_id, name,
    score, method, status, evidence, tie, source, published, title; plain tuples
    from the DBAPI cursor (`Raw`): building a SQLAlchemy row for each of «Путин»'s
    501 links cost more than reading it."""
    ids = sorted(set(kb_ids))
    if not ids or limit <= 0:
        return []
    params = [x for kb_id in ids for x in (kb_id, limit)] + ([limit] if len(ids) > 1 else [])
    return Raw(conn).all(_query(conn.dialect.name, len(ids), articles, evidence), params)


def titles_of(conn: Connection, article_ids: list[str]) -> dict[str, str | None]:
    """The stored titles of a few articles (the links on review), one read."""
    if not article_ids:
        return {}
    stmt = sa.text("SELECT id, title FROM articles WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    return {r.id: r.title for r in conn.execute(stmt, {"ids": sorted(set(article_ids))})}
