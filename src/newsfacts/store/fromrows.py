"""Model objects from row values: the article and entity rows that entity pages,
dossiers and whole records read (`store.factindex`, `store.read`).

Rows are unpacked as tuples: a SQLAlchemy Row's attribute costs ~1.3 us against
~0.04 us a field unpacked, and a page reads ~1,000 rows of ~8 fields (issue 13).
"""

from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache

from newsfacts.model import Article, Entity, Policy, Repair
from newsfacts.store.keys import ident_from_key
from newsfacts.store.schema import articles

# The article columns `article_of` takes, in its order.
ARTICLE_COLUMNS = tuple(
    articles.c[name]
    for name in (
        "id",
        "text",
        "title",
        "source",
        "url",
        "published",
        "language",
        "policy",
        "repairs",
    )
)


def article_of(
    id_: str,
    text: str,
    title: str | None,
    source: str | None,
    url: str | None,
    published: str | None,
    language: str,
    policy: str,
    repairs: str,
) -> Article:
    """An article from the values of `ARTICLE_COLUMNS` (`read._article_from_row`)."""
    return Article(
        id=id_,
        text=text,
        title=title,
        source=source,
        url=url,
        published=published,
        language=language,
        policy=replace(_policy(policy)),
        # most articles have no repairs: "[]" is not parsed
        repairs=[Repair.from_dict(r) for r in json.loads(repairs)] if repairs != "[]" else [],
    )


# A store holds a handful of distinct policy strings (one per source's terms): a page
# of slices parsed the same JSON 200 times. The parsed policy is cached by string and
# each article still gets its own copy (a caller may change it).
@lru_cache(maxsize=256)
def _policy(text: str) -> Policy:
    return Policy.from_dict(json.loads(text))


def entity_of(
    local_id: str,
    key: str,
    type_: str,
    subtype: str | None,
    code: str | None,
    country: str | None,
    name: str,
    *,
    aliases: list[str],
    mentions: list[tuple[int, int]] | None = None,
    search_name: str | None = None,
) -> Entity:
    """An `entities` row's values as the record's entity; the identity a generated
    short name keeps comes back from its key (`read.entity_from_row`)."""
    return Entity(
        id=local_id,
        type=type_,
        name=name,
        mentions=mentions or [],
        subtype=subtype,
        code=code,
        country=country,
        aliases=aliases,
        ident=ident_from_key(key, type_, name),
        search_name=search_name,
    )
