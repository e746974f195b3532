"""Issue 13: the search page's newest facts holding a frequent word are read through
date windows (`api.fact_window`); the page must be the full query's page, ties,
missing dates and periods included, for every limit and offset."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from newsfacts.api import fact_window
from newsfacts.api.queries import Queries
from newsfacts.model import Article, Fact, Policy, Record, article_id
from newsfacts.store import Store

WORD = "соглашение"
DAYS = [None, "2021-05-01", "2022-01-10", "2022-01-10", "2023-07-15", "2024-02-29", "2030"]


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


@pytest.fixture
def dated(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "w.db")) as store:
        for i in range(24):
            store.save(_record(i))
        rng = random.Random(13)
        with store.engine.begin() as conn:
            for (aid,) in conn.execute(sa.text("SELECT id FROM articles")).all():
                conn.execute(
                    sa.text("UPDATE articles SET published = :d WHERE id = :a"),
                    {"d": rng.choice(DAYS), "a": aid},
                )
            for aid, seq in conn.execute(sa.text("SELECT article_id, seq FROM facts")).all():
                conn.execute(
                    sa.text(
                        "UPDATE facts SET period_start = :d WHERE article_id = :a AND seq = :s"
                    ),
                    {"d": rng.choice(DAYS), "a": aid, "s": seq},
                )
        yield store


def test_windows_give_the_full_querys_page(dated: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    queries = Queries(dated.engine)
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    monkeypatch.setattr(fact_window, "DENSE_MIN", 1)
    sa.event.listen(dated.engine, "before_cursor_execute", spy)
    try:
        for first, growth in ((1, 2), (1, 4), (20, 4)):
            monkeypatch.setattr(fact_window, "_FIRST", first)
            monkeypatch.setattr(fact_window, "_GROWTH", growth)
            for limit in (1, 2, 5, 30):
                for offset in (0, 3, 40):
                    full = queries.facts(text=WORD, limit=limit, offset=offset).items
                    got = queries.facts(text=WORD, limit=limit, offset=offset, count=False)
                    assert got.items == full, (first, growth, limit, offset)
    finally:
        sa.event.remove(dated.engine, "before_cursor_execute", spy)
    assert any("UNION ALL" in s for s in seen), "no window query ran"


def test_a_rare_word_keeps_the_trigram_query(dated: Store) -> None:
    with dated.engine.connect() as conn:
        assert not fact_window.dense(conn, WORD)  # 48 of 72 facts, under DENSE_MIN (500)
        assert not fact_window.dense(conn, "со")  # too short for trigrams


def test_a_frequent_word_is_dense(dated: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fact_window, "DENSE_MIN", 47)
    with dated.engine.connect() as conn:
        assert fact_window.dense(conn, WORD)  # 48 facts hold it
        monkeypatch.setattr(fact_window, "DENSE_MIN", 48)
        assert not fact_window.dense(conn, WORD)


def test_windows_stop_where_an_even_spread_would_have_filled_them(
    dated: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word whose matches are not among the newest facts (here: none at all) stops
    windowing at `need * DENSE_SHARE * _SPREAD` facts and runs the full query; before,
    the windows grew to `_LAST` (0.38 s of 1.0 s for an old name at 200k)."""
    queries = Queries(dated.engine)
    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    monkeypatch.setattr(fact_window, "dense", lambda conn, folded: True)
    monkeypatch.setattr(fact_window, "_FIRST", 1)
    monkeypatch.setattr(fact_window, "_GROWTH", 2)
    monkeypatch.setattr(fact_window, "DENSE_SHARE", 1)
    monkeypatch.setattr(fact_window, "_SPREAD", 2)
    sa.event.listen(dated.engine, "before_cursor_execute", spy)
    try:
        got = queries.facts(text="несуществующее слово", limit=1, count=False)
    finally:
        sa.event.remove(dated.engine, "before_cursor_execute", spy)
    assert got.items == []
    assert sum("UNION ALL" in s for s in seen) == 2  # windows of 1 and 2 facts, then the full query
