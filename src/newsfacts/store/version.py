"""The store's version: a counter bumped by every write transaction.

Pages and API answers are a function of the stored rows, the policy registry and
the request, so a counter that changes with every committed write is enough to
key ETags and a response cache (`api.cache`): equal versions mean equal answers.
The bump runs at the very end of each write transaction (`Store._write`), so it
commits together with the rows it stands for, and concurrent writers hold the
counter's row lock only while committing. A reader takes the version before it
reads anything else: a write committing in between can then only make a cached
answer look older than it is, never newer.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.schema import metadata

store_version = sa.Table(
    "store_version",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False),
)

_BUMP = store_version.update().where(store_version.c.id == 1)
_BUMP = _BUMP.values(version=store_version.c.version + 1)
_READ = sa.select(store_version.c.version).where(store_version.c.id == 1)


def bump(conn: Connection) -> None:
    """Advance the version inside the caller's write transaction."""
    conn.execute(_BUMP)


def current(conn: Connection) -> int:
    """The committed version this connection sees (0 before the table's first row)."""
    return int(conn.execute(_READ).scalar() or 0)
