"""Curation: merge, split and alias decisions, logged with before-images and undoable.

Every decision writes a `kb_curation` row holding the rows it is about to change
(entities, aliases, keys, features and links of the touched canonical ids), so
`undo` puts them back exactly. Decisions survive re-extraction because they live
where the linker looks first: curated aliases win over scoring, blocked aliases
keep a split-off name away from its old entity, and a merged entity's id — derived
from the article mention that founded it — redirects to the survivor when the
same mention comes back.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.event_stats import refresh_stale
from newsfacts.kb.events import index_article as index_events
from newsfacts.kb.link import Mention, keys_for, now, resolve
from newsfacts.kb.names import parse_person
from newsfacts.kb.tables import (
    kb_aliases,
    kb_curation,
    kb_entities,
    kb_features,
    kb_keys,
    kb_links,
)
from newsfacts.store import keysummary, linkdates
from newsfacts.store.keys import fold

SNAPSHOT_TABLES = {
    "kb_entities": (kb_entities, "id"),
    "kb_aliases": (kb_aliases, "kb_id"),
    "kb_keys": (kb_keys, "kb_id"),
    "kb_features": (kb_features, "kb_id"),
    "kb_links": (kb_links, "kb_id"),
}


class CurationError(ValueError):
    """A decision the KB refuses, with a one-line reason."""


def find_entity(conn: Connection, ref: str) -> str:
    """A canonical id from an id, an exact name or alias; merged ids resolve to the survivor."""
    row = conn.execute(sa.select(kb_entities.c.id).where(kb_entities.c.id == ref)).first()
    if row is not None:
        return resolve(conn, row.id)
    norm = fold(ref)
    ids = {
        resolve(conn, r.kb_id)
        for r in conn.execute(
            sa.select(kb_aliases.c.kb_id).where(
                kb_aliases.c.alias_norm == norm, kb_aliases.c.origin != "blocked"
            )
        )
    }
    if not ids:
        raise CurationError(f"no canonical entity matches {ref!r}")
    if len(ids) > 1:
        raise CurationError(f"{ref!r} is ambiguous: {', '.join(sorted(ids))}; use an id")
    return ids.pop()


def _snapshot(conn: Connection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    out = {}
    for name, (table, column) in SNAPSHOT_TABLES.items():
        rows = conn.execute(sa.select(table).where(table.c[column].in_(ids))).all()
        out[name] = [dict(r._mapping) for r in rows]
    return out


def _log(conn: Connection, action: str, args: dict[str, Any], ids: list[str], before: dict) -> int:
    result = conn.execute(
        kb_curation.insert().values(
            at=now(),
            action=action,
            args=json.dumps(args, ensure_ascii=False),
            before=json.dumps(before, ensure_ascii=False),
            touched=json.dumps(ids),
            undone=0,
        )
    )
    return int(result.inserted_primary_key[0])


def _articles_of(conn: Connection, ids: list[str]) -> set[str]:
    rows = conn.execute(sa.select(kb_links.c.article_id).where(kb_links.c.kb_id.in_(ids)))
    return {r.article_id for r in rows}


def reindex_events(conn: Connection, article_ids: set[str]) -> None:
    """Events are keyed by canonical ids, so a curated change re-keys its articles' events."""
    for aid in sorted(article_ids):
        links = {
            r.local_id: resolve(conn, r.kb_id)
            for r in conn.execute(
                sa.select(kb_links.c.local_id, kb_links.c.kb_id).where(kb_links.c.article_id == aid)
            )
        }
        index_events(conn, aid, links)
    refresh_stale(conn)  # the re-keyed events' counts, in the curation's transaction


def merge(conn: Connection, into: str, other: str) -> dict[str, Any]:
    """Merge `other` into `into`: links, keys, aliases and context move; `other` redirects."""
    a, b = find_entity(conn, into), find_entity(conn, other)
    if a == b:
        raise CurationError(f"{into!r} and {other!r} are already one entity ({a})")
    ta, tb = (
        conn.execute(sa.select(kb_entities.c.type).where(kb_entities.c.id == x)).scalar_one()
        for x in (a, b)
    )
    if ta != tb:
        raise CurationError(f"cannot merge a {ta} with a {tb}")
    before = _snapshot(conn, [a, b])
    touched_articles = _articles_of(conn, [a, b])
    seq = _log(conn, "merge", {"into": a, "other": b}, [a, b], before)
    with keysummary.relinking(conn, _articles_of(conn, [b])):  # links per entity key
        conn.execute(
            kb_links.update()
            .where(kb_links.c.kb_id == b)
            .values(kb_id=a, status="linked", method="curated-merge", score=1.0)
        )
    for row in before["kb_keys"]:
        if row["kb_id"] == b:
            _insert_missing(conn, kb_keys, {"key": row["key"], "kb_id": a})
    conn.execute(kb_keys.delete().where(kb_keys.c.kb_id == b))
    for row in before["kb_aliases"]:
        if row["kb_id"] == b and row["origin"] != "blocked":
            origin = "curated" if _specific(ta, row["alias"]) else "auto"
            _set_alias(conn, a, row["alias"], origin)
    for row in before["kb_features"]:
        if row["kb_id"] == b:
            _add_feature(conn, a, row["feature"], row["n"])
    conn.execute(kb_features.delete().where(kb_features.c.kb_id == b))
    conn.execute(kb_entities.update().where(kb_entities.c.id == b).values(merged_into=a))
    conn.execute(kb_entities.update().where(kb_entities.c.id == a).values(curated=1))
    reindex_events(conn, touched_articles)
    return {"seq": seq, "action": "merge", "into": a, "merged": b}


def _specific(type_: str, alias: str) -> bool:
    """Only names that pin one person (a full name) become curated aliases;
    a bare surname must stay open to the person's namesakes."""
    if type_ != "person":
        return True
    parsed = parse_person(alias)
    return parsed is not None and parsed.is_full


def split(conn: Connection, ref: str, alias: str) -> dict[str, Any]:
    """Give the mentions named `alias` their own entity and keep that name off `ref`."""
    a = find_entity(conn, ref)
    norm = fold(alias)
    moving = [
        (r.article_id, r.local_id)
        for r in conn.execute(
            sa.select(kb_links.c.article_id, kb_links.c.local_id, kb_links.c.name).where(
                kb_links.c.kb_id == a
            )
        )
        if fold(r.name) == norm
    ]
    known = conn.execute(
        sa.select(kb_aliases.c.alias).where(
            kb_aliases.c.kb_id == a, kb_aliases.c.alias_norm == norm
        )
    ).first()
    if not moving and known is None:
        raise CurationError(f"{a} has no alias {alias!r}")
    row = conn.execute(sa.select(kb_entities).where(kb_entities.c.id == a)).first()
    new = "C" + hashlib.sha1(f"{a}:{norm}:{now()}".encode()).hexdigest()[:10]
    before = _snapshot(conn, [a, new])
    touched_articles = _articles_of(conn, [a])
    seq = _log(conn, "split", {"entity": a, "alias": alias, "new": new}, [a, new], before)
    conn.execute(
        kb_entities.insert().values(
            id=new,
            type=row.type,
            subtype=row.subtype,
            name=alias,
            code=row.code,
            country=row.country,
            curated=1,
            created_at=now(),
        )
    )
    with keysummary.relinking(conn, [aid for aid, _ in moving]):  # links per entity key
        for article_id, local_id in moving:
            conn.execute(
                kb_links.update()
                .where(kb_links.c.article_id == article_id, kb_links.c.local_id == local_id)
                .values(kb_id=new, method="curated-split", status="linked", score=1.0)
            )
    conn.execute(
        kb_aliases.delete().where(kb_aliases.c.kb_id == a, kb_aliases.c.alias_norm == norm)
    )
    _set_alias(conn, a, alias, "blocked")
    _set_alias(conn, new, alias, "curated")
    keys, _ = keys_for(Mention(local_id="", type=row.type, name=alias))
    for key in keys:
        _insert_missing(conn, kb_keys, {"key": key, "kb_id": new})
    reindex_events(conn, touched_articles)
    return {"seq": seq, "action": "split", "entity": a, "new": new, "moved": len(moving)}


def alias_add(conn: Connection, ref: str, name: str) -> dict[str, Any]:
    """Teach the linker that `name` always means `ref`."""
    a = find_entity(conn, ref)
    before = _snapshot(conn, [a])
    seq = _log(conn, "alias-add", {"entity": a, "alias": name}, [a], before)
    _set_alias(conn, a, name, "curated")
    type_ = conn.execute(sa.select(kb_entities.c.type).where(kb_entities.c.id == a)).scalar_one()
    keys, _ = keys_for(Mention(local_id="", type=type_, name=name))
    for key in keys:
        _insert_missing(conn, kb_keys, {"key": key, "kb_id": a})
    conn.execute(kb_entities.update().where(kb_entities.c.id == a).values(curated=1))
    return {"seq": seq, "action": "alias-add", "entity": a, "alias": name}


def undo(conn: Connection) -> dict[str, Any]:
    """Undo the latest decision not yet undone: its touched rows return to their before-image."""
    row = conn.execute(
        sa.select(kb_curation)
        .where(kb_curation.c.undone == 0)
        .order_by(kb_curation.c.seq.desc())
        .limit(1)
    ).first()
    if row is None:
        raise CurationError("nothing to undo")
    ids = json.loads(row.touched)
    before = json.loads(row.before)
    touched_articles = _articles_of(conn, ids)
    relinked = touched_articles | {r["article_id"] for r in before["kb_links"]}
    with keysummary.relinking(conn, relinked):  # the store's links per entity key
        for name, (table, column) in SNAPSHOT_TABLES.items():
            conn.execute(table.delete().where(table.c[column].in_(ids)))
            if name == "kb_links":
                # a restored link replaces whatever the article's mention links to now
                for r in before[name]:
                    conn.execute(
                        table.delete().where(
                            table.c.article_id == r["article_id"],
                            table.c.local_id == r["local_id"],
                        )
                    )
            if before[name]:
                conn.execute(table.insert(), before[name])
    # A before-image holds the link's date when the decision was taken (none if
    # taken before 0003); the article's date may have changed since.
    linkdates.copy_dates(conn, [r["article_id"] for r in before["kb_links"]])
    conn.execute(kb_curation.update().where(kb_curation.c.seq == row.seq).values(undone=1))
    reindex_events(conn, touched_articles | {r["article_id"] for r in before["kb_links"]})
    return {"seq": row.seq, "action": row.action, "undone": json.loads(row.args)}


def history(conn: Connection, limit: int = 50) -> list[dict[str, Any]]:
    rows = conn.execute(
        sa.select(
            kb_curation.c.seq,
            kb_curation.c.at,
            kb_curation.c.action,
            kb_curation.c.args,
            kb_curation.c.undone,
        )
        .order_by(kb_curation.c.seq.desc())
        .limit(limit)
    )
    return [
        {
            "seq": r.seq,
            "at": r.at,
            "action": r.action,
            "args": json.loads(r.args),
            "undone": bool(r.undone),
        }
        for r in rows
    ]


def review(conn: Connection, limit: int = 100) -> list[dict[str, Any]]:
    """Ambiguous links with their candidates, for a curator to merge or leave apart."""
    rows = conn.execute(
        sa.select(kb_links)
        .where(kb_links.c.status == "ambiguous")
        .order_by(kb_links.c.score, kb_links.c.article_id, kb_links.c.local_id)
        .limit(limit)
    ).all()
    cand_ids = sorted({c[0] for r in rows for c in json.loads(r.candidates)})
    names = {
        r.id: r.name
        for r in conn.execute(
            sa.select(kb_entities.c.id, kb_entities.c.name).where(kb_entities.c.id.in_(cand_ids))
        )
    }
    return [
        {
            "article_id": r.article_id,
            "local_id": r.local_id,
            "name": r.name,
            "kb_id": r.kb_id,
            "candidates": [
                {"kb_id": c, "name": names.get(c, c), "score": s}
                for c, s in json.loads(r.candidates)
            ],
            "evidence": json.loads(r.evidence),
        }
        for r in rows
    ]


def _insert_missing(conn: Connection, table: sa.Table, values: dict[str, Any]) -> None:
    cond = [table.c[k] == v for k, v in values.items()]
    if conn.execute(sa.select(*table.primary_key.columns).where(*cond)).first() is None:
        conn.execute(table.insert().values(**values))


def _set_alias(conn: Connection, kb_id: str, alias: str, origin: str) -> None:
    norm = fold(alias)
    conn.execute(
        kb_aliases.delete().where(kb_aliases.c.kb_id == kb_id, kb_aliases.c.alias_norm == norm)
    )
    conn.execute(
        kb_aliases.insert().values(kb_id=kb_id, alias_norm=norm, alias=alias, origin=origin)
    )


def _add_feature(conn: Connection, kb_id: str, feature: str, n: int) -> None:
    updated = conn.execute(
        kb_features.update()
        .where(kb_features.c.kb_id == kb_id, kb_features.c.feature == feature)
        .values(n=kb_features.c.n + n)
    )
    if not updated.rowcount:
        conn.execute(kb_features.insert().values(kb_id=kb_id, feature=feature, n=n))
