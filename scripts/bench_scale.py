"""Scale benchmark: 1 process vs N worker processes vs Ray local, and store load rates.

Each mode runs as its own `newsfacts` subprocess on the same corpus, so its peak memory
(the largest process's max RSS, from getrusage) is its own. Usage:

    .venv/bin/python scripts/bench_scale.py --limit 200 [--pg postgresql://...] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CORPORA = [
    SHARED / "factrueval-2016" / "devset",
    SHARED / "nerel-1.1" / "dev",
    SHARED / "nerel-1.1" / "train",
]


def build_corpus(folder: Path, limit: int) -> tuple[int, int]:
    """Symlink the first `limit` texts of the shared corpora into one folder."""
    folder.mkdir()
    files = [p for corpus in CORPORA for p in sorted(corpus.glob("*.txt"))][:limit]
    for i, path in enumerate(files):
        os.symlink(path, folder / f"{i:05d}_{path.name}")
    return len(files), sum(len(p.read_text(encoding="utf-8")) for p in files)


# Runs one command and prints the largest max-RSS among its descendants, so each
# mode's peak memory is measured apart from the modes before it.
PEAK_WRAPPER = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and the peak RSS (MiB) of the largest process it ran."""
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, *argv], check=True, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    return seconds, int(out.stdout.strip().splitlines()[-1]) / 1024


def newsfacts(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsfacts.cli", *args]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200, help="articles from the shared corpora")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pg", help="a PostgreSQL URL to measure its load rate too")
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()

    results: dict[str, object] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        n, chars = build_corpus(tmpdir / "corpus", args.limit)
        results.update(articles=n, characters=chars)
        corpus = str(tmpdir / "corpus")

        modes = {
            "ingest_1_process": newsfacts(
                "ingest", corpus, "--db", str(tmpdir / "a.db"), "--quiet"
            ),
            f"ingest_{args.workers}_workers": newsfacts(
                "ingest",
                corpus,
                "--db",
                str(tmpdir / "b.db"),
                "--quiet",
                "--workers",
                str(args.workers),
            ),
            f"ray_local_{args.workers}_actors": newsfacts(
                "batch",
                "--engine",
                "ray",
                "--input",
                corpus,
                "--output",
                str(tmpdir / "pq"),
                "--actors",
                str(args.workers),
            ),
        }
        for name, argv in modes.items():
            seconds, peak = timed(argv)
            results[name] = {
                "seconds": round(seconds, 1),
                "articles_per_s": round(n / seconds, 2),
                "peak_rss_mib_largest_process": round(peak),
            }
            print(f"{name:<24} {n / seconds:7.2f} articles/s  {seconds:7.1f} s", flush=True)

        targets = {"sqlite": str(tmpdir / "load.db")}
        if args.pg:
            targets["postgresql"] = args.pg
        for name, db in targets.items():
            seconds, _ = timed(newsfacts("load", str(tmpdir / "pq"), "--db", db))
            results[f"load_{name}"] = {
                "seconds": round(seconds, 1),
                "articles_per_s": round(n / seconds, 2),
            }
            print(f"load into {name:<14} {n / seconds:7.2f} articles/s", flush=True)

    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
