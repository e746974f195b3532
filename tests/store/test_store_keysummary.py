"""The per-key summary (`store.keysummary`, issue 13) stays what a recomputation
from the entity rows gives, after any mix of writes, on SQLite and PostgreSQL; and
`Queries.entity` read from it answers as the former read of every row of the key."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa

from kb_curation import curate_randomly
from newsfacts import kb
from newsfacts.api.queries import Queries
from newsfacts.model import Article, Entity, Policy, Record, article_id
from newsfacts.store import Store, keysummary
from newsfacts.store import schema as t
from newsfacts.store.bulk import BulkItem

# Few names over few keys, so keys are shared across articles, names tie in votes
# and the first subtype/code/country of a key is a matter of row order.
NAMES = [
    ("location", "Казахстан", "Казахстан"),
    ("location", "Казахстан", "Казахстана"),
    ("location", "Астана", "Астана"),
    ("person", "Ерболат Досаев", "Досаев"),
    ("person", "Ерболат Досаев", "Ерболат Досаев"),
    ("organization", "Нацбанк", "Нацбанк"),
]


def _record(rng: random.Random, n: int, version: str = "0.1") -> Record:
    picked = rng.sample(NAMES, rng.randint(0, 4))
    words = [surface for _, _, surface in picked] or ["ничего"]
    text = f"Новость {n}: " + ", ".join(words) + f" и другие ({rng.random():.6f})."
    ents = []
    for i, (type_, name, surface) in enumerate(picked):
        start = text.find(surface)
        ents.append(
            Entity(
                id=f"E{i + 1}",
                type=type_,
                name=name if rng.random() < 0.7 else surface,
                mentions=[(start, start + len(surface))],
                subtype=rng.choice([None, None, "", "country", "city"]),
                code=rng.choice([None, "KZ", ""]) if type_ == "location" else None,
                country=rng.choice([None, "KZ"]),
                aliases=rng.sample([surface, name, "РК"], rng.randint(0, 2)),
            )
        )
    article = Article(
        id=article_id(text),
        text=text,
        title=f"Заголовок {n}",
        source="kapital.kz",
        published=f"2022-0{1 + n % 9}-1{n % 10}",
        policy=Policy(max_share=0.5),
    )
    return Record(article, ents, [], extractor_version=version)


def _entity_from_rows(conn: Any, key: str) -> dict[str, Any] | None:
    """`Queries.entity` as it was: every row of the key read and counted; its first
    articles the newest by the article's date, undated last, then id."""
    e, a = t.entities, t.articles
    cols = (e.c.article_id, e.c.type, e.c.subtype, e.c.code, e.c.country, e.c.name)
    rows = list(conn.execute(sa.select(*cols).where(e.c.entity_key == key)))
    if not rows:
        return None
    ids = {r.article_id for r in rows}
    dates = dict(conn.execute(sa.select(a.c.id, a.c.published).where(a.c.id.in_(ids))).all())
    # sorted() is stable: among equal dates the ids stay in ascending order
    dated = sorted(
        sorted(i for i in ids if dates[i] is not None), key=lambda i: dates[i], reverse=True
    )
    newest = dated + sorted(i for i in ids if dates[i] is None)
    return {
        "type": rows[0].type,
        "name": Counter(r.name for r in rows).most_common(1)[0][0],
        "subtype": next((r.subtype for r in rows if r.subtype), None),
        "code": next((r.code for r in rows if r.code), None),
        "country": next((r.country for r in rows if r.country), None),
        "article_count": len({r.article_id for r in rows}),
        "first_articles": newest[:3],
    }


def _reextracted(rng: random.Random, old: Record, n: int, version: str) -> Record:
    """`old`'s article with other entities (no mentions: the text is not theirs)."""
    new = _record(rng, n)
    ents = [replace(e, mentions=[]) for e in new.entities]
    return Record(old.article, ents, [], extractor_version=version)


def _kb_id_from_links(conn: Any, key: str) -> str | None:
    """`kb._find` for a store key as it was: every link of the key's rows counted."""
    rows = conn.execute(
        sa.text(
            "SELECT l.kb_id, count(*) AS n FROM kb_links l JOIN entities e "
            "ON e.article_id = l.article_id AND e.local_id = l.local_id "
            "WHERE e.entity_key = :k GROUP BY l.kb_id"
        ),
        {"k": key},
    ).all()
    survivors = kb._resolve_many(conn, [r.kb_id for r in rows])
    counts: Counter[str] = Counter()
    for r in rows:
        counts[survivors[r.kb_id]] += int(r.n)
    return max(sorted(counts), key=lambda k: counts[k]) if counts else None


def _check(store: Store) -> None:
    with store.engine.connect() as conn:
        assert keysummary.stored(conn) == keysummary.recomputed(conn)
        keys = sorted(conn.execute(sa.select(t.entities.c.entity_key).distinct()).scalars())
        expected = {k: _entity_from_rows(conn, k) for k in [*keys, "location:нигде"]}
        for key in keys:
            want = _kb_id_from_links(conn, key)
            if want is not None:  # else `_find` goes on to names and blocking keys
                assert kb._find(conn, key) == want, key
    queries = Queries(store.engine)
    for key, want in expected.items():
        got = queries.entity(key, first=3)
        assert (got and {k: getattr(got, k) for k in want}) == want, key
        assert queries.entity_exists(key) == (want is not None)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_equals_recomputation_after_random_writes(store: Store, seed: int) -> None:
    rng = random.Random(seed)
    stored: list[Record] = []
    n = 0
    for step in range(50):
        op = rng.choice(
            ["save", "save", "many", "reextract", "delete", "demote", "sync", "sync", "curate"]
        )
        if op == "save" or not stored:
            n += 1
            rec = _record(rng, n)
            assert store.save(rec)
            stored.append(rec)
        elif op == "many":
            batch = []
            for _ in range(rng.randint(1, 4)):
                n += 1
                batch.append(_record(rng, n))
            old = rng.choice(stored)  # a re-extraction inside the batch goes through save
            again = _reextracted(rng, old, n + 1000, f"0.{step + 2}")
            store.save_many([BulkItem(r) for r in [*batch, again]])
            stored.extend(batch)
        elif op == "reextract":
            old = rng.choice(stored)
            assert store.save(_reextracted(rng, old, n + 2000, f"0.{step + 2}"))
        elif op == "delete":
            gone = stored.pop(rng.randrange(len(stored)))
            assert store.delete_article(gone.article.id)
        elif op == "demote" and len(stored) > 1:
            dup, orig = rng.sample(stored, 2)
            store.demote_duplicate(dup.article.id, orig.article.id)
        elif op == "curate":
            curate_randomly(store, rng)
        else:
            kb.sync(store)
        _check(store)
    with store.engine.begin() as conn:  # the migration's back-fill agrees too
        before = keysummary.stored(conn)
        keysummary.rebuild(conn)
        assert keysummary.stored(conn) == before


def test_summary_rows_go_with_the_last_article_of_a_key(store: Store) -> None:
    rng = random.Random(7)
    recs = [_record(rng, i) for i in range(5)]
    for rec in recs:
        store.save(rec)
    for rec in recs:
        store.delete_article(rec.article.id)
    with store.engine.connect() as conn:
        for table in (t.entity_keys, t.entity_key_names, t.entity_articles):
            assert conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0


def test_entity_reads_no_row_beyond_the_first_match(store: Store) -> None:
    """The page's summary asks for one row at a time (LIMIT 1) and never for all
    the key's rows: what made it grow with the store (80,000 rows for «Россия»)."""
    rng = random.Random(3)
    for i in range(12):
        store.save(_record(rng, i))
    with store.engine.connect() as conn:
        key = conn.execute(sa.select(t.entity_keys.c.entity_key).limit(1)).scalar()
    seen: list[str] = []

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def spy(conn, cursor, statement, params, context, executemany) -> None:  # noqa: ANN001
        seen.append(" ".join(statement.split()))

    assert Queries(store.engine).entity(key) is not None
    from_entities = [s for s in seen if "FROM entities" in s]
    assert from_entities and all("LIMIT" in s for s in from_entities), from_entities
    assert json.dumps(seen)  # statements were captured


def test_an_articles_key_rows_are_deleted_by_primary_key(store: Store) -> None:
    """Re-extracting or deleting one article removes its (key, article) rows through
    the primary key, named by its entity rows: a delete by article id alone walks
    every key of the table (2.3M rows at 200k articles), there being no index by
    article. The plan is SQLite's; PostgreSQL runs the same statement."""
    rng = random.Random(5)
    recs = [_record(rng, i) for i in range(6)]
    for rec in recs:
        store.save(rec)
    ea = t.entity_articles
    with store.engine.begin() as conn:
        before = set(conn.execute(sa.select(ea.c.entity_key, ea.c.article_id)).tuples())
        gone = sorted({a for _, a in before})[1]
        conn.execute(keysummary.pairs_delete([gone]))
        left = set(conn.execute(sa.select(ea.c.entity_key, ea.c.article_id)).tuples())
        assert left == {(k, a) for k, a in before if a != gone}  # its rows, and only its
        if store.dialect == "sqlite":
            stmt = keysummary.pairs_delete([gone]).compile(
                conn, compile_kwargs={"literal_binds": True}
            )
            plan = [r[3] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {stmt}")]
            on_pairs = [p for p in plan if "entity_articles" in p]
            assert on_pairs and all("(entity_key=? AND article_id=?)" in p for p in on_pairs), plan
