"""A random curation of the knowledge base, for the property tests of tests/kb and
tests/store that keep write-time summaries equal to a recount. Not a conftest: test
modules import it by name (pyproject's pytest `pythonpath` puts tests/ on the path).
"""

from __future__ import annotations

import random

import sqlalchemy as sa

from newsfacts.store import Store


def curate_randomly(store: Store, rng: random.Random) -> None:
    """A random merge, split or undo of the KB (links and events move between ids)."""
    from newsfacts import kb

    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT l.kb_id, l.name, e.type FROM kb_links l "
                "JOIN kb_entities e ON e.id = l.kb_id WHERE e.merged_into IS NULL "
                "ORDER BY l.article_id, l.local_id"
            )
        ).all()
    if len(rows) < 2:
        return
    try:
        action = rng.choice(["merge", "merge", "split", "undo"])
        if action == "merge":
            a, _, type_ = rng.choice(rows)
            others = sorted({r.kb_id for r in rows if r.type == type_ and r.kb_id != a})
            if others:
                kb.merge(store, a, rng.choice(others))
        elif action == "split":
            kb_id, name, _ = rng.choice(rows)
            kb.split(store, kb_id, name)
        else:
            kb.undo(store)
    except kb.CurationError:
        pass  # the same entity, different types, nothing to undo: nothing written
