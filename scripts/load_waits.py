"""Where parallel `newsfacts load` processes wait on PostgreSQL: one loader per input
part, `pg_stat_activity` of the database sampled every 50 ms, seconds per (state,
wait event, statement). A loader waiting on another shows as `Lock:...`; a client busy
between statements as `idle in transaction` after its last one.

    .venv/bin/python scripts/load_waits.py --input DIR --pg URL [--src OTHER/src]

The URL's public schema is wiped first (as bench_load.py does).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import wipe_pg  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STEP = 0.05
SAMPLE = (
    "SELECT state, coalesce(wait_event_type, '') || ':' || coalesce(wait_event, ''),"
    r" left(regexp_replace(query, '\s+', ' ', 'g'), 70) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid != pg_backend_pid()"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="make_load_input.py output folder")
    parser.add_argument("--pg", required=True, help="PostgreSQL URL (public schema wiped)")
    parser.add_argument("--src", default=str(ROOT / "src"), help="checkout's src/ to run")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    wipe_pg(args.pg)
    parts = sorted(p for p in Path(args.input).iterdir() if p.is_dir())
    env = {**os.environ, "PYTHONPATH": args.src}
    cmd = [sys.executable, "-m", "newsfacts.cli", "load", "--db", args.pg]
    start = time.perf_counter()
    procs = [
        subprocess.Popen([*cmd, str(part)], env=env, stdout=subprocess.PIPE, text=True)
        for part in parts
    ]
    seen: Counter[tuple[str, str, str]] = Counter()
    with psycopg.connect(args.pg, autocommit=True) as conn:
        while any(p.poll() is None for p in procs):
            for state, wait, query in conn.execute(SAMPLE).fetchall():
                seen[("idle", "", "") if state == "idle" else (state, wait, query)] += 1
            time.sleep(STEP)
    wall = time.perf_counter() - start
    for proc in procs:
        out, _ = proc.communicate()
        print(out.strip().splitlines()[-1] if out.strip() else f"exit {proc.returncode}")
    print(f"{len(parts)} loaders, wall {wall:.1f} s, load average {os.getloadavg()[0]:.1f}")
    for (state, wait, query), n in seen.most_common(args.top):
        print(f"{n * STEP:6.2f} s  {state:<20} {wait:<24} {query}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
