"""Writing and reading each article's effective policy and quotable set.

The store keeps the policy that actually governs an article (its own footer, else
the registry entry for its domain, else the default; plus a grant) in the
`articles.policy` column, and the spans it may ever show in the `quotable` table
(`policy.quotable`). Both are derived here, in the article's own transaction, so
no reader ever sees an article without them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Policy, Record
from newsfacts.policy.quotable import QuotableSet, choose
from newsfacts.policy.registry import PolicyRegistry, default_registry, source_key
from newsfacts.store.schema import articles, permissions, quotable


def effective_policy(
    record: Record, registry: PolicyRegistry | None = None, granted: bool = False
) -> Policy:
    """Footer first, then the registry (domain, then default), with the grant flag."""
    art = record.article
    if art.policy.origin == "footer":
        base = replace(art.policy)
    else:
        base = (registry or default_registry()).lookup(art.source, art.url)
    base.granted = granted
    return base


def is_granted(conn: Connection, source: str | None, url: str | None) -> bool:
    key = source_key(source, url)
    if not key:
        return False
    row = conn.execute(sa.select(permissions.c.source).where(permissions.c.source == key))
    return row.first() is not None


def with_policy(conn: Connection, record: Record, registry: PolicyRegistry | None) -> Record:
    """`record`, its article's policy set to the effective one (the column the store
    writes): the caller's record then says what the store says."""
    art = record.article
    art.policy = effective_policy(record, registry, is_granted(conn, art.source, art.url))
    return record


def write_set(conn: Connection, record: Record) -> QuotableSet:
    art = record.article
    chosen = choose(record, art.policy, has_url=bool(art.url))
    conn.execute(quotable.delete().where(quotable.c.article_id == art.id))
    conn.execute(
        quotable.insert().values(
            article_id=art.id,
            version=chosen.version,
            allowance=chosen.allowance,
            pieces=chosen.to_json(),
        )
    )
    return chosen


def attach_sets(conn: Connection, records: dict[str, Record]) -> None:
    """Give each record's article its stored set (computed when a row is missing)."""
    if not records:
        return
    rows = conn.execute(sa.select(quotable).where(quotable.c.article_id.in_(list(records))))
    found = {r.article_id: r for r in rows}
    for aid, record in records.items():
        art = record.article
        row = found.get(aid)
        if row is not None:
            art.quotable = QuotableSet.from_row(
                len(art.text), row.allowance, row.pieces, row.version
            )
        else:  # written by an older version and not yet rebuilt
            art.quotable = choose(record, art.policy, has_url=bool(art.url))


def set_grant(conn: Connection, key: str, granted: bool) -> int:
    """Flip the stored policy's grant flag on every article of source `key`."""
    n = 0
    rows = conn.execute(
        sa.select(articles.c.id, articles.c.source, articles.c.url, articles.c.policy)
    )
    for r in list(rows):
        if source_key(r.source, r.url) != key:
            continue
        policy = Policy.from_dict(json.loads(r.policy))
        if policy.granted != granted:
            policy.granted = granted
            conn.execute(
                articles.update()
                .where(articles.c.id == r.id)
                .values(policy=json.dumps(asdict(policy), ensure_ascii=False))
            )
            n += 1
    return n


def missing_sets(conn: Connection) -> list[str]:
    query = (
        sa.select(articles.c.id)
        .outerjoin(quotable, quotable.c.article_id == articles.c.id)
        .where(quotable.c.article_id.is_(None))
    )
    return [r.id for r in conn.execute(query)]


def policy_json(policy: Policy) -> str:
    return json.dumps(asdict(policy), ensure_ascii=False)


def ids_or_all(conn: Connection, ids: Sequence[str] | None) -> list[str]:
    if ids is not None:
        return list(ids)
    return [r.id for r in conn.execute(sa.select(articles.c.id))]
