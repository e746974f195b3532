"""`get_records` loads many articles in one read; it must give exactly what
`get_record` gives one by one (entity pages and dossiers rely on it)."""

from __future__ import annotations

from store_samples import record_a, record_b, record_c

from newsfacts.store import Store


def test_get_records_equals_get_record(store: Store) -> None:
    records = [record_a(), record_b(), record_c()]
    for record in records:
        store.save(record)
    ids = [r.article.id for r in records]
    found = store.get_records([*ids, "0000000000000000", ids[0]])
    assert sorted(found) == sorted(ids)  # unknown ids absent, repeats collapsed
    for aid in ids:
        single = store.get_record(aid)
        assert single is not None
        assert found[aid].to_dict() == single.to_dict()
    assert found[ids[0]].to_dict() == records[0].to_dict()


def test_get_records_of_nothing(store: Store) -> None:
    assert store.get_records([]) == {}
    assert store.get_records(["0000000000000000"]) == {}
    assert store.get_record("0000000000000000") is None
