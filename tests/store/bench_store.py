"""Store throughput and query latency on synthetic records (not a pytest module).

    .venv/bin/python tests/store/bench_store.py --articles 3000 [--db URL] [--batch]

Records are random but shaped like real ones (a 1,500-character article, 8
entities drawn from a shared pool so entities recur across articles, 10 facts with
entity links), so index use and join fan-out resemble the real store's.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.store import Store

WORDS = [
    "аким",
    "встретился",
    "послом",
    "обсудили",
    "сотрудничество",
    "инвестиции",
    "товарооборот",
    "проект",
    "центр",
    "строительство",
    "министр",
    "делегация",
    "соглашение",
    "компания",
    "завод",
    "развитие",
    "рейс",
    "экспорт",
    "поставки",
    "область",
    "город",
    "республика",
    "программа",
    "форум",
    "визит",
    "переговоры",
]
PEOPLE = [f"Персона{i} Фамилия{i}" for i in range(400)]
CITIES = [f"Город{i}" for i in range(60)]
COUNTRIES = [("Казахстан", "KZ"), ("Италия", "IT"), ("Китай", "CN"), ("Турция", "TR")]
ORGS = [f"Компания{i}" for i in range(200)]


def synthetic(i: int, rng: random.Random) -> Record:
    text = " ".join(rng.choice(WORDS) for _ in range(160))
    text = f"Статья {i}. " + text[:1500] + "."
    n = len(text)
    aid = article_id(text)
    ents = [
        Entity("E1", "person", rng.choice(PEOPLE), [(0, 6)]),
        Entity("E2", "person", rng.choice(PEOPLE), [(7, 10)]),
        Entity("E3", "location", rng.choice(CITIES), [(11, 20)], "city", country="KZ"),
        *(
            Entity(f"E{4 + k}", "location", name, [(20 + k, 25 + k)], "country", code=code)
            for k, (name, code) in enumerate(rng.sample(COUNTRIES, 2))
        ),
        Entity("E6", "organization", rng.choice(ORGS), [(30, 40)]),
        Entity("E7", "person", rng.choice(PEOPLE), [(41, 50)]),
        Entity("E8", "organization", rng.choice(ORGS), [(51, 60)]),
    ]
    year = rng.randint(2015, 2024)
    facts = [
        Fact("occupation", {"person": "E1", "position": "аким", "where": "E3"}, [(0, 80)]),
        Fact("meeting", {"participants": ["E1", "E2"], "place": "E3"}, [(80, 160)]),
        Fact("meeting", {"participants": ["E1", "E7", "E6"]}, [(160, 240)]),
        Fact(
            "quantity",
            {
                "indicator": "товарооборот",
                "subjects": ["E4", "E5"],
                "value": rng.randint(1, 10**9),
                "unit": "USD",
                "qualifier": "eq",
                "period": str(year - 1),
            },
            [(240, 320)],
        ),
        *(
            Fact(
                rng.choice(["intent", "plan", "launch", "discussion", "proposal"]),
                {"agent": "E4", "action": rng.choice(WORDS), "object": rng.choice(WORDS)},
                [(320 + 40 * k, min(n, 360 + 40 * k))],
                modality="intention",
            )
            for k in range(5)
        ),
        Fact("deal", {"parties": ["E6", "E8"], "object": "поставки"}, [(600, 700)]),
    ]
    article = Article(
        id=aid,
        text=text,
        title=f"Заголовок {i} {rng.choice(WORDS)}",
        source=rng.choice(["kapital.kz", "inform.kz", "zakon.kz", "kursiv.media"]),
        url=f"https://example.kz/{i}",
        published=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        policy=Policy(max_share=0.3, link_required=True),
    )
    return Record(article, ents, facts, extractor_version="0.1")


def timed(label: str, fn: Callable[[], object], repeat: int = 5) -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{label:<40} median {1000 * statistics.median(times):8.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--db", help="store URL or path (default: a temp SQLite file)")
    parser.add_argument("--batch", action="store_true", help="save inside Store.batch()")
    args = parser.parse_args()
    db = args.db or str(Path(tempfile.mkdtemp()) / "bench.db")
    rng = random.Random(7)
    records = [synthetic(i, rng) for i in range(args.articles)]
    with Store.open(db) as store:
        print(f"backend {store.dialect}, {args.articles} articles")
        start = time.perf_counter()
        with store.batch(size=200) if args.batch else contextlib.nullcontext():
            for rec in records:
                store.save(rec, fingerprint=[f"b{k}:{rng.getrandbits(32):08x}" for k in range(16)])
        took = time.perf_counter() - start
        how = "in batch(200)" if args.batch else "one commit each"
        print(f"save {how}: {len(records) / took:.0f} articles/s ({took:.1f} s)")
        start = time.perf_counter()
        for rec in records[:500]:
            store.save(rec)
        print(f"re-save (no-op): {500 / (time.perf_counter() - start):.0f} articles/s")
        start = time.perf_counter()
        for rec in records[:500]:
            rec.extractor_version = "0.2"
            store.save(rec)
        print(f"re-extract (newer version): {500 / (time.perf_counter() - start):.0f} articles/s")
        person = f"person:{PEOPLE[3].lower()}"
        timed("search('аким встретился')", lambda: store.search("аким встретился"))
        timed("search('Персона12')", lambda: store.search("Персона12"))
        timed("facts(type=meeting)", lambda: store.facts(type="meeting"))
        timed("facts(entity_key=person)", lambda: store.facts(entity_key=person))
        timed(
            "facts(country=IT, period 2020)",
            lambda: store.facts(country="IT", period_from="2020", period_to="2020"),
        )
        timed("get_entity(person)", lambda: store.get_entity(person))
        timed("list_articles(entity_key=person)", lambda: store.list_articles(entity_key=person))
        timed(
            "quantity_series(товарооборот, KZ)",
            lambda: store.quantity_series("товарооборот", ["location:KZ"]),
            3,
        )
        timed("meeting_edges(2020)", lambda: store.meeting_edges("2020", "2020"), 3)
        timed(
            "iter_facts_for_export (all)", lambda: sum(1 for _ in store.iter_facts_for_export()), 1
        )
        print(store.stats())
    return 0


if __name__ == "__main__":
    sys.exit(main())
