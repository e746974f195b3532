"""Alembic runs this with the connection `Store.open` hands over in
`config.attributes["connection"]`, so migrations share the store's engine settings
(SQLite pragmas, the psycopg driver) and never open a second connection to the file.

To write a new revision: `alembic -c <ini with script_location = newsfacts.store:migrations>
revision -m "..."`, then spell out the change with `op.*` calls.
"""

from __future__ import annotations

from alembic import context

from newsfacts.store import kbtables  # noqa: F401  (registers the KB tables on the MetaData)
from newsfacts.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs `alembic` by hand
    raise RuntimeError("newsfacts migrations run through Store.open(), which passes a connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
