"""Issue 13: the search page's newest facts holding a text are read newest day first
from the trigram index (`api.fact_order`); the page must be the full query's page,
ties, missing dates, non-dates and periods included, for every limit and offset,
and the index's dated rowids must follow every change of a fact's date."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsfacts.api import fact_order
from newsfacts.api.entity_search import like
from newsfacts.api.queries import Queries
from newsfacts.model import Article, Fact, Policy, Record, article_id
from newsfacts.store import Store, trigram
from newsfacts.store import verdicts as V
from newsfacts.store.keys import fold
from newsfacts.store.schema import facts

WORD = "соглашение"
# Sort keys of every kind: none, days, a month, a year, and strings that are no
# date (an impossible day, a glued year, a word), which sort as strings.
DAYS = [
    None,
    "2021-05-01",
    "2022-01-10",
    "2022-01-10",
    "2022-01",
    "2023-07-15",
    "2024-02-29",
    "2030",
    "2024-02-31",
    "20245",
    "позже",
]


def _record(i: int) -> Record:
    text = f"Материал номер {i}. Стороны подписали {WORD} о сотрудничестве. Прочие новости дня."
    article = Article(
        id=article_id(text),
        text=text,
        title=f"Заголовок {i}",
        source="inform.kz",
        url=f"https://inform.kz/news/{i}",
        published="2022-01-10",
        policy=Policy(),
    )
    at = text.index("Стороны")
    facts = [
        Fact(type="deal", args={"topic": f"{WORD} о сотрудничестве {i}"}, evidence=[(at, at + 30)]),
        Fact(type="deal", args={"topic": f"поставки техники {i}"}, evidence=[(at, at + 30)]),
        Fact(type="deal", args={"topic": f"новое {WORD} {i}"}, evidence=[(at, at + 30)]),
    ]
    return Record(article=article, entities=[], facts=facts, extractor_version="t")


def _redate(store: Store, seed: int) -> None:
    """Random publication dates and periods, written past the store's API."""
    rng = random.Random(seed)
    with store.engine.begin() as conn:
        for (aid,) in conn.execute(sa.text("SELECT id FROM articles")).all():
            conn.execute(
                sa.text("UPDATE articles SET published = :d WHERE id = :a"),
                {"d": rng.choice(DAYS), "a": aid},
            )
        for aid, seq in conn.execute(sa.text("SELECT article_id, seq FROM facts")).all():
            conn.execute(
                sa.text("UPDATE facts SET period_start = :d WHERE article_id = :a AND seq = :s"),
                {"d": rng.choice(DAYS), "a": aid, "s": seq},
            )


@pytest.fixture
def dated(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "w.db")) as store:
        for i in range(24):
            store.save(_record(i))
        _redate(store, 13)
        yield store


def _index_rows(store: Store) -> set[tuple[int, str, int]]:
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT rowid, article_id, seq FROM {trigram.TABLE}")
        return {(int(r[0]), r[1], int(r[2])) for r in rows}


def _expected_rows(store: Store) -> set[tuple[int, str, int]]:
    rowid = trigram.rowid_sql("f.period_start", "f.article_id", "f.rowid")
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(f"SELECT {rowid}, f.article_id, f.seq FROM facts f")
        return {(int(r[0]), r[1], int(r[2])) for r in rows}


def test_walk_gives_the_full_querys_page(dated: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = Queries(dated.engine)
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa.event.listen(dated.engine, "before_cursor_execute", spy)
    try:
        for first in (1, 4):
            monkeypatch.setattr(fact_order, "FIRST", first)
            monkeypatch.setattr(fact_order, "_MIN_BATCH", 1)
            for text in (WORD, "о сотрудничестве 1", "поставки", "нет такого"):
                for limit in (1, 2, 5, 30):
                    for offset in (0, 3, 40):
                        full = queries.facts(text=text, limit=limit, offset=offset).items
                        got = queries.facts(text=text, limit=limit, offset=offset, count=False)
                        assert got.items == full, (first, text, limit, offset)
    finally:
        sa.event.remove(dated.engine, "before_cursor_execute", spy)
    assert any("ORDER BY rowid DESC" in s for s in seen), "the walk did not run"


def test_walk_stops_before_the_older_matches(dated: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of one fact reads a first batch and the rest of its last day, not all
    48 matches of the word."""
    queries = Queries(dated.engine)
    listed: list[int] = []
    real = fact_order._listed

    def spy(rowids: list[int]):  # type: ignore[no-untyped-def]
        listed.append(len(rowids))
        return real(rowids)

    monkeypatch.setattr(fact_order, "_listed", spy)
    monkeypatch.setattr(fact_order, "_MIN_BATCH", 1)
    monkeypatch.setattr(fact_order, "FIRST", 1)
    got = queries.facts(text=WORD, limit=1, count=False).items
    read = sum(listed[:-1])  # the last list is the hits the page is ordered from
    assert got == queries.facts(text=WORD, limit=1).items
    assert 1 <= read < 48


def test_index_rows_follow_every_change_of_a_date(tmp_path: Path) -> None:
    """Saving, re-dating articles and periods, re-saving with another date and
    deleting (also by a cascade from the article) keep each fact's row at
    `bucket << 32 | rowid` of its current date."""
    with Store.open(str(tmp_path / "t.db")) as store:
        for i in range(6):
            store.save(_record(i))
        assert _index_rows(store) == _expected_rows(store)
        _redate(store, 1)
        assert _index_rows(store) == _expected_rows(store)
        moved = _record(2)
        moved.article.published = "2019-03-04"
        store.save(moved)
        assert _index_rows(store) == _expected_rows(store)
        store.delete_article(_record(3).article.id)
        with store.engine.begin() as conn:  # a cascade, past the store's API
            conn.execute(
                sa.text("DELETE FROM articles WHERE id = :a"), {"a": _record(4).article.id}
            )
        assert _index_rows(store) == _expected_rows(store)
        assert len(_index_rows(store)) == 3 * 4


def test_buckets_order_like_the_keys() -> None:
    """Two keys in different dated buckets compare as their buckets do; non-dates
    go to TOP, no key to 0."""
    keys = ["2021", "2021-01", "2021-01-01", "2021-01-02", "2021-02", "2021-12-31x", "2022"]
    keys += ["2024-02-29", "2024-03", "2024-03-01T10:00"]
    with sa.create_engine("sqlite://").connect() as conn:

        def bucket(k: str | None) -> int:
            return int(
                conn.execute(sa.text(f"SELECT {trigram.bucket_sql(':k')}"), {"k": k}).scalar()
            )

        for a in keys:
            for b in keys:
                if 0 < bucket(a) < bucket(b):
                    assert a < b, (a, b)
        assert bucket(None) == 0
        for odd in ("2024-02-31", "20245", "2024-1", "позже", ""):
            assert bucket(odd) == trigram.TOP, odd
        assert bucket("2021") == bucket("2021-01") == bucket("2021-01-01")


def _like_count(store: Store, text: str) -> int:
    """The text filter's total as the full query counts it: every fact read and
    LIKE-tested, less those marked wrong."""
    stmt = sa.select(sa.func.count()).where(
        facts.c.args_text.like(like(fold(text)), escape="\\"), V.not_wrong()
    )
    with store.engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def _odd_record() -> Record:
    """Arguments with LIKE's wildcards, Latin capitals, «ё» and quotes in them."""
    text = "Сделка века. Kaspi_Bank купил 100% «Ёлки» за один день, сообщили в банке."
    article = Article(id=article_id(text), text=text, title="Сделка века", policy=Policy())
    at = text.index("Kaspi")
    args = {"topic": "Kaspi_Bank купил 100% «Ёлки»", "buyer": 'ООО "Ёлка" и KASPI'}
    facts_ = [Fact(type="deal", args=args, evidence=[(at, at + 20)])]
    return Record(article=article, entities=[], facts=facts_, extractor_version="t")


TOTAL_TEXTS = [WORD, "о сотрудничестве 1", "поставки", "нет такого", "СОГЛАШЕНИЕ о"]
TOTAL_TEXTS += ["Kaspi_B", "100%", "ЁЛКИ", "i_b", "kaspi", '"ёлка"', "0%", "a_b", "%»"]


def test_text_total_counted_in_the_index(dated: Store) -> None:
    """A text-only list's total comes from the trigram index (eighth session of
    2026-12-07) and equals the full query's LIKE count, wildcards, capitals and «ё»
    included; facts marked wrong, once or twice, are left out of it."""
    dated.save(_odd_record())
    queries = Queries(dated.engine)
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    sa.event.listen(dated.engine, "before_cursor_execute", spy)
    totals = [queries.facts(text=text, limit=3).total for text in TOTAL_TEXTS]
    sa.event.remove(dated.engine, "before_cursor_execute", spy)
    counted = [s for s in seen if "count(" in s]  # two texts are too short for trigrams
    in_index = [s for s in counted if f"count(*) FROM {trigram.TABLE} WHERE" in s]
    assert len(in_index) == len(TOTAL_TEXTS) - 2 == len(counted) - 2, counted
    assert totals == [_like_count(dated, text) for text in TOTAL_TEXTS]
    with dated.engine.begin() as conn:
        held = conn.execute(
            sa.select(facts.c.article_id, facts.c.seq).where(facts.c.args_text.like(f"%{WORD}%"))
        ).first()
        assert held is not None
        V.add_fact_verdict(conn, held[0], held[1], "wrong")
        V.add_fact_verdict(conn, held[0], held[1], "wrong")
        other = conn.execute(
            sa.select(facts.c.article_id, facts.c.seq).where(facts.c.args_text.like("%поставки%"))
        ).first()
        V.add_fact_verdict(conn, other[0], other[1], "wrong")
    before = len(_index_rows(dated))
    for text in TOTAL_TEXTS:
        assert queries.facts(text=text, limit=3).total == _like_count(dated, text), text
    assert queries.facts(text=WORD, limit=500).total == len(
        queries.facts(text=WORD, limit=500).items
    )
    assert len(_index_rows(dated)) == before
