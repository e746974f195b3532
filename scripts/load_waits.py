"""Where parallel `newsfacts load` processes wait on PostgreSQL: one loader per input
part, `pg_stat_activity` of the database sampled every 50 ms, seconds per (state,
wait event, statement). A loader waiting on another shows as `Lock:...`; a client busy
between statements as `idle in transaction` after its last one.

It also prints the CPU seconds the loaders used and the CPU the server's backends for
them used (read from /proc, so the server must run on this machine): on a machine of
C cores, N loaders can be at most C x wall / (loader + server CPU) times as fast as
one whose CPU that is, whatever the locks (`--one`: one loader over every part).

    .venv/bin/python scripts/load_waits.py --input DIR --pg URL [--src OTHER/src] [--one]

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
    "SELECT pid, state, coalesce(wait_event_type, '') || ':' || coalesce(wait_event, ''),"
    r" left(regexp_replace(query, '\s+', ' ', 'g'), 70) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid != pg_backend_pid()"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="make_load_input.py output folder")
    parser.add_argument("--pg", required=True, help="PostgreSQL URL (public schema wiped)")
    parser.add_argument("--src", default=str(ROOT / "src"), help="checkout's src/ to run")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--one", action="store_true", help="one loader over the whole input")
    args = parser.parse_args()
    wipe_pg(args.pg)
    parts = sorted(p for p in Path(args.input).iterdir() if p.is_dir())
    if args.one:
        parts = [Path(args.input)]
    env = {**os.environ, "PYTHONPATH": args.src}
    cmd = [sys.executable, "-m", "newsfacts.cli", "load", "--db", args.pg]
    start = time.perf_counter()
    procs = [
        subprocess.Popen([*cmd, str(part)], env=env, stdout=subprocess.PIPE, text=True)
        for part in parts
    ]
    seen: Counter[tuple[str, str, str]] = Counter()
    server: dict[int, float] = {}  # backend pid -> its CPU seconds when last seen
    with psycopg.connect(args.pg, autocommit=True) as conn:
        while any(p.poll() is None for p in procs):
            for pid, state, wait, query in conn.execute(SAMPLE).fetchall():
                seen[("idle", "", "") if state == "idle" else (state, wait, query)] += 1
                server[pid] = max(server.get(pid, 0.0), _cpu(pid))
            time.sleep(STEP)
    wall = time.perf_counter() - start
    for proc in procs:
        out, _ = proc.communicate()
        print(out.strip().splitlines()[-1] if out.strip() else f"exit {proc.returncode}")
    children = os.times()
    loaders = children.children_user + children.children_system
    print(f"{len(parts)} loaders, wall {wall:.1f} s, load average {os.getloadavg()[0]:.1f}")
    print(
        f"CPU s: loaders {loaders:.2f}, server backends {sum(server.values()):.2f} "
        f"(sampled every {STEP * 1000:.0f} ms: the last {STEP * 1000:.0f} ms of each may be missed)"
    )
    for (state, wait, query), n in seen.most_common(args.top):
        print(f"{n * STEP:6.2f} s  {state:<20} {wait:<24} {query}")
    return 0


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a local process so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


if __name__ == "__main__":
    sys.exit(main())
