"""`newsfacts serve`, `newsfacts policy grant|revoke|list|rebuild` and `newsfacts export`.

Registered by `newsfacts.cli` through `add_web_commands`, so the main CLI module
only needs one line to gain them.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from newsfacts.cli_common import DB_HELP, CliError, open_store
from newsfacts.model import FACT_TYPES

PAGE = 5000


def _open(db: str | None):  # -> Store; the main CLI's opener gives one-line errors
    return open_store(db)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from newsfacts.api.app import ENV_TOKEN
    from newsfacts.policy.registry import PolicyRegistry, PolicyRegistryError
    from newsfacts.server import create_app, for_serving

    try:
        registry = PolicyRegistry.load(args.policy_registry)
    except PolicyRegistryError as exc:
        raise CliError(str(exc)) from exc
    store = _open(args.db)
    if not _is_loopback(args.host):
        print(
            f"newsfacts: warning: serving on {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    token = os.environ.get(ENV_TOKEN) or None
    if token is None:
        print(f"newsfacts: ingest disabled (set {ENV_TOKEN} to enable it)", file=sys.stderr)
    from newsfacts.api.hosts import ENV_HOSTS, allowed_hosts

    hosts = allowed_hosts(args.host)
    if args.workers > 1:
        # Several processes (the API is GIL-bound): uvicorn starts each from an
        # import string, and each worker opens the store from these settings.
        store.close()
        os.environ[ENV_HOSTS] = ",".join(hosts)
        if args.db:
            os.environ["NEWSFACTS_DB"] = args.db
        if args.policy_registry:
            os.environ["NEWSFACTS_POLICY_REGISTRY"] = args.policy_registry
        uvicorn.run(
            "newsfacts.server:app_from_env",
            factory=True,
            workers=args.workers,
            host=args.host,
            port=args.port,
            log_level=args.log_level,
        )
        return 0
    app = for_serving(create_app(store, token=token, policy_registry=registry, hosts=hosts))
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    finally:
        store.close()
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def cmd_policy(args: argparse.Namespace) -> int:
    from newsfacts.policy.registry import source_key

    with _open(args.db) as store:
        if args.action == "rebuild":
            n = store.rebuild_quotable()
            print(f"quotable sets chosen again for {n} article{'s' if n != 1 else ''}")
            return 0
        if args.action == "list":
            for row in store.permissions():
                print(f"{row['source']}\tgranted {row['granted_at']}")
            return 0
        key = source_key(args.source)
        if not key:
            raise CliError(f"not a source name: {args.source!r} (e.g. kapital.kz)")
        if args.action == "grant":
            new = store.grant_permission(key)
            print(f"{key}: full-text permission {'granted' if new else 'already granted'}")
        else:
            gone = store.revoke_permission(key)
            print(f"{key}: {'permission revoked' if gone else 'had no permission'}")
    return 0


def _refs(queries, args: argparse.Namespace) -> Iterator[tuple[str, int]]:
    offset = 0
    while True:
        page = queries.facts(
            type=args.type,
            entity=args.entity,
            country=args.country.upper() if args.country else None,
            date_from=args.date_from,
            date_to=args.date_to,
            source=args.source,
            min_confidence=args.min_confidence,
            limit=PAGE,
            offset=offset,
        )
        yield from page.items
        offset += PAGE
        if offset >= page.total or not page.items:
            return


def cmd_export(args: argparse.Namespace) -> int:
    from newsfacts.api.params import ISO_DATE, inverted
    from newsfacts.api.queries import Queries
    from newsfacts.export import ExportError, export, select_records
    from newsfacts.policy.quota import QuoteBudget
    from newsfacts.policy.registry import default_registry

    if args.format == "parquet" and not args.out:
        raise CliError("parquet is binary: give --out FILE")
    for flag, value in (("--from", args.date_from), ("--to", args.date_to)):
        if value and not re.match(ISO_DATE, value):
            raise CliError(
                f"{flag} {value!r}: expected an existing ISO date or period (2022, 2022-06)"
            )
    if inverted(args.date_from, args.date_to):
        raise CliError(f"--to {args.date_to} is before --from {args.date_from}")
    if args.min_confidence is not None and not 0 <= args.min_confidence <= 1:
        raise CliError(f"--min-confidence {args.min_confidence}: expected a number from 0 to 1")
    if args.country and not re.fullmatch(r"[A-Za-z]{2}", args.country):
        raise CliError(f"--country {args.country!r}: expected a two-letter ISO code (KZ)")
    with _open(args.db) as store:
        budget = QuoteBudget(default_registry(), permitted=store.has_permission)
        records = select_records(store.get_record, _refs(Queries(store.engine), args))
        target = args.out or sys.stdout
        if args.out and not Path(args.out).resolve().parent.is_dir():
            raise CliError(f"{args.out}: directory does not exist")
        try:
            n = export(records, args.format, target, budget)
        except (ExportError, OSError) as exc:
            raise CliError(str(exc)) from exc
    if args.out:
        print(f"{n} facts → {args.out}", file=sys.stderr)
    return 0


def add_web_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="serve the web pages and the JSON API")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--policy-registry", help="a policy_registry.toml to use instead of ours")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    p.add_argument(
        "--workers",
        type=_positive,
        default=1,
        help="server processes (default 1); more serve concurrent readers in parallel",
    )
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "policy",
        help="grant or revoke a source's full-text permission; `rebuild` chooses every "
        "article's quotable set again (after the registry changed, or for a store saved "
        "before the current rules)",
    )
    p.add_argument("action", choices=["grant", "revoke", "list", "rebuild"])
    p.add_argument("source", nargs="?", default="", help="the source's domain, e.g. kapital.kz")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=cmd_policy)

    p = sub.add_parser("export", help="facts as JSONL, CSV or Parquet, quotes within policy")
    p.add_argument("--format", choices=["jsonl", "csv", "parquet"], default="jsonl")
    p.add_argument("--out", help="output file (default: standard output; needed for parquet)")
    p.add_argument("--type", choices=FACT_TYPES)
    p.add_argument("--entity", help="entity key, e.g. person:ерболат досаев")
    p.add_argument("--country", help="ISO 3166-1 alpha-2 code")
    p.add_argument("--source", help="outlet domain, e.g. kapital.kz")
    p.add_argument("--min-confidence", type=float, help="only facts at least this confident (0-1)")
    p.add_argument("--from", dest="date_from", help="ISO date or period")
    p.add_argument("--to", dest="date_to", help="ISO date or period")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=cmd_export)
