"""Analysts' verdicts on facts: «неверно» hides a fact, «исправить» replaces one argument.

A verdict names its fact by what the fact says — (article_id, type, args as stored) —
not by its position, so re-extracting the article (which deletes and renumbers its
facts) brings the verdict back onto the same fact. Everything that lists facts asks
`not_wrong()` for a SQL condition, so counts, pages and exports agree.
Link verdicts share the table; the knowledge base applies them (`kb.verdicts`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.schema import facts, verdicts

VERDICTS = ("wrong", "fix")
MAX_VALUE = 500


class VerdictError(ValueError):
    """A verdict that cannot be recorded, with a one-line reason in Russian."""


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def active() -> sa.ColumnElement[bool]:
    return verdicts.c.undone == 0


def _same_fact() -> sa.ColumnElement[bool]:
    return sa.and_(
        verdicts.c.target == "fact",
        verdicts.c.article_id == facts.c.article_id,
        verdicts.c.fact_type == facts.c.type,
        verdicts.c.fact_args == facts.c.args,
    )


def not_wrong() -> sa.ColumnElement[bool]:
    """True for a fact no analyst has marked wrong (use in any query over `facts`)."""
    wrong = sa.select(verdicts.c.id).where(_same_fact(), active(), verdicts.c.verdict == "wrong")
    return ~sa.exists(wrong)


def add_fact_verdict(
    conn: Connection,
    article_id: str,
    seq: int,
    verdict: str,
    *,
    field: str | None = None,
    value: str | None = None,
    note: str | None = None,
    name: str | None = None,
) -> int:
    """Record a verdict on the fact stored at (article_id, seq); returns its id."""
    if verdict not in VERDICTS:
        raise VerdictError(f"неизвестное решение {verdict!r}")
    row = conn.execute(
        sa.select(facts.c.type, facts.c.args).where(
            facts.c.article_id == article_id, facts.c.seq == seq
        )
    ).first()
    if row is None:
        raise VerdictError(f"факт {seq} статьи {article_id} не найден")
    if verdict == "fix":
        if not field or value is None or not value.strip():
            raise VerdictError("для исправления укажите поле и новое значение")
        if len(value) > MAX_VALUE:
            raise VerdictError(f"новое значение длиннее {MAX_VALUE} символов")
    result = conn.execute(
        verdicts.insert().values(
            at=_now(),
            target="fact",
            verdict=verdict,
            article_id=article_id,
            fact_type=row.type,
            fact_args=row.args,
            local_id=str(seq),
            name=name,
            field=field if verdict == "fix" else None,
            value=value.strip() if verdict == "fix" and value else None,
            note=note,
        )
    )
    return int(result.inserted_primary_key[0])


def add_link_verdict(
    conn: Connection,
    article_id: str,
    local_id: str,
    name: str,
    kb_id: str,
    verdict: str,
    *,
    value: str | None = None,
    note: str | None = None,
) -> int:
    """Record that the mention `name` in an article is not `kb_id` (or is `value`)."""
    if verdict not in VERDICTS:
        raise VerdictError(f"неизвестное решение {verdict!r}")
    result = conn.execute(
        verdicts.insert().values(
            at=_now(),
            target="link",
            verdict=verdict,
            article_id=article_id,
            local_id=local_id,
            name=name,
            kb_id=kb_id,
            value=value,
            note=note,
        )
    )
    return int(result.inserted_primary_key[0])


def fact_verdicts(
    conn: Connection, article_ids: list[str] | None = None
) -> dict[tuple[str, int], dict[str, Any]]:
    """(article_id, seq) → the latest active verdict on the fact stored there now."""
    stmt = (
        sa.select(facts.c.article_id, facts.c.seq, verdicts)
        .select_from(facts.join(verdicts, _same_fact()))
        .where(active())
        .order_by(verdicts.c.id)
    )
    if article_ids is not None:
        if not article_ids:
            return {}
        stmt = stmt.where(facts.c.article_id.in_(sorted(set(article_ids))))
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for r in conn.execute(stmt):
        m = dict(r._mapping)
        key = (m["article_id"], int(m["seq"]))
        prev = out.get(key)
        if prev is not None and prev["verdict"] == "wrong" and m["verdict"] == "fix":
            continue  # «неверно» wins over a later correction of one argument
        fixes = dict(prev["fixes"]) if prev else {}
        if m["verdict"] == "fix":
            fixes[m["field"]] = m["value"]
        out[key] = {
            "id": m["id"],
            "verdict": m["verdict"],
            "fixes": fixes,
            "at": m["at"],
        }
    return out


def link_verdicts(conn: Connection, article_id: str) -> list[dict[str, Any]]:
    """Active link verdicts of one article, oldest first (a later one overrides)."""
    stmt = (
        sa.select(verdicts)
        .where(verdicts.c.target == "link", verdicts.c.article_id == article_id, active())
        .order_by(verdicts.c.id)
    )
    return [dict(r._mapping) for r in conn.execute(stmt)]


def all_verdicts(conn: Connection, limit: int = 200) -> list[dict[str, Any]]:
    """The newest verdicts, undone ones included; a fact verdict carries the seq its
    fact has now (`found`: None when the article no longer has that fact)."""
    now_at = sa.select(facts.c.seq).where(_same_fact()).limit(1).scalar_subquery()
    stmt = sa.select(verdicts, now_at.label("found")).order_by(verdicts.c.id.desc()).limit(limit)
    return [dict(r._mapping) for r in conn.execute(stmt)]


def get(conn: Connection, verdict_id: int) -> dict[str, Any] | None:
    row = conn.execute(sa.select(verdicts).where(verdicts.c.id == verdict_id)).first()
    return dict(row._mapping) if row else None


def undo(conn: Connection, verdict_id: int) -> dict[str, Any]:
    """Withdraw a verdict; returns it (the caller relinks the article of a link verdict)."""
    row = get(conn, verdict_id)
    if row is None or row["undone"]:
        raise VerdictError(f"решения {verdict_id} нет или оно уже отменено")
    conn.execute(verdicts.update().where(verdicts.c.id == verdict_id).values(undone=1))
    return row


def wrong_conds(conn: Connection) -> list[sa.ColumnElement[bool]]:
    """[not_wrong()] when any fact is marked wrong, else [] (no per-fact probe to pay)."""
    stmt = sa.select(verdicts.c.id).where(
        verdicts.c.target == "fact", verdicts.c.verdict == "wrong", active()
    )
    return [not_wrong()] if conn.execute(stmt.limit(1)).first() else []


def wrong_holding(conn: Connection, pattern: str) -> int:
    """How many facts marked wrong have `args_text` LIKE `pattern` (escape '\\'):
    what a count of the facts holding a text subtracts (`trigram.count_holding`).
    Read from the active verdicts, a few rows, not from the facts."""
    wrong = (
        sa.select(facts.c.article_id, facts.c.seq)
        .select_from(verdicts.join(facts, _same_fact()))
        .where(active(), verdicts.c.verdict == "wrong")
        .where(facts.c.args_text.like(pattern, escape="\\"))
        .distinct()
        .subquery()
    )
    return int(conn.execute(sa.select(sa.func.count()).select_from(wrong)).scalar_one())
