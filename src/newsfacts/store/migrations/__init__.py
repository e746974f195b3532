"""Alembic environment of the store; applied by `Store.open` on both backends."""
