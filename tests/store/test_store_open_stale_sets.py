"""Issue 13: `Store.open` finds articles whose quotable set is missing or was chosen
by older rules from two counts and the oldest version (`store.quotable.missing_sets`),
not by reading every article and set, and still rebuilds exactly those sets."""

from __future__ import annotations

import sqlalchemy as sa

from newsfacts.policy.quotable import VERSION
from newsfacts.store import Store
from newsfacts.store import quotable as qset
from newsfacts.store.schema import quotable


def _sets(store: Store) -> dict[str, tuple[int, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(quotable.c.article_id, quotable.c.version, quotable.c.pieces))
        return {aid: (version, pieces) for aid, version, pieces in rows}


def test_a_current_store_has_nothing_stale(filled: Store) -> None:
    with filled.engine.connect() as conn:
        assert qset.missing_sets(conn) == []


def test_one_missing_set_and_one_older_set_are_found_and_chosen_again(
    filled: Store, db_url: str
) -> None:
    before = _sets(filled)
    assert len(before) == 3
    gone, old, kept = sorted(before)
    with filled.engine.begin() as conn:  # a set chosen by older rules
        conn.execute(quotable.update().where(quotable.c.article_id == old).values(version=1))
    with filled.engine.connect() as conn:  # as many sets as articles: the version tells
        assert qset.missing_sets(conn) == [old]
    with filled.engine.begin() as conn:  # an article stored before the sets
        conn.execute(quotable.delete().where(quotable.c.article_id == gone))
    with filled.engine.connect() as conn:
        assert sorted(qset.missing_sets(conn)) == sorted([gone, old])
    filled.close()
    with Store.open(db_url) as reopened:
        after = _sets(reopened)
        with reopened.engine.connect() as conn:
            assert qset.missing_sets(conn) == []
    assert after == before  # the same sets, each at the current version
    assert {version for version, _ in after.values()} == {VERSION}
    assert kept in after
