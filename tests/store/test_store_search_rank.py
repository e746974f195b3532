"""Article search in two phases (issue 13, sixth session of 2026-12-07): the
`WINDOW` newest matches ranked by the backend's score (bm25 / ts_rank) then newest
first, the other matches after them, newest first. A query with at most `WINDOW`
matches keeps the exact ranking; a longer limit only appends (pages of the answer
neither overlap nor skip); duplicates are left out unless asked for."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from store_samples import make_record

from newsfacts.store import Store, fts
from newsfacts.store import fts_rank as search_mod
from newsfacts.store import quotable as qset
from newsfacts.store.schema import articles

WORD = "товарооборот"
N = 30


@pytest.fixture
def ranked(store: Store) -> Store:
    """N articles, each published on its own day but saved in shuffled order (so
    stored order is not date order), the word repeated 1-6 times (several scores),
    one without a date, every fourth a duplicate of the first."""
    days = [(date(2022, 1, 1) + timedelta(days=3 * i)).isoformat() for i in range(N)]
    days[11] = None  # type: ignore[call-overload]
    order = list(range(N))
    random.Random(7).shuffle(order)
    records = []
    for i in order:
        reps = 1 + (i * 7) % 6
        words = " ".join([f"{WORD.capitalize()} вырос."] * reps)
        filler = " ".join(["Стороны обсудили поставки техники."] * (1 + i % 4))
        text = f"Материал {i}. {words} {filler}"
        records.append(
            make_record(
                text,
                title=f"Заголовок {i}",
                source="inform.kz",
                published=days[i],
                ents=[],
                facts=[],
            )
        )
    for record in records:
        store.save(record)
    ids = sorted(r.article.id for r in records)
    with store.engine.begin() as conn:
        for aid in ids[1::4]:
            conn.execute(articles.update().where(articles.c.id == aid).values(duplicate_of=ids[0]))
    return store


def _matches(store: Store) -> list[tuple[str, float, str | None, bool]]:
    """Every match: (id, score where lower ranks first, date, is a duplicate)."""
    if store.dialect == "sqlite":
        sql = (
            "SELECT a.id, bm25(articles_fts, 0.0, 10.0, 1.0) AS s, a.published, a.duplicate_of "
            "FROM articles_fts JOIN articles a ON a.id = articles_fts.article_id "
            "WHERE articles_fts MATCH :q"
        )
    else:
        q = "to_tsquery('russian', :q)"
        sql = (
            f"SELECT a.id, -ts_rank(a.tsv, {q}) AS s, a.published, a.duplicate_of "
            f"FROM articles a WHERE a.tsv @@ {q}"
        )
    tsq = fts.sqlite_match(WORD) if store.dialect == "sqlite" else fts.pg_tsquery(WORD)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.text(sql), {"q": tsq})
        return [(r[0], r[1], r[2], r[3] is not None) for r in rows]


def _newest_first(rows: list[tuple[str, float, str | None, bool]]) -> list:
    dated = sorted((r for r in rows if r[2] is not None), key=lambda r: r[2], reverse=True)
    return dated + [r for r in rows if r[2] is None]


def _expected(store: Store, window: int, duplicates: bool) -> list[str]:
    """The documented order, computed from every match's score and date."""
    newest = _newest_first(_matches(store))
    inside = sorted(newest[:window], key=lambda r: r[1])  # stable: ties stay newest first
    order = inside + newest[window:]
    return [r[0] for r in order if duplicates or not r[3]]


def _ids(store: Store, limit: int, duplicates: bool = False, snippets: bool = False) -> list[str]:
    hits = store.search_articles(
        WORD, limit=limit, include_duplicates=duplicates, snippets=snippets
    )
    return [h["id"] for h in hits]


def test_few_matches_keep_the_exact_ranking(ranked: Store) -> None:
    """N matches, a window of 2,000: the answer is the full ranking, best first."""
    for duplicates in (False, True):
        want = _expected(ranked, len(_matches(ranked)), duplicates)
        for limit in (1, 2, 5, 12, 40):
            assert _ids(ranked, limit, duplicates) == want[:limit], (limit, duplicates)
            bare = ranked.search_article_ids(WORD, limit, include_duplicates=duplicates)
            assert bare == want[:limit], (limit, duplicates)
    scores = {r[0]: r[1] for r in _matches(ranked)}
    got = [scores[i] for i in _ids(ranked, 40)]
    assert got == sorted(got)  # best score first, whatever the dates


@pytest.mark.parametrize("window", [1, 5, 8, 29, 30])
def test_a_window_ranks_the_newest_matches_and_the_rest_follow_newest_first(
    ranked: Store, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    monkeypatch.setattr(search_mod, "WINDOW", window)
    for duplicates in (False, True):
        want = _expected(ranked, window, duplicates)
        assert _ids(ranked, 40, duplicates) == want, (window, duplicates)
        assert _ids(ranked, 40, duplicates, snippets=True) == want
        # the ids alone (what the article list and the search page ask for), read
        # without the hits' listed columns, in the same order and batches
        for limit in (1, 7, 9, 40):
            bare = ranked.search_article_ids(WORD, limit, include_duplicates=duplicates)
            assert bare == want[:limit], (window, duplicates, limit)
        if window < N - 1:  # the window matters here: not the global ranking
            assert want != _expected(ranked, N, duplicates)


@pytest.mark.parametrize("window", [5, 2000])
def test_pages_neither_overlap_nor_skip(
    ranked: Store, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """Every page of k hits is the next k of one total order, however the window
    falls: a longer limit only appends."""
    monkeypatch.setattr(search_mod, "WINDOW", window)
    full = _ids(ranked, 40)
    assert len(full) == len(set(full)) == len([r for r in _matches(ranked) if not r[3]])
    for k in (1, 3, 4, 7):
        pages = [_ids(ranked, k * (p + 1))[k * p : k * (p + 1)] for p in range(len(full) // k + 1)]
        assert [i for page in pages for i in page] == full, k


def test_snippets_are_the_hits_own(ranked: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Snippets are made for the hits only, each from its own row, inside and
    outside the window alike, and shown within each article's quotable set."""
    monkeypatch.setattr(search_mod, "WINDOW", 5)
    with_text = ranked.search_articles(WORD, limit=12)
    assert [h["id"] for h in with_text] == _ids(ranked, 12)
    if ranked.dialect == "sqlite":
        sql = sa.text(
            "SELECT a.id, a.title, a.published, a.source, a.url, "
            "snippet(articles_fts, 2, '', '', '…', 24) AS snippet FROM articles_fts "
            "JOIN articles a ON a.id = articles_fts.article_id "
            "WHERE articles_fts MATCH :q AND a.id IN :ids"
        ).bindparams(sa.bindparam("ids", expanding=True))
        with ranked.engine.connect() as conn:
            rows = conn.execute(sql, {"q": fts.sqlite_match(WORD), "ids": _ids(ranked, 12)})
            want = {r.id: dict(r._mapping) for r in rows}
            qset.within_sets(conn, list(want.values()))
        assert with_text == [want[h["id"]] for h in with_text]


def test_candidates_are_read_only_as_far_as_the_answer_needs(
    ranked: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small limit reads a few article rows (for `duplicate_of`), not the whole
    window (the API asks 500 hits: 2,000 rows read before, issue 13)."""
    if ranked.dialect != "sqlite":
        pytest.skip("PostgreSQL filters duplicates inside its query")
    monkeypatch.setattr(search_mod, "_READ_FIRST", 1)
    read: list[int] = []

    def count(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        if "duplicate_of" in statement and "json_each" in statement:  # one batch of rowids
            read.append(len(json.loads(params[0])))

    sa.event.listen(ranked.engine, "before_cursor_execute", count)
    try:
        hits = _ids(ranked, 2)
    finally:
        sa.event.remove(ranked.engine, "before_cursor_execute", count)
    assert hits == _expected(ranked, 2000, False)[:2]
    assert 0 < sum(read) < 8  # 22 originals match; 30 with duplicates


def test_the_window_is_read_without_scoring_every_match(
    ranked: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite: one MATCH pass returns at most WINDOW rows (newest first, by rowid),
    whatever the number of matches."""
    if ranked.dialect != "sqlite":
        pytest.skip("the FTS5 pass")
    monkeypatch.setattr(search_mod, "WINDOW", 6)
    returned: list[int] = []

    def spy(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        if "bm25" in statement:
            assert "ORDER BY rowid DESC LIMIT" in statement
            returned.append(1)

    sa.event.listen(ranked.engine, "before_cursor_execute", spy)
    try:
        _ids(ranked, 3)
    finally:
        sa.event.remove(ranked.engine, "before_cursor_execute", spy)
    assert returned == [1]


def test_postgres_turns_sequential_scans_off_for_the_window_only(ranked: Store) -> None:
    """The window's statements run without sequential scans (a frequent prefix
    scanned every tsvector); the rest of the transaction keeps the setting."""
    if ranked.dialect != "postgresql":
        pytest.skip("a PostgreSQL planner setting")
    from newsfacts.store.pg_rank import pg_ranked

    seen: list[str] = []

    def spy(conn, cursor, statement, params, context, many) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    with ranked.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = on")
        sa.event.listen(ranked.engine, "before_cursor_execute", spy)
        try:
            hits = pg_ranked(conn, fts.pg_tsquery(WORD) or "", 5, False, False)
        finally:
            sa.event.remove(ranked.engine, "before_cursor_execute", spy)
        assert len(hits) == 5
        assert conn.exec_driver_sql("SHOW enable_seqscan").scalar() == "on"
    assert any("set_config('enable_seqscan'" in s for s in seen[:2])
