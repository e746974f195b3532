"""p50/p95/p99 latency of search, entity pages and dossiers, measured with wrk on loopback.

    .venv/bin/python scripts/make_big_store.py --out /tmp/nf_big.db --articles 20000
    .venv/bin/python scripts/bench_latency.py --db /tmp/nf_big.db --duration 30

Starts `newsfacts serve` on 127.0.0.1, picks the request paths from the store itself
(the most and least frequent entities, the largest countries, names of frequent
people as search queries), checks every path once (status 200, body size, cold
latency), then runs `wrk` (Debian package `wrk`) against each endpoint group with
`scripts/bench_paths.lua`, which cycles through the group's paths and reports p95
as well. Prints a Markdown table with the 1-minute load average before and after
each run, because the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "scripts" / "bench_paths.lua"
FIXED_QUERIES = ("товарооборот", "Казахстан", "Россия", "инвестиции", "нефть")
DOSSIERS = ("location:KZ", "location:RU")


@dataclass
class Group:
    name: str
    paths: list[str]


def _q(text: str) -> str:
    return quote(text, safe="")


def _key_path(prefix: str, key: str) -> str:
    return prefix + quote(key, safe=":")


def pick_paths(db: Path, per_group: int) -> list[Group]:
    """Request paths chosen from the store, so the run needs no hand-kept list."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    counted = """
        SELECT entity_key, count(DISTINCT article_id) AS n FROM entities
        WHERE type = ? GROUP BY entity_key ORDER BY n DESC, entity_key
    """
    people = con.execute(counted, ("person",)).fetchall()
    orgs = con.execute(counted, ("organization",)).fetchall()
    places = con.execute(counted, ("location",)).fetchall()
    names = dict(con.execute("SELECT entity_key, max(name) FROM entities GROUP BY entity_key"))
    con.close()
    if not people or not places:
        raise SystemExit(f"error: {db} has no entities; build it with make_big_store.py")
    half = max(1, per_group // 2)
    frequent = [k for k, _ in people[:half]] + [k for k, _ in orgs[: per_group - half]]
    # Rare: the tail of the distribution (in a store of copies, one base article's worth).
    rare = [k for k, _ in people[-half:]] + [k for k, _ in orgs[-(per_group - half) :]]
    person_queries = [names[k] for k, _ in people[:3]]
    queries = [*FIXED_QUERIES, *person_queries]
    dossiers = [k for k in DOSSIERS if any(k == p for p, _ in places)]
    dossiers += [k for k, _ in places if k.startswith("location:") and k not in dossiers][
        : max(0, per_group - len(dossiers))
    ]
    return [
        Group("page / search (/?q=)", [f"/?q={_q(q)}" for q in queries]),
        Group("api search (/api/articles?q=)", [f"/api/articles?q={_q(q)}" for q in queries]),
        Group(
            "api entity search (/api/entities?q=)", [f"/api/entities?q={_q(q)}" for q in queries]
        ),
        Group("page entity, frequent", [_key_path("/entities/", k) for k in frequent]),
        Group("page entity, rare", [_key_path("/entities/", k) for k in rare]),
        Group("api entity, frequent", [_key_path("/api/entities/", k) for k in frequent]),
        Group("page dossier (KZ, RU)", [_key_path("/dossiers/", k) for k in DOSSIERS]),
        Group("api dossier (KZ, RU)", [_key_path("/api/dossiers/", k) for k in DOSSIERS]),
        Group("page dossier, other places", [_key_path("/dossiers/", k) for k in dossiers[2:]]),
    ]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    db: Path, port: int, expected: int, log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """Start our server and make sure it is ours: another one already listening on
    the port would answer just as well (it happened, on a shared machine)."""
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"error: port {port} is already in use; pick another --port")
    cmd = [str(ROOT / ".venv/bin/newsfacts"), "serve", "--db", str(db), "--port", str(port)]
    cmd += ["--workers", str(workers)]
    with log.open("wb") as err:  # a file, not a pipe nobody reads, which could fill up
        proc = subprocess.Popen([*cmd, "--log-level", "warning"], stderr=err)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"error: server exited: {log.read_text()[-300:].strip()}")
        try:
            r = httpx.get(f"http://127.0.0.1:{port}/api/articles?limit=1", timeout=30)
        except httpx.TransportError:
            time.sleep(0.5)
            continue
        total = r.json()["total"]
        if total != expected:
            proc.terminate()
            raise SystemExit(f"error: server lists {total} articles, the store has {expected}")
        return proc
    proc.terminate()
    raise SystemExit("error: server did not answer within 60 s")


def check(base: str, group: Group) -> list[str]:
    """One request per path: a broken path would make the wrk figures meaningless."""
    lines = []
    for path in group.paths:
        started = time.perf_counter()
        r = httpx.get(base + path, timeout=120)
        ms = (time.perf_counter() - started) * 1000
        if r.status_code != 200:
            raise SystemExit(f"error: {path} answered {r.status_code}: {r.text[:200]}")
        lines.append(f"  {ms:8.1f} ms {len(r.content):9d} B  {path}")
    return lines


def run_wrk(base: str, group: Group, args: argparse.Namespace) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as fh:
        fh.write("\n".join(group.paths) + "\n")
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--timeout",
        "60s",
        "-s",
        str(LUA),
        base,
    ]
    load_before = os.getloadavg()[0]
    out = subprocess.run(
        cmd, env={**os.environ, "BENCH_PATHS": fh.name}, capture_output=True, text=True
    )
    load_after = os.getloadavg()[0]
    os.unlink(fh.name)
    match = re.search(r"^BENCH (.*)$", out.stdout, re.M)
    if out.returncode != 0 or match is None:
        raise SystemExit(f"error: wrk failed: {out.stderr.strip() or out.stdout.strip()}")
    result = {k: float(v) for k, v in (kv.split("=") for kv in match.group(1).split())}
    result.update(load_before=load_before, load_after=load_after)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--duration", type=int, default=30, help="seconds per endpoint group")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--per-group", type=int, default=6, help="paths per entity group")
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    parser.add_argument("--only", help="run only groups whose name contains this text")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("error: wrk not found (apt-get install -y wrk)", file=sys.stderr)
        return 2
    if not args.db.is_file():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    groups = pick_paths(args.db, args.per_group)
    if args.only:
        groups = [g for g in groups if args.only in g.name]
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    expected = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NULL").fetchone()[0]
    con.close()
    log = Path(tempfile.gettempdir()) / "bench_serve.log"
    server = start_server(args.db, port, expected, log, args.workers)
    rows = []
    try:
        for group in groups:
            print(f"# {group.name}: cold single requests", flush=True)
            print("\n".join(check(base, group)), flush=True)
            res = run_wrk(base, group, args)
            print(f"  wrk: {res}", flush=True)
            rows.append((group, res))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nwrk -t{args.threads} -c{args.connections} -d{args.duration}s, "
        f"{os.cpu_count()} CPUs, store {args.db}\n"
    )
    print(
        "| endpoint | paths | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx | load 1m before/after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for group, r in rows:
        print(
            f"| {group.name} | {len(group.paths)} | {int(r['requests'])} | {r['rps']:.1f} "
            f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['max_ms']:.0f} "
            f"| {int(r['non2xx'])} | {r['load_before']:.1f} / {r['load_after']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
