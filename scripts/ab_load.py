"""Same-run A/B of `newsfacts load`: two checkouts alternating, wall and loader CPU.

On a shared machine one run of each version minutes apart says little (load swings
of 2x); this runs one fresh `newsfacts load` process per version and backend in turn,
the order swapped every round, and reports the wall time and the loader process's
user+sys CPU (the PostgreSQL server's own CPU is not counted).

    .venv/bin/python scripts/ab_load.py --input /tmp/load-in --a NEW/src --b OLD/src \\
        [--pg postgresql://...] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import count, wipe_pg  # noqa: E402


def one(src: str, input_dir: str, db: str) -> tuple[float, float]:
    """(wall s, CPU s) of one `newsfacts load` into `db`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "newsfacts.cli", "load", input_dir, "--db", db],
        env={**os.environ, "PYTHONPATH": src},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0 or " 0 errors" not in out.stdout:
        raise SystemExit(f"load failed ({src}): {out.stdout}\n{out.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="make_load_input.py output folder")
    parser.add_argument("--a", required=True, help="one checkout's src/")
    parser.add_argument("--b", required=True, help="the other checkout's src/")
    parser.add_argument("--pg", help="PostgreSQL URL (its public schema is wiped per run)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    n = count(Path(args.input))
    versions = {"a": args.a, "b": args.b}
    for i in range(max(1, args.rounds)):
        for name in ("a", "b") if i % 2 == 0 else ("b", "a"):
            runs = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
            for backend, url in runs:
                with tempfile.TemporaryDirectory() as tmp:
                    if url:
                        wipe_pg(url)
                    wall, cpu = one(versions[name], args.input, url or f"{tmp}/load.db")
                print(
                    f"round {i} {name} {backend:<10} wall {wall:5.1f} s ({n / wall:5.1f} art/s)"
                    f"  loader CPU {cpu:5.1f} s",
                    flush=True,
                )
        print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
