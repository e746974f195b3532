"""A cross-article pass cut short is taken up by the next one (issue 13).

A bulk `load` or `ingest` saves each set chosen alone and weighs them together at
the end (`Store.deferred_sets`). Killed in between, the process used to leave the
sets alone for good: a rerun skips stored articles and the list of what waited
was in its memory. Alone, the sets of two retellings show more of the shared text
than either outlet allows (test_store_share_across). The waiting articles are now
noted in the store (`quotable_pending`) and the next deferred pass weighs them.
Runs on SQLite and, with NEWSFACTS_TEST_PG, on PostgreSQL (the `db_url` fixture).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from test_store_share_across import _over, _union

from newsfacts.model import Fact, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.store import Store
from newsfacts.store.bulk import BulkItem
from newsfacts.store.schema import quotable_pending
from policy_articles import footer_article

FIRST = "Казахстан и Узбекистан договорились построить совместный логистический центр у границы."
SECOND = "Стороны рассчитывают, что грузооборот через центр превысит миллион тонн в год."

TAILS = (
    "Редакция напоминает, что переговоры о проекте шли третий год и не раз "
    "откладывались из-за споров о тарифах и о порядке таможенного досмотра грузов.",
    "Эксперты, опрошенные нашим изданием, называют проект самым крупным в регионе "
    "за последние годы и ждут от него заметного роста транзита через обе страны.",
)


def _retelling(opening: str, tail: str, source: str, favourite: int) -> Record:
    """An outlet's retelling of the same two sentences, each within its 30% share but
    not both; each outlet's facts rank a different one first, so the sets chosen
    alone quote different sentences, and together reveal both of either article."""
    text = f"{opening}\n{FIRST} {SECOND} {tail} {tail.upper()}"
    art = footer_article(text, source, 0.3)  # the opening line is its title
    spans = [(text.index(s), text.index(s) + len(s)) for s in (FIRST, SECOND)]
    conf = [0.9, 0.6] if favourite == 0 else [0.6, 0.9]
    facts = [
        Fact(type="plan", args={"what": "центр"}, evidence=[spans[0]], confidence=conf[0]),
        Fact(type="plan", args={"what": "грузы"}, evidence=[spans[1]], confidence=conf[1]),
    ]
    return Record(article=art, entities=[], facts=facts, extractor_version="test-1")


def _records() -> list[Record]:
    return [
        _retelling("Соседи построят хаб.", TAILS[0], "kapital.kz", 0),
        _retelling("Новый хаб на границе.", TAILS[1], "kun.uz", 1),
    ]


class Killed(Exception):
    """Stands for kill -9 between the batch's commit and the pass."""


def _save_one_by_one(store: Store, records: list[Record]) -> None:
    for r in records:
        assert store.save(r)


def _save_as_batch(store: Store, records: list[Record]) -> None:
    assert store.save_many([BulkItem(r, []) for r in records]) == [True] * len(records)


def _waiting(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(sa.select(quotable_pending.c.article_id)).scalars())


def _over_share(store: Store, records: list[Record]) -> list[tuple[str, int, int]]:
    stored = store.get_records([r.article.id for r in records])
    budget = QuoteBudget(permitted=store.has_permission)
    masks = {aid: budget.shown_offsets(rec.article) for aid, rec in stored.items()}
    return _over(records, _union(records, masks))


@pytest.mark.parametrize("save", [_save_one_by_one, _save_as_batch], ids=["save", "save_many"])
def test_a_pass_cut_short_is_taken_up_by_the_next_process(
    db_url: str, save: Callable[[Store, list[Record]], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records()
    ids = {r.article.id for r in records}
    with Store.open(db_url) as store:

        def killed(_ids: object) -> int:
            raise Killed

        monkeypatch.setattr(store, "reconcile_quotable", killed)
        with pytest.raises(Killed), store.deferred_sets():
            save(store, records)
        assert _waiting(store) == ids
        assert _over_share(store, records)  # the sets alone: what the pass prevents
    with Store.open(db_url) as later:  # a later load, with nothing new to save
        with later.deferred_sets():
            pass
        assert _waiting(later) == set()
        assert not _over_share(later, records)


def test_a_completed_pass_leaves_nothing_waiting(db_url: str) -> None:
    first, second = _records()
    with Store.open(db_url) as store:
        with store.deferred_sets():
            _save_as_batch(store, [first])
        assert _waiting(store) == set()
        _save_one_by_one(store, [second])  # outside a bulk block: weighed at once
        assert _waiting(store) == set()
        assert not _over_share(store, [first, second])
