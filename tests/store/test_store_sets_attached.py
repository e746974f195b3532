"""Issue 13: the narrow reads (`get_articles`, `fact_slices`) attach each article's
stored quotable set in one read, and an article whose set row is missing (stored
before the sets) gets the set its whole record gives, as `get_records` does."""

from __future__ import annotations

from newsfacts.store import Store
from newsfacts.store.schema import quotable


def test_stored_and_missing_sets_as_whole_records_give_them(filled: Store) -> None:
    ids = sorted(filled.get_records(_all(filled)))
    gone = ids[0]
    with filled.engine.begin() as conn:  # an article stored before quotable sets
        conn.execute(quotable.delete().where(quotable.c.article_id == gone))
    whole = filled.get_records(ids)
    bare = filled.get_articles(ids)
    assert set(bare) == set(ids)
    for aid in ids:
        want = whole[aid].article.quotable
        assert want is not None
        assert bare[aid].quotable == want, aid
    slices = filled.fact_slices("location:KZ", ids, mentioned=True)  # every article's slice
    for aid, sl in slices.items():
        assert sl.record.article.quotable == whole[aid].article.quotable, aid
    assert gone in slices


def _all(store: Store) -> list[str]:
    return [a["id"] for a in store.list_articles(limit=100, include_duplicates=True)]
