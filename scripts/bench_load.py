"""`newsfacts load` articles/s into SQLite and PostgreSQL, and 1 vs N parallel loaders.

Each run is a fresh `newsfacts load` process into an empty store (start-up, reading
the Parquet, saving, the quotable sets' pass and knowledge-base linking included),
timed by wall clock. `--baseline-src` runs the same on another checkout's `src/`
(e.g. a worktree of the commit before) in the same session, for a same-run ratio.
Input: `scripts/make_load_input.py --parts N` (DIR/part-K/articles/*.parquet).

    .venv/bin/python scripts/bench_load.py --input /tmp/load-in --pg postgresql://... \\
        [--baseline-src /tmp/old/src] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]


def count(input_dir: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.read_metadata(f).num_rows for f in input_dir.rglob("*.parquet"))


def wipe_pg(url: str) -> None:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def run_loaders(src: Path, parts: list[Path], db: str) -> float:
    """Wall seconds for one loader per part, all started at once."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    start = time.perf_counter()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "newsfacts.cli", "load", str(part), "--db", db],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in parts
    ]
    for proc in procs:
        out, err = proc.communicate()
        if proc.returncode != 0 or " 0 errors" not in out:
            raise SystemExit(f"load failed ({src}): {out}\n{err[-2000:]}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="make_load_input.py output folder")
    parser.add_argument("--pg", help="PostgreSQL URL (its public schema is wiped per run)")
    parser.add_argument("--baseline-src", help="another checkout's src/ to time the same way")
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode (best is kept)")
    args = parser.parse_args()

    input_dir = Path(args.input)
    parts = sorted(p for p in input_dir.iterdir() if p.is_dir())
    n = count(input_dir)
    versions = [("this", ROOT / "src")]
    if args.baseline_src:
        versions.append(("baseline", Path(args.baseline_src)))
    print(f"{n} articles in {len(parts)} parts; {os.cpu_count()} CPUs")
    for name, src in versions:
        modes: list[tuple[str, list[Path], str | None]] = [("sqlite", [input_dir], None)]
        if args.pg:
            modes.append(("postgresql", [input_dir], args.pg))
            modes.append((f"postgresql x{len(parts)}", parts, args.pg))
        for mode, inputs, url in modes:
            best = float("inf")
            for _ in range(max(1, args.repeat)):
                with tempfile.TemporaryDirectory() as tmp:
                    if url is None:
                        db = str(Path(tmp) / "load.db")
                    else:
                        wipe_pg(url)
                        db = url
                    best = min(best, run_loaders(src, inputs, db))
            print(f"{name:<9} {mode:<16} {n / best:7.1f} articles/s  ({best:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
