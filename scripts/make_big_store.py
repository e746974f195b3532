"""Build a large store (200,000 articles, knowledge base linked) for the latency benchmark.

    .venv/bin/python scripts/make_big_store.py --out /tmp/big.db --articles 200000
    .venv/bin/python scripts/make_big_store.py --db postgresql://…/big --articles 200000

The real pipeline runs ONCE over the shared corpora (FactRuEval devset, NEREL train
and dev) and `examples/` (about 1,000 articles); its records are cached as JSONL
(`--cache`, default /tmp/newsfacts_big_records.jsonl) and appended to as they come,
so an interrupted run resumes and a rerun only rebuilds the store.

Two stages (issue 13 item 6):
1. The base: `--base` distinct records (default 1,000) are saved the normal way
   (`Store.save` in batches, quotable sets chosen and reconciled) with outlets,
   dates and URLs spread over a dozen outlets and 2019–2024, then linked into the
   knowledge base (`kb.sync`), as `ingest` and `load` leave a store.
2. The copies: `replicate_store.replicate` copies every base article and every row
   hanging off it in SQL (`INSERT … SELECT`) until the store holds `--articles`,
   each copy with a new id, date, URL and a closing "Материал №N" line, linked to
   the same KB entities as its original. Saving and linking every copy through the
   normal path ran at 4–16 articles/s here; copying runs at thousands per second.
   The row counts of every table are checked against base × copies.

Extraction is NOT re-run for the copies: the store holds 200× the articles but only
~1,000 distinct extraction results, repeated. Why copies rather than more text:
latency depends on row counts, FTS size and the fan-out of frequent entities
(Россия, Казахстан), which copies reproduce; there is no 200,000-article Russian
news corpus in the repository's reach. `--no-kb` builds an unlinked store.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from newsfacts.ingest.clean import Rejected, clean
from newsfacts.ingest.readers import IngestError, read_path
from newsfacts.model import Record
from newsfacts.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from replicate_store import replicate  # noqa: E402  (a sibling script)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_CACHE = Path("/tmp/newsfacts_big_records.jsonl")
# Seconds one article may take. A cycle in a dependency parse once sent
# `extract.clauses.Sent.subtree` into an endless walk (memory growing by GBs), so
# an article over this budget is skipped and named instead of hanging the build.
ARTICLE_SECONDS = 30


class ArticleTimeout(BaseException):
    """BaseException so the pipeline's per-extractor `except Exception` guards
    cannot swallow it and carry on inside the same runaway article."""


def _on_alarm(signum: int, frame: object) -> None:
    raise ArticleTimeout


# A dozen outlets; copies cycle through them so source filters and per-source
# policies see realistic, uneven volumes.
OUTLETS = (
    "kapital.kz",
    "kursiv.media",
    "inbusiness.kz",
    "forbes.kz",
    "tengrinews.kz",
    "24.kg",
    "kabar.kg",
    "uza.uz",
    "gazeta.uz",
    "asiaplustj.info",
    "interfax.ru",
    "ria.ru",
)
FIRST_DAY = date(2019, 1, 1)
DAYS = (date(2024, 12, 31) - FIRST_DAY).days


def corpus_paths() -> list[Path]:
    """Text files of the shared corpora plus our own examples, in a stable order."""
    paths: list[Path] = []
    for sub in ("factrueval-2016/devset", "nerel-1.1/train", "nerel-1.1/dev"):
        paths += sorted((SHARED / sub).glob("*.txt"))
    paths.append(ROOT / "examples")
    return paths


def _load_cache(cache: Path) -> dict[str, Record | None]:
    """Records already extracted, by origin (None: skipped as too slow, not retried);
    a torn last line (killed run) is ignored."""
    done: dict[str, Record | None] = {}
    if not cache.exists():
        return done
    with cache.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                continue
            raw = item.get("record")
            done[item["origin"]] = Record.from_dict(raw) if raw else None
    return done


def extract_all(cache: Path, limit: int | None = None) -> list[Record]:
    """Run the real pipeline over every corpus article not yet in the cache."""
    done = _load_cache(cache)
    pipeline = None
    started, fresh, skipped, timed_out = time.perf_counter(), 0, 0, 0
    with cache.open("a", encoding="utf-8") as out:
        for path in corpus_paths():
            if not path.exists():
                print(f"skip: {path} is missing", file=sys.stderr)
                continue
            for item in read_path(path):
                if isinstance(item, IngestError):
                    skipped += 1
                    continue
                origin = item.origin or ""
                if origin in done:
                    continue
                if limit is not None and len(done) >= limit:
                    break
                try:
                    article = clean(item)
                except Rejected:
                    skipped += 1
                    continue
                if pipeline is None:
                    from newsfacts.pipeline import default_pipeline

                    pipeline = default_pipeline()
                signal.signal(signal.SIGALRM, _on_alarm)
                signal.alarm(ARTICLE_SECONDS)
                try:
                    record = pipeline(article)
                except ArticleTimeout:
                    print(f"skip: {origin}: over {ARTICLE_SECONDS} s", file=sys.stderr, flush=True)
                    timed_out += 1
                    done[origin] = None
                    out.write(json.dumps({"origin": origin, "record": None}) + "\n")
                    continue
                finally:
                    signal.alarm(0)
                done[origin] = record
                out.write(json.dumps({"origin": origin, "record": record.to_dict()}) + "\n")
                out.flush()
                fresh += 1
                if fresh % 50 == 0:
                    rate = fresh / (time.perf_counter() - started)
                    print(f"extracted {fresh} new ({len(done)} total), {rate:.1f}/s", flush=True)
    print(
        f"records: {sum(r is not None for r in done.values())} ({fresh} extracted now, {skipped} unreadable or rejected, "
        f"{timed_out} over {ARTICLE_SECONDS} s)",
        flush=True,
    )
    return [r for _, r in sorted(done.items()) if r is not None]


def variant(record: Record, n: int, rng: random.Random) -> Record:
    """Base article `n`: the record under one of the outlets, with a date and URL;
    text, id, entities and facts unchanged (copies get their marker line later)."""
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS + 1))
    outlet = OUTLETS[n % len(OUTLETS)]
    article = replace(
        record.article,
        source=outlet,
        url=f"https://{outlet}/news/{day:%Y/%m/%d}/{n}",
        published=day.isoformat(),
    )
    return replace(record, article=article)


def build_base(records: list[Record], db: str, seed: int) -> int:
    """Save the distinct records the normal way (batched, quotable sets reconciled)."""
    rng = random.Random(seed)
    saved = 0
    started = time.perf_counter()
    with Store.open(db) as store, store.batch(500):
        for n, record in enumerate(records):
            if store.save(variant(record, n, rng)):
                saved += 1
            if (n + 1) % 200 == 0:
                rate = (n + 1) / (time.perf_counter() - started)
                print(f"saved {n + 1}/{len(records)}, {rate:.0f}/s", flush=True)
    return saved


def copy_up(db: str, articles: int, seed: int, skip: list[str]) -> None:
    """Replicate the base in SQL to `articles`; fail if any table's count is off."""
    with Store.open(db) as store:
        report = replicate(
            store, articles, seed=seed, skip=skip, progress=lambda m: print(m, flush=True)
        )
    bad = report.mismatches()
    for name in sorted(report.expected):
        print(f"  {name}: {report.counts[name]} rows", flush=True)
    if bad:
        raise SystemExit(f"error: row counts off (expected, found): {bad}")
    print(
        f"copied {report.base} base articles up to {report.articles} in {report.seconds:.0f} s",
        flush=True,
    )


def link_kb(db: str) -> None:
    """Link every stored article into the knowledge base, reporting progress."""
    from newsfacts import kb

    started = time.perf_counter()
    with Store.open(db) as store:
        while True:
            report = kb.sync(store, limit=2000)
            if not report.linked:
                break
            rate = report.linked / max(report.seconds, 1e-9)
            print(f"kb: {report.summary()} ({rate:.0f}/s)", flush=True)
    print(f"kb: linked in {time.perf_counter() - started:.0f} s", flush=True)


def analyze(db: str) -> None:
    """Planner statistics, as after any bulk load: without them SQLite counted the
    30 ids of a search page through ix_articles_duplicate_of (all 20,000 rows)."""
    with Store.open(db) as store, store.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")


def _is_empty(db: str) -> bool:
    with Store.open(db) as store:
        return store.stats()["articles"] == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", type=Path, help="SQLite file to create")
    where.add_argument("--db", help="a postgresql:// URL (an empty database) or a SQLite path")
    parser.add_argument("--articles", type=int, default=200000)
    parser.add_argument(
        "--base", type=int, default=1000, help="distinct records saved and linked normally"
    )
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--no-kb", action="store_true", help="leave the knowledge base unlinked")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="TABLE",
        help="a per-article table the copies leave out (text_runs: no page reads it)",
    )
    parser.add_argument(
        "--grow",
        action="store_true",
        help="the store already holds a linked base (a copy of one built with --articles "
        "equal to --base): only copy it up to --articles",
    )
    args = parser.parse_args(argv)
    db = args.db or str(args.out)
    if args.grow:
        started = time.perf_counter()
        copy_up(db, args.articles, args.seed, args.skip)
        analyze(db)
        print(f"{db}: grown to {args.articles} articles in {time.perf_counter() - started:.0f} s")
        return 0
    if "://" not in db and Path(db).exists() or "://" in db and not _is_empty(db):
        print(f"error: {db} already holds a store; pick a new one", file=sys.stderr)
        return 2
    records = extract_all(args.cache, args.base)[: args.base]
    if not records:
        print("error: no records extracted (is ../shared/data present?)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    saved = build_base(records, db, args.seed)
    print(f"base: saved {saved} articles in {time.perf_counter() - started:.0f} s", flush=True)
    if not args.no_kb:
        link_kb(db)
    copy_up(db, args.articles, args.seed, args.skip)
    analyze(db)
    took = time.perf_counter() - started
    print(f"{db}: {args.articles} articles from {len(records)} extracted records in {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
