"""p50/p95/p99 latency of search, entity pages and dossiers under concurrent clients.

    .venv/bin/python scripts/make_big_store.py --out /tmp/nf_big.db --articles 20000
    .venv/bin/python scripts/bench_latency.py --db /tmp/nf_big.db --duration 30 --workers 2

Starts `newsfacts serve` (this checkout's code) on 127.0.0.1, picks the request
paths from the store itself (the most and least frequent entities, the largest
countries, names of frequent people as search queries), checks every path once
(status 200, body size, cold latency), then runs `--clients` concurrent clients
(default 8) against each endpoint group for `--duration` seconds.

Every request is a short-lived client: a new TCP connection, one `GET` with
`Connection: close`, read to the end. wrk's few keep-alive connections stayed
pinned to whichever worker accepted them, so `serve --workers 2` could not be
measured fairly (BENCHMARKS.md §7); new connections are spread by the kernel.
The clients are asyncio sockets in this process, a few % of one core.
Latency counts from connect to the last byte. Prints a Markdown table with the
1-minute load average before and after each run, because the machine may be shared.
`--db` also takes a postgresql:// URL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
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


def _engine(db: str) -> sa.Engine:
    if "://" in db:
        return sa.create_engine(db)
    engine = sa.create_engine(f"sqlite:///file:{db}?mode=ro&uri=true")

    @sa.event.listens_for(engine, "connect")
    def _big_cache(dbapi_conn: object, _record: object) -> None:
        # The path-picking GROUP BYs walk ix_entities_entity_key and look every row up:
        # with SQLite's 2 MB default cache that re-read 42 GB at 200k articles.
        dbapi_conn.execute("PRAGMA cache_size = -1000000")  # type: ignore[attr-defined]

    return engine


def pick_paths(db: str, per_group: int) -> list[Group]:
    """Request paths chosen from the store, so the run needs no hand-kept list."""
    counted = sa.text(
        "SELECT entity_key, count(DISTINCT article_id) AS n FROM entities "
        "WHERE type = :t GROUP BY entity_key ORDER BY n DESC, entity_key"
    )
    engine = _engine(db)
    with engine.connect() as con:
        people = con.execute(counted, {"t": "person"}).all()
        orgs = con.execute(counted, {"t": "organization"}).all()
        places = con.execute(counted, {"t": "location"}).all()
        names = dict(
            con.execute(
                sa.text("SELECT entity_key, max(name) FROM entities GROUP BY entity_key")
            ).all()
        )
    engine.dispose()
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
    db: str, port: int, expected: int, log: Path, workers: int = 1
) -> subprocess.Popen[bytes]:
    """Start our server and make sure it is ours: another one already listening on
    the port would answer just as well (it happened, on a shared machine)."""
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"error: port {port} is already in use; pick another --port")
    cli = "import sys; from newsfacts.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", cli, "serve", "--db", db, "--port", str(port)]
    cmd += ["--workers", str(workers)]
    # This checkout's code, in the server and in each worker it spawns.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    with log.open("wb") as err:  # a file, not a pipe nobody reads, which could fill up
        # its own process group, so `stop_server` can take its workers down with it
        proc = subprocess.Popen(
            [*cmd, "--log-level", "warning"], stderr=err, env=env, start_new_session=True
        )
    deadline = time.monotonic() + 180
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
    raise SystemExit("error: server did not answer within 180 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers. A graceful stop waits for every request in
    hand, and on a store too slow for its clients that backlog ran on for minutes
    after the run (orphaned workers loading the next run), so kill after 10 s."""
    proc.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def check(base: str, group: Group, timeout: float = 120) -> list[str]:
    """One request per path: a broken path would make the figures meaningless. A path
    slower than `timeout` is reported, not fatal (uncached pages of a 200k store)."""
    lines = []
    for path in group.paths:
        started = time.perf_counter()
        try:
            r = httpx.get(base + path, timeout=timeout)
        except httpx.TimeoutException:
            lines.append(f"  over {timeout:.0f} s (timed out)  {path}")
            continue
        ms = (time.perf_counter() - started) * 1000
        if r.status_code != 200:
            raise SystemExit(f"error: {path} answered {r.status_code}: {r.text[:200]}")
        lines.append(f"  {ms:8.1f} ms {len(r.content):9d} B  {path}")
    return lines


async def _one(port: int, path: str) -> tuple[float, int]:
    """One short-lived client: connect, GET with Connection: close, read to EOF."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode("ascii")
    )
    await writer.drain()
    head = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    ms = (time.perf_counter() - started) * 1000
    parts = head.split()
    return ms, int(parts[1]) if len(parts) > 1 else 0


async def _clients(
    port: int, paths: list[str], clients: int, duration: float, timeout: float = 120
) -> tuple[list[float], int, int, float]:
    """`clients` loops, each cycling through the paths from its own offset. A request
    over `timeout` counts as an error and as `timeout` ms in the percentiles (a lower
    bound), so a store too slow to answer cannot hold the run for minutes."""
    latencies: list[float] = []
    bad = errors = 0
    stop = time.perf_counter() + duration

    async def loop(offset: int) -> None:
        nonlocal bad, errors
        n = offset
        while time.perf_counter() < stop:
            try:
                ms, status = await asyncio.wait_for(_one(port, paths[n % len(paths)]), timeout)
            except TimeoutError:
                errors += 1
                n += 1
                latencies.append(timeout * 1000)
                continue
            except OSError:
                errors += 1
                await asyncio.sleep(0.05)
                continue
            n += 1
            latencies.append(ms)
            bad += not 200 <= status < 300

    started = time.perf_counter()
    await asyncio.gather(*(loop(i) for i in range(clients)))
    return latencies, bad, errors, time.perf_counter() - started


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] if ordered else float("nan")


def run_load(port: int, group: Group, args: argparse.Namespace) -> dict[str, float]:
    load_before = os.getloadavg()[0]
    lat, bad, errors, seconds = asyncio.run(
        _clients(port, group.paths, args.clients, args.duration, args.timeout)
    )
    return {
        "requests": len(lat),
        "rps": len(lat) / seconds,
        "p50_ms": _pct(lat, 50),
        "p95_ms": _pct(lat, 95),
        "p99_ms": _pct(lat, 99),
        "max_ms": max(lat, default=float("nan")),
        "non2xx": bad,
        "socket_errors": errors,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a SQLite file or a postgresql:// URL")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--duration", type=int, default=30, help="seconds per endpoint group")
    parser.add_argument("--clients", type=int, default=8, help="concurrent short-lived clients")
    parser.add_argument("--per-group", type=int, default=6, help="paths per entity group")
    parser.add_argument("--workers", type=int, default=2, help="server processes (serve --workers)")
    parser.add_argument("--only", help="run only groups whose name contains this text")
    parser.add_argument(
        "--no-check",
        action="store_true",
        help="skip the single cold request per path (minutes on a big uncached store); "
        "cold answers then land in the loaded run's p99",
    )
    parser.add_argument(
        "--paths-from",
        help="pick the request paths from this (smaller) store: the same URLs at every size "
        "when the stores are copies of one base (make_big_store.py), and no minutes-long "
        "GROUP BY over a 200k store",
    )
    parser.add_argument(
        "--timeout", type=float, default=120, help="seconds before a request counts as failed"
    )
    args = parser.parse_args(argv)
    if "://" not in args.db and not Path(args.db).is_file():
        print(f"error: no store at {args.db}", file=sys.stderr)
        return 2
    groups = pick_paths(args.paths_from or args.db, args.per_group)
    if args.only:
        groups = [g for g in groups if args.only in g.name]
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    engine = _engine(args.db)
    with engine.connect() as con:
        expected = con.execute(
            sa.text("SELECT count(*) FROM articles WHERE duplicate_of IS NULL")
        ).scalar_one()
    engine.dispose()
    log = Path(tempfile.gettempdir()) / f"bench_serve_{port}.log"
    server = start_server(args.db, port, expected, log, args.workers)
    rows = []
    try:
        for group in groups:
            if not args.no_check:
                print(f"# {group.name}: cold single requests", flush=True)
                print("\n".join(check(base, group, args.timeout)), flush=True)
            res = run_load(port, group, args)
            print(f"  load: {res}", flush=True)
            rows.append((group, res))
    finally:
        stop_server(server)
    print(
        f"\n{args.clients} short-lived clients, {args.duration} s per group, serve --workers "
        f"{args.workers}, {os.cpu_count()} CPUs, store {args.db} ({expected} articles)\n"
    )
    print(
        "| endpoint | paths | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | non-2xx or timed out | load 1m before/after |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for group, r in rows:
        print(
            f"| {group.name} | {len(group.paths)} | {int(r['requests'])} | {r['rps']:.1f} "
            f"| {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | {r['max_ms']:.0f} "
            f"| {int(r['non2xx'] + r['socket_errors'])} | {r['load_before']:.1f} / {r['load_after']:.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
