"""Alembic revisions of the store schema (loaded by Alembic, not imported)."""
