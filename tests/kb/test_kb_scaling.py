"""Bounded linking cost, asserted structurally: every statement that linking one
article runs reads through an index, so its cost does not grow with the store (the
timings themselves are measured by scripts/bench_kb.py, never by a unit test)."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from kb_corpus_helpers import gold_record

from newsfacts import kb
from newsfacts.store import Store


def test_linking_one_article_never_scans_a_table(
    kb_store: Store, corpus: list[dict[str, Any]]
) -> None:
    if kb_store.dialect != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    statements: list[tuple[str, Any]] = []

    def capture(
        conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool
    ) -> None:
        if not many and statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
            statements.append((statement, params))

    rec = gold_record(corpus[29], version="2")  # re-extracted: unlink + link + events + story
    kb_store.save(rec)
    sa.event.listen(kb_store.engine, "before_cursor_execute", capture)
    try:
        kb.link_article(kb_store, rec.article.id)
    finally:
        sa.event.remove(kb_store.engine, "before_cursor_execute", capture)
    assert len(statements) > 20
    scans = []
    with kb_store.engine.connect() as conn:
        raw = conn.connection.driver_connection
        for statement, params in statements:
            plan = raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
            for row in plan:
                detail = row[-1]
                # a full scan, or a search by a low-selectivity index (fact type); a
                # scan of a derived table ("anon_N") reads a LIMITed subquery's rows,
                # whose own plan lines are checked here too
                if (
                    detail.startswith("SCAN")
                    and "USING" not in detail
                    and not detail.startswith("SCAN anon_")
                ) or "ix_facts_type" in detail:
                    scans.append((detail, statement.split("\n")[0][:80]))
    assert scans == [], scans
