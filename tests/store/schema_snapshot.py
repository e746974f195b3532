"""A store's schema and seed rows as plain data, to compare two stores' schemas.

Used by test_store_fresh_schema.py: a fresh store created from the metadata must
equal one migrated step by step from empty, on either backend.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def snapshot(conn: Connection) -> dict[str, Any]:
    """Tables with their columns in order (type, nullability, default), primary
    key, foreign keys, indexes and unique constraints; backend objects outside the
    inspector (SQLite's virtual tables and triggers, PostgreSQL's index definitions,
    generated columns and extensions); and every table's rows."""
    insp = sa.inspect(conn)
    out: dict[str, Any] = {}
    for name in sorted(insp.get_table_names()):
        columns = [
            (c["name"], str(c["type"]), c["nullable"], _default(c.get("default")))
            for c in insp.get_columns(name)
        ]
        pk = insp.get_pk_constraint(name)["constrained_columns"]
        fks = sorted(
            (
                tuple(f["constrained_columns"]),
                f["referred_table"],
                tuple(f["referred_columns"]),
                (f.get("options") or {}).get("ondelete"),
            )
            for f in insp.get_foreign_keys(name)
        )
        indexes = sorted(
            (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(name)
        )
        uniques = sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(name))
        rows = sorted(map(tuple, conn.execute(sa.text(f'SELECT * FROM "{name}"'))), key=repr)
        out[name] = {
            "columns": columns,
            "pk": pk,
            "fks": fks,
            "indexes": indexes,
            "uniques": uniques,
            "rows": rows,
        }
    if conn.dialect.name == "sqlite":
        out["sqlite_master"] = sorted(
            (kind, name, table, _sql(sql))
            for kind, name, table, sql in conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master "
                "WHERE type IN ('trigger', 'view') OR sql LIKE 'CREATE VIRTUAL%'"
            )
        )
    else:
        out["pg_indexes"] = sorted(
            conn.exec_driver_sql(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = current_schema()"
            )
        )
        out["pg_generated"] = sorted(
            conn.exec_driver_sql(
                "SELECT table_name, column_name, generation_expression "
                "FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'"
            )
        )
        out["pg_extensions"] = sorted(conn.exec_driver_sql("SELECT extname FROM pg_extension"))
        out["pg_constraints"] = sorted(
            conn.exec_driver_sql(
                "SELECT conrelid::regclass::text, contype, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE connamespace = current_schema()::regnamespace"
            )
        )
    return out


def _default(value: Any) -> str | None:
    return None if value is None else re.sub(r"\s+", " ", str(value)).strip("'() ")


def _sql(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()
