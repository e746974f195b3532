"""`kb.canonical_entity` reads an entity's links from the (kb_id, published) index
range (issue 13, `kb.entity_links`): the same links in the same order as joining
every link to its article and sorting by the article's date, and `kb_links.published`
equal to the article's date, after any mix of writes (a re-extraction that moves an
article's date, an article deleted and stored again under another date before the
KB syncs, merges, splits, undos), on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kb_corpus_helpers import BACKENDS, open_empty

from kb_curation import curate_randomly
from newsfacts import kb
from newsfacts.model import Article, Entity, Record, article_id
from newsfacts.store import Store
from newsfacts.store.bulk import BulkItem

# Two forms of one person often in one article (two local ids, one KB entity), few
# dates (ties on the date), so order within a date and within an article matters.
NAMES = [
    ("person", "Ерболат Досаев"),
    ("person", "Досаев"),
    ("location", "Казахстан"),
    ("organization", "Нацбанк"),
]
DATES = ["2022-01-05", "2022-01-05", "2022-02-10", "2022-03-15", None]


def _record(rng: random.Random, n: int, version: str = "1") -> Record:
    picked = rng.sample(NAMES, rng.randint(1, 4))
    text = f"Сообщение {n}: " + ", ".join(name for _, name in picked) + f" ({rng.random():.6f})."
    ents = []
    for i, (type_, name) in enumerate(picked):
        start = text.index(name)
        ents.append(
            Entity(id=f"E{i + 1}", type=type_, name=name, mentions=[(start, start + len(name))])
        )
    article = Article(
        id=article_id(text),
        text=text,
        title=f"Заголовок {n}",
        source=rng.choice(["a.kz", "b.kz"]),
        published=rng.choice(DATES),
    )
    return Record(article, ents, [], extractor_version=version)


def _redated(rng: random.Random, rec: Record, version: str) -> Record:
    """The same article and entities under another date (a corrected date on re-extraction)."""
    return replace(
        rec, article=replace(rec.article, published=rng.choice(DATES)), extractor_version=version
    )


def _tie(conn: Any) -> str:
    return "l.rowid" if conn.dialect.name == "sqlite" else "l.local_id"


def _joined(conn: Any, ids: list[str], n: int) -> list[tuple[Any, ...]]:
    """The former read: every link of the family joined to its article, sorted by the
    article's date (the order within an article and date as `first_links` states it)."""
    marks = ", ".join(f":k{i}" for i in range(len(ids)))
    rows = conn.execute(
        sa.text(
            "SELECT l.article_id, l.local_id, l.name, l.status, a.published, a.source, a.title "
            f"FROM kb_links l JOIN articles a ON a.id = l.article_id WHERE l.kb_id IN ({marks}) "
            f"ORDER BY a.published, l.article_id, l.kb_id, {_tie(conn)} LIMIT :n"
        ),
        {**{f"k{i}": k for i, k in enumerate(ids)}, "n": n},
    )
    return [tuple(r) for r in rows]


def _listed(ent: dict[str, Any]) -> list[tuple[Any, ...]]:
    keys = ("article_id", "local_id", "name", "status", "published", "source", "title")
    return [tuple(lk[k] for k in keys) for lk in ent["links"]]


def _check(store: Store) -> None:
    with store.engine.connect() as conn:
        stale = conn.execute(
            sa.text(
                "SELECT count(*) FROM kb_links l JOIN articles a ON a.id = l.article_id "
                "WHERE l.published IS DISTINCT FROM a.published"
                if conn.dialect.name != "sqlite"
                else "SELECT count(*) FROM kb_links l JOIN articles a ON a.id = l.article_id "
                "WHERE l.published IS NOT a.published"
            )
        ).scalar()
        assert stale == 0
        live = list(
            conn.execute(sa.text("SELECT id FROM kb_entities WHERE merged_into IS NULL")).scalars()
        )
        expected = {}
        for kb_id in live:
            ids = kb._family(conn, kb_id)
            expected[kb_id] = {n: _joined(conn, ids, n) for n in (1, 3, 500)}
    for kb_id, by_limit in expected.items():
        for n, want in by_limit.items():
            ent = kb.canonical_entity(store, kb_id, max_links=n)
            assert ent is not None and _listed(ent) == want, (kb_id, n)
            # without the articles' rows: the same links in the same order, no source,
            # a title only on the links on review (what the pages' canonical block shows)
            narrow = kb.canonical_entity(store, kb_id, max_links=n, articles=False)
            assert narrow is not None and narrow["links_complete"] == ent["links_complete"]
            assert _listed(narrow) == [
                (*row[:5], None, row[6] if row[3] == "ambiguous" else None) for row in want
            ], (kb_id, n)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("seed", [1, 2])
def test_links_equal_the_joined_read_after_random_writes(
    backend: str, seed: int, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    store = open_empty(backend, tmp_path)
    stored: list[Record] = []
    n, version = 0, 1
    try:
        for _ in range(40):
            op = rng.choice(
                ["save", "many", "redate", "redate", "gone", "back", "sync", "sync", "curate"]
            )
            if op == "save" or not stored:
                n += 1
                stored.append(_record(rng, n))
                store.save(stored[-1])
            elif op == "many":
                batch = [_record(rng, n + i + 1) for i in range(rng.randint(1, 3))]
                n += len(batch)
                store.save_many([BulkItem(r) for r in batch])
                stored.extend(batch)
            elif op == "redate":  # a newer extraction of the same text with another date
                version += 1
                i = rng.randrange(len(stored))
                stored[i] = _redated(rng, stored[i], str(version))
                store.save(stored[i])
            elif op == "gone":
                store.delete_article(stored.pop(rng.randrange(len(stored))).article.id)
            elif op == "back" and len(stored) > 1:  # deleted, then stored again redated
                i = rng.randrange(len(stored))
                store.delete_article(stored[i].article.id)
                stored[i] = _redated(rng, stored[i], stored[i].extractor_version)
                if rng.random() < 0.5:
                    store.save_many([BulkItem(stored[i])])
                else:
                    store.save(stored[i])
            elif op == "curate":
                curate_randomly(store, rng)
            else:
                kb.sync(store)
            _check(store)
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_new_date_moves_an_article_among_the_links_before_any_sync(
    backend: str, tmp_path: Path
) -> None:
    store = open_empty(backend, tmp_path)
    try:
        recs = []
        for i, date in enumerate(["2022-01-01", "2022-02-01", "2022-03-01"]):
            text = f"Ерболат Досаев выступил на форуме номер {i}."
            art = Article(id=article_id(text), text=text, source="a.kz", published=date)
            ent = Entity(id="E1", type="person", name="Ерболат Досаев", mentions=[(0, 14)])
            recs.append(Record(art, [ent], [], extractor_version="1"))
            store.save(recs[-1])
        kb.sync(store)
        first, second, third = (r.article.id for r in recs)

        def order(n: int = 500) -> list[str]:
            return [
                lk["article_id"]
                for lk in kb.canonical_entity(store, "Ерболат Досаев", max_links=n)["links"]
            ]

        assert order() == [first, second, third]
        store.save(
            replace(
                recs[0],
                article=replace(recs[0].article, published="2022-04-01"),
                extractor_version="2",
            )
        )
        assert order() == [second, third, first]  # not synced yet: the old links, the new date
        assert order(2) == [second, third]
        store.delete_article(second)
        assert order() == [third, first]  # a link whose article is gone is not listed
        store.save(replace(recs[1], article=replace(recs[1].article, published="2022-05-01")))
        assert order() == [third, first, second]
        kb.sync(store)
        assert order() == [third, first, second]
    finally:
        store.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_undo_restores_links_under_their_articles_current_date(
    backend: str, tmp_path: Path
) -> None:
    store = open_empty(backend, tmp_path)
    try:
        recs = []
        for i, name in enumerate(["Ерболат Досаев", "Марат Сапаров"]):
            text = f"{name} выступил на форуме номер {i}."
            art = Article(id=article_id(text), text=text, source="a.kz", published="2022-01-01")
            ent = Entity(id="E1", type="person", name=name, mentions=[(0, len(name))])
            recs.append(Record(art, [ent], [], extractor_version="1"))
            store.save(recs[-1])
        kb.sync(store)
        dosaev = kb.canonical_entity(store, "Ерболат Досаев")["id"]
        saparov = kb.canonical_entity(store, "Марат Сапаров")["id"]
        kb.merge(store, dosaev, saparov)
        # the merged-away entity's article gets a new date (the before-image keeps the old)
        moved = replace(recs[1].article, published="2023-06-01")
        store.save(replace(recs[1], article=moved, extractor_version="2"))
        kb.undo(store)
        _check(store)
        links = kb.canonical_entity(store, saparov)["links"]
        assert [lk["published"] for lk in links] == ["2023-06-01"]
    finally:
        store.close()
