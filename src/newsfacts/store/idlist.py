"""A list of ids bound as one parameter: `column IN (the list)` on both backends.

SQLAlchemy's expanding IN renders one bind per value at every execution: a page of
slices sends ~7 statements of 200 ids, and rendering them was ~2 ms of a 20 ms call
at 200,000 articles (issue 13). Here the list is one value: a JSON array read back by
SQLite's `json_each` (as `api.fact_order` and `store.textruns` already do), a `text[]`
compared with `= ANY` on PostgreSQL. The SQL text no longer depends on the number of
ids, so each statement is compiled once and SQLite's own statement cache reuses it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal


class IdList(sa.types.TypeDecorator[Sequence[str]]):
    """A sequence of strings: a JSON array on SQLite, a text[] on PostgreSQL."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(sa.Text))
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: Sequence[str] | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return list(value)
        return json.dumps(list(value), ensure_ascii=False)


class _Among(sa.sql.expression.ColumnElement[bool]):
    """`column` is one of the values of the list parameter `ids` (see `among`)."""

    inherit_cache = True
    type = sa.Boolean()
    # a comparison already: without this SQLite (no native boolean) would get `… = 1`,
    # which hides the IN from its planner (a scan of every article)
    _is_implicitly_boolean = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("ids", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: sa.ColumnElement[Any], ids: sa.BindParameter[Any]) -> None:
        self.column = column
        self.ids = ids


def among(column: sa.ColumnElement[Any], name: str) -> sa.ColumnElement[bool]:
    """`column IN (the ids of parameter `name`)`, the ids passed as one list."""
    return _Among(column, sa.bindparam(name, type_=IdList()))


@compiles(_Among)
def _any(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY({compiler.process(element.ids, **kw)})"


@compiles(_Among, "sqlite")
def _json_each(element: _Among, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} IN (SELECT value FROM json_each({compiler.process(element.ids, **kw)}))"
