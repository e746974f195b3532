"""Analysts' verdicts on entity links, replayed every time an article is (re)linked.

«Неверно» on a link says one mention in one article is not the canonical entity it
was linked to: the mention moves to an entity of its own. «Исправить» names the
entity it is. The verdict is stored by (article, mention name, wrong entity) in the
store's `verdicts` table and applied right after the linker decides, so it holds
after re-extraction and re-linking; withdrawing it and relinking restores the
linker's own decision. Facts marked wrong never reach the KB's events (events.py
reads facts through `store.verdicts.not_wrong`).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.curate import CurationError, find_entity
from newsfacts.kb.kbview import KBView
from newsfacts.kb.link import now, resolve
from newsfacts.kb.tables import kb_entities, kb_links
from newsfacts.store import keysummary
from newsfacts.store import verdicts as V
from newsfacts.store.keys import fold


def own_entity_id(article_id: str, name: str) -> str:
    """The canonical id a mention gets when an analyst says it is nobody known (stable)."""
    return "V" + hashlib.sha1(f"{article_id}:{fold(name)}".encode()).hexdigest()[:10]


def _ensure_own_entity(view: KBView, kb_id: str, like: str, name: str) -> None:
    if view.entity(kb_id) is not None:
        return
    row = view.conn.execute(sa.select(kb_entities).where(kb_entities.c.id == like)).first()
    view.create_entity(
        {
            "id": kb_id,
            "type": row.type if row else "organization",
            "subtype": row.subtype if row else None,
            "name": name,
            "code": None,
            "country": None,
            "curated": 1,
            "created_at": now(),
        }
    )


def apply_links(
    conn: Connection, article_id: str, resolved: dict[str, str], view: KBView | None = None
) -> dict[str, str]:
    """Move the article's links that an active verdict rejects; returns the new mapping.

    `view`: the linking batch's view of the KB, which must see these changes too."""
    out = dict(resolved)
    view = view or KBView(conn)
    for v in V.link_verdicts(conn, article_id):
        norm = fold(v["name"] or "")
        rows = conn.execute(sa.select(kb_links).where(kb_links.c.article_id == article_id)).all()
        for row in rows:
            if fold(row.name) != norm or view.resolve(row.kb_id) != view.resolve(v["kb_id"]):
                continue
            if v["verdict"] == "fix" and v["value"]:
                target = view.resolve(v["value"])
            else:
                target = own_entity_id(article_id, row.name)
                _ensure_own_entity(view, target, row.kb_id, row.name)
            if target != row.kb_id:  # the same id: the analyst confirms an ambiguous link
                features = json.loads(row.evidence).get("features", [])
                view.bump_features(row.kb_id, features, -1)
                view.bump_features(target, features, +1)
            with keysummary.relinking(conn, [article_id]):  # links per entity key
                conn.execute(
                    kb_links.update()
                    .where(kb_links.c.article_id == article_id, kb_links.c.local_id == row.local_id)
                    .values(kb_id=target, method="curated-verdict", status="linked", score=1.0)
                )
            out[row.local_id] = target
    view.flush()
    return out


def judge_link(
    conn: Connection,
    article_id: str,
    local_id: str,
    verdict: str,
    target: str | None = None,
    note: str | None = None,
) -> int:
    """Record a verdict on the link of mention `local_id`; the caller relinks the article."""
    row = conn.execute(
        sa.select(kb_links.c.name, kb_links.c.kb_id).where(
            kb_links.c.article_id == article_id, kb_links.c.local_id == local_id
        )
    ).first()
    if row is None:
        raise V.VerdictError(f"у статьи {article_id} нет связи {local_id}")
    value = None
    if verdict == "fix":
        if not target or not target.strip():
            raise V.VerdictError("укажите, с кем связать упоминание: имя или id из базы знаний")
        try:
            value = find_entity(conn, target.strip())
        except CurationError as exc:
            raise V.VerdictError(f"в базе знаний не нашлось {target.strip()!r}") from exc
    return V.add_link_verdict(
        conn,
        article_id,
        local_id,
        row.name,
        resolve(conn, row.kb_id),
        verdict,
        value=value,
        note=note,
    )


def links_of(conn: Connection, article_id: str) -> dict[str, dict[str, Any]]:
    """Every mention's current canonical entity in one article, for the link forms."""
    rows = conn.execute(
        sa.select(kb_links.c.local_id, kb_links.c.name, kb_links.c.kb_id, kb_links.c.method).where(
            kb_links.c.article_id == article_id
        )
    ).all()
    ids = {r.local_id: resolve(conn, r.kb_id) for r in rows}
    names = {
        r.id: r.name
        for r in conn.execute(
            sa.select(kb_entities.c.id, kb_entities.c.name).where(
                kb_entities.c.id.in_(sorted(set(ids.values())))
            )
        )
    }
    return {
        r.local_id: {
            "name": r.name,
            "kb_id": ids[r.local_id],
            "kb_name": names.get(ids[r.local_id]),
            "method": r.method,
            "own": ids[r.local_id] == own_entity_id(article_id, r.name),
        }
        for r in rows
    }


def names_of(conn: Connection, kb_ids: set[str]) -> dict[str, str]:
    """Canonical names of KB entities (merged ones by their survivor's name)."""
    ids = {k: resolve(conn, k) for k in kb_ids}
    rows = conn.execute(
        sa.select(kb_entities.c.id, kb_entities.c.name).where(
            kb_entities.c.id.in_(sorted(set(ids.values())))
        )
    )
    found = {r.id: r.name for r in rows}
    return {k: found[v] for k, v in ids.items() if v in found}


def countries_of(conn: Connection, kb_ids: set[str]) -> dict[str, str]:
    """Country codes of KB entities, so namesakes («МИД», «МИД») can be told apart."""
    if not kb_ids:
        return {}
    rows = conn.execute(
        sa.select(kb_entities.c.id, kb_entities.c.code, kb_entities.c.country).where(
            kb_entities.c.id.in_(sorted(kb_ids))
        )
    )
    return {r.id: (r.code or r.country) for r in rows if (r.code or r.country)}
