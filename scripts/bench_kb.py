"""Benchmark: KB linking time per article as the store grows (1k, 10k, 50k articles).

Synthetic records stand in for extracted articles (running the NLP pipeline over
50k texts would measure natasha, not the linker): each has a few people drawn from
a Zipf-distributed pool of first names x surnames (so popular surnames create real
candidate lists, namesakes included), organisations, gazetteer places, and
occupation, meeting and quantity facts. At each checkpoint the next `--probe`
articles are saved and linked one by one; the figure is the linking time
(`kb.link_article`: link + events + story) per article, median and p95.

    .venv/bin/python scripts/bench_kb.py --sizes 1000 10000 50000 --db /tmp/bench_kb.db
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from newsfacts import kb
from newsfacts.model import Article, Entity, Fact, Record, article_id
from newsfacts.store import Store

FIRST = [
    "Ерболат", "Арман", "Марат", "Айдос", "Нурлан", "Бахтиёр", "Мухтар", "Дархан", "Асель",
    "Гульнара", "Серик", "Канат", "Ержан", "Тимур", "Алихан", "Бауыржан", "Жанна", "Данияр",
]  # fmt: skip
SURNAME_STEMS = [
    "Досаев", "Сагинтаев", "Мусин", "Саидов", "Тлеуберди", "Сатыбалды", "Карабаев", "Аннаев",
    "Жумабаев", "Омаров", "Ахметов", "Каримов", "Исаев", "Нуров", "Бекмуханов", "Сейтказиев",
]  # fmt: skip
PLACES = [
    ("Алматы", "city", None, "KZ"), ("Казахстан", "country", "KZ", None),
    ("Узбекистан", "country", "UZ", None), ("Италия", "country", "IT", None),
    ("Индонезия", "country", "ID", None), ("Кыргызстан", "country", "KG", None),
]  # fmt: skip
POSTS = ["аким", "министр", "посол", "председатель правления", "директор"]


def _pool(n_people: int, rng: random.Random) -> list[tuple[str, str]]:
    people = set()
    while len(people) < n_people:
        stem = rng.choice(SURNAME_STEMS) + str(rng.randint(0, n_people // 20))
        people.add((rng.choice(FIRST), stem.replace("0", "")))
    return sorted(people)


def _zipf(rng: random.Random, n: int) -> int:
    """A skewed pick: a few names are in every other article, most are rare."""
    return min(n - 1, int(n * rng.random() ** 3))


def make_record(
    i: int, rng: random.Random, people: list[tuple[str, str]], orgs: list[str]
) -> Record:
    text = f"Синтетическая статья номер {i} о встречах и цифрах."
    day = f"{2015 + (i // 5000) % 10}-{1 + (i // 400) % 12:02d}-{1 + i % 28:02d}"
    art = Article(id=article_id(text), text=text, source=f"outlet{i % 40}.kz", published=day)
    ents: list[Entity] = []
    for _ in range(rng.randint(2, 3)):
        first, last = people[_zipf(rng, len(people))]
        style = rng.random()
        name = (
            f"{first} {last}" if style < 0.7 else (f"{first[0]}. {last}" if style < 0.85 else last)
        )
        ents.append(Entity(id=f"E{len(ents) + 1}", type="person", name=name, mentions=[(0, 5)]))
    for _ in range(rng.randint(1, 2)):
        ents.append(
            Entity(
                id=f"E{len(ents) + 1}",
                type="organization",
                name=orgs[_zipf(rng, len(orgs))],
                mentions=[(0, 5)],
            )
        )
    for name, sub, code, country in rng.sample(PLACES, 2):
        ents.append(
            Entity(
                id=f"E{len(ents) + 1}",
                type="location",
                name=name,
                subtype=sub,
                code=code,
                country=country,
                mentions=[(0, 5)],
            )
        )
    persons = [e.id for e in ents if e.type == "person"]
    places = [e.id for e in ents if e.type == "location"]
    facts = [
        Fact("occupation", {"person": persons[0], "position": rng.choice(POSTS), "where": places[0]}),
        Fact("meeting", {"participants": persons[:2]}),
        Fact("quantity", {"indicator": "товарооборот", "subjects": places, "value": rng.randint(1, 900) * 10**6, "unit": "USD", "qualifier": "eq", "period": day[:4]}),
    ]  # fmt: skip
    return Record(article=art, entities=ents, facts=facts, extractor_version="1")


def replicate(store: Store, target: int) -> int:
    """Grow a filled store to `target` articles by copying its articles (and their
    extraction and KB rows) with new ids and dates shifted by decades: the same world
    reported `target / n` times over, which is what a growing archive looks like to
    the linker (popular names gain links; blocking-key candidate lists do not grow).
    Features are scaled by the same factor. Pure SQL, so 50k articles take seconds."""
    import sqlalchemy as sa

    from newsfacts.kb import tables as kt
    from newsfacts.store import schema as st

    with store._write() as conn:
        n = conn.execute(sa.select(sa.func.count()).select_from(st.articles)).scalar_one()
        copies = max(0, -(-target // n) - 1)
        for k in range(1, copies + 1):
            suffix = f"r{k}"

            def shifted(col: sa.Column, k: int = k) -> sa.ColumnElement:
                year = sa.cast(sa.func.substr(col, 1, 4), sa.Integer) + 10 * k
                return sa.cast(year, sa.String) + sa.func.substr(col, 5)

            for table in (st.articles, st.entities, st.mentions, st.facts, st.evidence,
                          st.fact_entities, kt.kb_links, kt.kb_articles, kt.kb_event_sources,
                          kt.kb_stories):  # fmt: skip
                cols = []
                for c in table.c:
                    if c.name in ("id", "article_id", "story_id"):
                        cols.append((c.concat(suffix)).label(c.name))
                    elif c.name == "published":
                        cols.append(shifted(c).label(c.name))
                    elif c.name == "duplicate_of":
                        cols.append(sa.null().label(c.name))
                    else:
                        cols.append(c)
                key = (
                    table.c.id
                    if "id" in table.c and table is st.articles
                    else table.c.get("article_id")
                )
                query = sa.select(*cols).where(~key.like("%r_"))
                conn.execute(table.insert().from_select([c.name for c in table.c], query))
        conn.execute(kt.kb_features.update().values(n=kt.kb_features.c.n * (copies + 1)))
        return conn.execute(sa.select(sa.func.count()).select_from(st.articles)).scalar_one()


def probe(store: Store, n: int, count: int, rng: random.Random, people, orgs) -> list[float]:
    times = []
    for i in range(count):
        rec = make_record(n + i, rng, people, orgs)
        store.save(rec)
        t0 = time.perf_counter()
        kb.link_article(store, rec.article.id)
        times.append(time.perf_counter() - t0)
    return sorted(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--probe", type=int, default=200, help="articles timed at each size")
    parser.add_argument("--db", default="/tmp/bench_kb.db")
    parser.add_argument("--people", type=int, default=20000)
    parser.add_argument("--json", help="write the figures here too")
    parser.add_argument(
        "--replicate",
        type=int,
        help="instead of filling: grow the existing --db to this many articles by copying, then probe",
    )
    args = parser.parse_args()
    if args.replicate:
        rng = random.Random(99)
        people = _pool(args.people, random.Random(7))
        orgs = [f"АО «Компания {n}»" for n in range(5000)]
        with Store.open(args.db) as store:
            start = time.perf_counter()
            size = replicate(store, args.replicate)
            grow = time.perf_counter() - start
            times = probe(store, 10_000_000, args.probe, rng, people, orgs)
            row = {
                "stored_articles": size,
                "probe": args.probe,
                "median_ms": round(1000 * statistics.median(times), 2),
                "p95_ms": round(1000 * times[int(0.95 * len(times)) - 1], 2),
                "replicated_in_seconds": round(grow, 1),
                **kb.stats(store),
            }
        print(json.dumps(row, ensure_ascii=False), flush=True)
        return
    Path(args.db).unlink(missing_ok=True)
    rng = random.Random(7)
    people = _pool(args.people, rng)
    orgs = [f"АО «Компания {n}»" for n in range(5000)]
    results = []
    n = 0
    with Store.open(args.db) as store:
        for size in args.sizes:
            fill_start = time.perf_counter()
            while n < size:
                batch = [
                    make_record(i, rng, people, orgs) for i in range(n, min(size, n + FILL_BATCH))
                ]
                _fill(store, batch)
                n += len(batch)
            fill = time.perf_counter() - fill_start
            times = []
            for _ in range(args.probe):
                rec = make_record(n, rng, people, orgs)
                store.save(rec)
                t0 = time.perf_counter()
                kb.link_article(store, rec.article.id)
                times.append(time.perf_counter() - t0)
                n += 1
            times.sort()
            row = {
                "stored_articles": size,
                "probe": args.probe,
                "median_ms": round(1000 * statistics.median(times), 2),
                "p95_ms": round(1000 * times[int(0.95 * len(times)) - 1], 2),
                "fill_seconds": round(fill, 1),
                **kb.stats(store),
            }
            results.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")


FILL_BATCH = 500


def _fill(store: Store, batch: list[Record]) -> None:
    """Filler articles: the store's own row builder and the KB's own linker, but many
    articles per transaction (no FTS, no fingerprints), so 50k articles fill in minutes.
    Only the probe articles after each checkpoint go through the public, timed path."""
    from newsfacts.kb.events import index_article
    from newsfacts.kb.link import link_article
    from newsfacts.kb.stories import assign
    from newsfacts.store.rows import _Rows

    with store._write() as conn:
        for rec in batch:
            rows = _Rows.build(rec)
            store._insert_article(conn, rec, None, None)
            store._write_entities(conn, rows)
            store._write_facts(conn, rows)
            resolved = link_article(conn, rec.article.id)
            index_article(conn, rec.article.id, resolved)
            assign(conn, rec.article.id)


if __name__ == "__main__":
    main()
