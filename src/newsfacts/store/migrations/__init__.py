"""Alembic environment of the store; applied by `Store.open` on both backends.

`HEAD` is the newest revision. `Store.open` compares a store's stamp with it before
importing alembic at all: alembic's import is 0.2-0.7 s of every process that opens
a store (each `load`, `ingest`, `serve` worker), and almost every open finds the
schema current. tests/store/test_schema_head.py checks it against alembic's own
view of the revisions, so a new revision cannot forget to move it.
"""

HEAD = "0022"
