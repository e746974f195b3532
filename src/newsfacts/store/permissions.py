"""Editors' permissions to quote a source in full (`Store`'s permissions part)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import quotable as qset
from newsfacts.store.base import StoreBase, StoreError, _now
from newsfacts.store.schema import (
    permissions,
)


class PermissionsMixin(StoreBase):
    """Grant, revoke and list permissions; the quotable sets follow each change."""

    def grant_permission(self, source: str) -> bool:
        """Record the editors' permission to quote `source` in full; True if new."""
        source = _source_key(source)
        with self._write() as conn:
            if _has_permission(conn, source):
                return False
            conn.execute(permissions.insert().values(source=source, granted_at=_now()))
            qset.set_grant(conn, source, True)
        return True

    def revoke_permission(self, source: str) -> bool:
        """Forget a permission; True if there was one."""
        source = _source_key(source)
        with self._write() as conn:
            result = conn.execute(permissions.delete().where(permissions.c.source == source))
            qset.set_grant(conn, source, False)
        return bool(result.rowcount)

    def has_permission(self, source: str | None) -> bool:
        if not source or not source.strip():
            return False
        with self._read() as conn:
            return _has_permission(conn, _source_key(source))

    def permission_check(self) -> Callable[[str | None], bool]:
        """`has_permission` for one response, every grant read in one query at its
        first question: a dossier asked it for each of ~12 sources, each question its
        own read transaction (4-5 ms of the page at 200k, issue 13). The grants are
        the editors' few; a failing read fails closed in `QuoteBudget._grant`."""
        granted: set[str] | None = None

        def permitted(source: str | None) -> bool:
            nonlocal granted
            if not source or not source.strip():
                return False
            if granted is None:
                granted = {p["source"] for p in self.permissions()}
            return _source_key(source) in granted

        return permitted

    def permissions(self) -> list[dict[str, str]]:
        with self._read() as conn:
            rows = conn.execute(sa.select(permissions).order_by(permissions.c.source))
            return [dict(r._mapping) for r in rows]


def _source_key(source: str) -> str:
    if not source or not source.strip():
        raise StoreError("a permission needs a source name")
    return source.strip().lower()


def _has_permission(conn: Connection, source: str) -> bool:
    row = conn.execute(
        sa.select(permissions.c.source).where(permissions.c.source == source)
    ).first()
    return row is not None
