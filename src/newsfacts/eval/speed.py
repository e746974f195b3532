"""`newsfacts bench`: how fast we are, and how that compares with natasha alone.

The three stages run in one process, one after another, over the same files, so the
ratio full/natasha is measured on the same machine, load and text:

  (a) natasha NER only: Segmenter + NewsNERTagger, models already loaded;
  (b) full extraction: `default_pipeline()` over the cleaned articles (cleaning is
      done before the clock starts: it is ingest's cost, measured in (c));
  (b') full extraction, cold: a fresh process loads the models, warms up on every
      other file, then times one first pass over the remaining files, which it has
      never seen. Memos (morphology, gazetteer, name caches) filled on the warm-up
      texts do not cover these, so this is what a new day's news costs; (b) is the
      same pipeline on texts it has already seen once. Both are reported;
  (c) full ingest (read, clean, extract, dedupe, store, quotable pass, KB linking)
      into a fresh temporary SQLite store: `ingest_paths`, exactly what `newsfacts
      ingest` runs, reported with the split of its time by phase (the report's
      `seconds`). Like (b) it runs on texts the process has already extracted, so
      (c)/(b) compares like with like;
  (c') full ingest, cold: (b')'s fresh process and texts, ingesting the unseen half
      into a fresh store. A real `newsfacts ingest` meets new texts, so this pair is
      the one to quote for a day's news; a warm stage divided by a cold one (or the
      reverse) mixes two costs: a first pass over unseen texts took 2-3x the time of
      a warm one here, which is what made an ad hoc split look twice as good as the
      bench (BENCHMARKS.md §1).

Model loading and a warm-up pass are excluded from every timing. The warm-up pass
extracts each article once under a per-article time limit; an article that fails or
hangs there is left out of all three stages and named in the report, so the stages
time the same texts. Each stage reports the median of `--repeat` runs. Speed is
asserted here, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from newsfacts.eval.metrics import DOC_TIMEOUT, add_doc_timeout, time_limit
from newsfacts.eval.speed_report import EXTRACT_PHASE, BenchReport, StageResult, environment

# Re-exported: tests and scripts read the report classes from here.
__all__ = ["EXTRACT_PHASE", "BenchError", "BenchReport", "StageResult", "environment", "run"]


T = TypeVar("T")


class BenchError(Exception):
    """A folder the benchmark cannot use: reported as one line."""


def cpu_seconds() -> float:
    """CPU seconds (user + system) of this process and of its children that have
    exited: an ingest's extraction workers are joined before it returns, so an
    ingest's CPU is counted whichever process spent it."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def clocked(func: Callable[[], T]) -> tuple[float, float, T]:
    """Wall and CPU seconds of `func()`, and what it returned."""
    cpu, t0 = cpu_seconds(), time.perf_counter()
    out = func()
    return time.perf_counter() - t0, cpu_seconds() - cpu, out


def timed(result: StageResult, func: Callable[[], Any], repeat: int) -> StageResult:
    """`result` with the wall and CPU seconds of `repeat` runs of `func`."""
    for _ in range(max(1, repeat)):
        wall, cpu, _ = clocked(func)
        result.seconds.append(wall)
        result.cpu_seconds.append(cpu)
    return result


def _texts(files: list[Path]) -> tuple[list[tuple[Path, str]], list[str]]:
    ok, skipped = [], []
    for path in files:
        try:
            ok.append((path, path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError) as exc:
            skipped.append(f"{path.name}: {exc}")
    return ok, skipped


def bench_natasha(texts: list[str], repeat: int) -> StageResult:
    from natasha import Doc as NatashaDoc

    from newsfacts.nlp.natasha_pipe import models

    m = models()

    def one(text: str) -> None:
        nd = NatashaDoc(text)
        nd.segment(m.segmenter)
        nd.tag_ner(m.ner_tagger)

    if texts:
        one(texts[0])  # warm-up
    result = StageResult("natasha_ner", len(texts), sum(map(len, texts)))
    return timed(result, lambda: [one(t) for t in texts], repeat)


def _articles(files: list[Path]) -> tuple[list[tuple[Path, Any]], list[str]]:
    """(file, cleaned article) pairs, as ingest would hand them to the extractor."""
    from newsfacts.ingest.prepare import clean_each
    from newsfacts.ingest.readers import read_path

    articles, skipped = [], []
    for path in files:
        for item in clean_each(read_path(path), default_origin=str(path)):
            if item.article is not None and item.article.text:
                articles.append((path, item.article))
            elif item.article is None:  # a skip is ingest's business, not timed here
                skipped.append(item.skipped or f"{item.origin}: {item.error}")
    return articles, skipped


def screen(
    articles: list[tuple[Path, Any]], doc_timeout: float | None
) -> tuple[list[tuple[Path, Any]], list[str]]:
    """The warm-up pass: extract every article once, untimed, under a per-article
    limit. Files whose extraction fails or hangs are left out of every timed stage
    (and named in the report), so the three stages time the same texts and one bad
    text cannot stall the benchmark."""
    from newsfacts.pipeline import default_pipeline

    pipeline = default_pipeline()
    bad: dict[Path, str] = {}
    for path, art in articles:
        if path in bad:
            continue
        try:
            with time_limit(doc_timeout):
                pipeline(art)
        except Exception as exc:
            bad[path] = f"{path.name}: extraction failed in warm-up: {type(exc).__name__}: {exc}"
    return [(p, a) for p, a in articles if p not in bad], list(bad.values())


def bench_extraction(articles: list[Any], repeat: int) -> StageResult:
    from newsfacts.pipeline import default_pipeline

    pipeline = default_pipeline()
    if articles:
        pipeline(articles[0])  # warm-up (the screening pass warmed every article)
    result = StageResult("full_extraction", len(articles), sum(len(a.text) for a in articles))
    return timed(result, lambda: [pipeline(a) for a in articles], repeat)


def split_cold(articles: list[tuple[Path, Any]]) -> tuple[list[Any], list[Any]]:
    """(warm-up, timed) articles for the cold stage: alternate files, so both halves
    are drawn from the whole folder and no file is in both."""
    files = sorted({p for p, _ in articles})
    timed_files = set(files[1::2])
    warm = [a for p, a in articles if p not in timed_files]
    cold = [a for p, a in articles if p in timed_files]
    return warm, cold


def _first_pass(warm: list[Any], cold: list[Any]) -> tuple[float, float, None]:
    """In a fresh process: load, warm up on `warm`, time one pass over `cold`."""
    from newsfacts.pipeline import default_pipeline

    pipeline = default_pipeline()
    for article in warm:
        pipeline(article)

    def one_pass() -> None:
        for article in cold:
            pipeline(article)

    return clocked(one_pass)


def in_fresh_process(func: Callable[..., T], *args: Any) -> T:
    """`func(*args)` in a freshly spawned process (no memo of this one carries
    over). Not a `multiprocessing.Pool`: its daemonic workers may start no process
    of their own, and the ingest timed there forks its extraction worker."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(func, *args).result()


def bench_cold_extraction(articles: list[tuple[Path, Any]], repeat: int) -> StageResult:
    warm, cold = split_cold(articles)
    result = StageResult("full_extraction_cold", len(cold), sum(len(a.text) for a in cold))
    if not warm or not cold:
        result.note = "needs at least two files"
        return result
    for _ in range(max(1, repeat)):
        wall, cpu, _ = in_fresh_process(_first_pass, warm, cold)
        result.seconds.append(wall)
        result.cpu_seconds.append(cpu)
    result.note = f"fresh process, warm-up on {len(warm)} other articles"
    return result


def _ingest_once(files: list[Path]) -> tuple[float, float, Any]:
    """One `ingest_paths` into a fresh SQLite store (opened and migrated before the
    clock starts, as a real store is): wall and CPU seconds, the ingest's report."""
    from newsfacts.ingest.runner import ingest_paths
    from newsfacts.store import Store

    with (
        tempfile.TemporaryDirectory(prefix="newsfacts-bench-") as tmp,
        Store.open(str(Path(tmp) / "bench.sqlite")) as store,
    ):
        return clocked(lambda: ingest_paths(files, store))


def _ingest_stage(name: str, runs: list[tuple[float, float, Any]]) -> StageResult:
    """A stage from (wall s, CPU s, report) runs; the phase split of the median run."""
    result = StageResult(name, 0, 0)
    result.seconds = [seconds for seconds, _, _ in runs]
    result.cpu_seconds = [cpu for _, cpu, _ in runs]
    *_, report = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    result.articles = report.added + report.unchanged + report.duplicates
    result.characters = report.characters
    result.note = report.summary()
    result.phases = {k: round(v, 3) for k, v in report.seconds.items()}
    return result


def bench_ingest(files: list[Path], repeat: int) -> StageResult:
    return _ingest_stage("full_ingest", [_ingest_once(files) for _ in range(max(1, repeat))])


def _first_ingest(warm: list[Any], cold_files: list[Path]) -> tuple[float, float, Any]:
    """In a fresh process: load, warm up on `warm`, time one ingest of `cold_files`."""
    from newsfacts.pipeline import default_pipeline

    pipeline = default_pipeline()
    for article in warm:
        pipeline(article)
    return _ingest_once(cold_files)


def bench_cold_ingest(articles: list[tuple[Path, Any]], repeat: int) -> StageResult:
    """(c'): the cold extraction stage's fresh process and texts, through ingest."""
    warm, _ = split_cold(articles)
    cold_files = sorted({p for p, _ in articles})[1::2]
    if not warm or not cold_files:
        return StageResult("full_ingest_cold", 0, 0, note="needs at least two files")
    runs = [in_fresh_process(_first_ingest, warm, cold_files) for _ in range(max(1, repeat))]
    return _ingest_stage("full_ingest_cold", runs)


def run_bench(
    data_dir: Path,
    *,
    limit: int | None = None,
    repeat: int = 1,
    ingest: bool = True,
    cold: bool = True,
    doc_timeout: float | None = DOC_TIMEOUT,
) -> BenchReport:
    if not data_dir.is_dir():
        raise BenchError(f"{data_dir}: not a directory")
    files = sorted(data_dir.glob("*.txt"))
    if limit:
        files = files[:limit]
    if not files:
        raise BenchError(f"{data_dir}: no .txt files")
    texts, skipped = _texts(files)
    articles, skipped_clean = _articles([p for p, _ in texts])
    articles, failed = screen(articles, doc_timeout)
    keep = {p for p, _ in articles}
    stages = [bench_natasha([t for p, t in texts if p in keep], repeat)]
    stages.append(bench_extraction([a for _, a in articles], repeat))
    if cold:
        stages.append(bench_cold_extraction(articles, repeat))
    if ingest:
        stages.append(bench_ingest(sorted(keep), repeat))
        if cold:
            stages.append(bench_cold_ingest(articles, repeat))
    else:
        stages.append(StageResult("full_ingest", 0, 0, note="--no-ingest"))
    return BenchReport(
        str(data_dir), len(files), repeat, environment(), stages, skipped + skipped_clean + failed
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="folder of .txt articles")
    parser.add_argument("--limit", type=int, help="only the first N files")
    parser.add_argument("--repeat", type=int, default=1, help="runs per stage (median)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest stage")
    parser.add_argument(
        "--no-cold", action="store_true", help="skip the cold first pass in a fresh process"
    )
    add_doc_timeout(parser, help="warm-up seconds per article before it is left out (0: no limit)")


def run(
    data_dir: Path,
    out_dir: Path | None = None,
    *,
    limit: int | None = None,
    repeat: int = 1,
    json_out: Path | None = None,
    ingest: bool = True,
    cold: bool = True,
    doc_timeout: float | None = DOC_TIMEOUT,
) -> int:
    report = run_bench(
        data_dir, limit=limit, repeat=repeat, ingest=ingest, cold=cold, doc_timeout=doc_timeout
    )
    print(report.text())
    for line in report.skipped_files:
        print(f"skipped {line}", file=sys.stderr)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        json_out = json_out or out_dir / "bench.json"
    if json_out:
        json_out.write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")
    return 0


def main(args: argparse.Namespace) -> int:
    """CLI entry: `newsfacts bench`."""
    try:
        return run(
            args.data,
            limit=args.limit,
            repeat=args.repeat,
            json_out=args.json,
            ingest=not args.no_ingest,
            cold=not getattr(args, "no_cold", False),
            doc_timeout=getattr(args, "doc_timeout", DOC_TIMEOUT),
        )
    except BenchError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 1
