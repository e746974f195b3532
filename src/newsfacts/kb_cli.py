"""`newsfacts kb …`, `newsfacts entity …` and `newsfacts export-kb` (wired from cli.py).

A subcommand module beside `server_cli.py`, above the KB it drives (tests/test_layers.py).

Read commands sync the KB first (linking whatever was stored since), so an analyst
never queries a stale world; `--no-sync` skips that on a huge store.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from newsfacts.cli_common import DB_HELP, CliError, open_store


def _store(args: argparse.Namespace) -> Any:
    return open_store(args.db)


def _print(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _maybe_sync(store: Any, args: argparse.Namespace) -> None:
    from newsfacts import kb

    if not getattr(args, "no_sync", False):
        report = kb.sync(store)
        if report.linked or report.removed:
            print(f"kb: {report.summary()}", file=sys.stderr)


def _curation(fn_name: str):
    def run(args: argparse.Namespace) -> int:
        from newsfacts import kb

        fn = getattr(kb, fn_name)
        params = [getattr(args, n) for n in ("a", "b") if getattr(args, n, None) is not None]
        with _store(args) as store:
            _maybe_sync(store, args)
            try:
                result = fn(store, *params)
            except kb.CurationError as exc:
                raise CliError(str(exc)) from exc
        _print(result)
        return 0

    return run


def cmd_sync(args: argparse.Namespace) -> int:
    from newsfacts import kb

    with _store(args) as store:
        report = kb.sync(store)
        print(report.summary())
        print("kb: " + ", ".join(f"{k} {v}" for k, v in kb.stats(store).items()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from newsfacts import kb

    with _store(args) as store:
        _maybe_sync(store, args)
        _print(kb.stats(store))
    return 0


def cmd_who_held(args: argparse.Namespace) -> int:
    from newsfacts import kb
    from newsfacts.store.keys import period_bounds

    bounds = period_bounds(args.at)
    if bounds is None:
        raise CliError(f"--at {args.at!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    with _store(args) as store:
        _maybe_sync(store, args)
        tenure = kb.who_held(
            store, args.position, args.where, bounds[1] if len(args.at) < 10 else bounds[0]
        )
    if args.json:
        _print(tenure.to_dict())
        return 0
    if not tenure.where:
        print(f"{args.where}: no such place or organisation in the knowledge base")
    elif tenure.holder is None:
        print(f"nobody is reported as {args.position} ({args.where}) on {tenure.at}")
    else:
        print(
            f"{tenure.holder_name} [{tenure.holder}] — {args.position}, {args.where}; reported since {tenure.since}"
        )
        for o in tenure.evidence:
            print(f"  {o.date}  {o.source or '':<22} {o.article_id}  {o.phase or ''}")
    for c in tenure.conflicts:
        names = "; ".join(f"{h['name']} ({', '.join(h['articles'])})" for h in c["holders"])
        print(f"  CONFLICT {c['month']}: {names}")
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    from newsfacts import kb

    with _store(args) as store:
        _maybe_sync(store, args)
        found = kb.events(store, entity=args.entity, type=args.type, limit=args.limit)
    if args.json:
        _print(found)
        return 0
    for ev in found:
        flag = "  CONFLICT" if ev.get("conflict") else ""
        print(
            f"{ev['id']}  {ev['n_articles']} art / {ev['n_independent']} indep  {ev['label']}{flag}"
        )
        for v in ev.get("values", []):
            print(
                f"    {v['qualifier'] or 'eq'} {v['value']} {v['unit'] or ''}: {', '.join(v['sources'])}"
            )
    if not found:
        print("no events")
    return 0


def cmd_stories(args: argparse.Namespace) -> int:
    from newsfacts import kb

    with _store(args) as store:
        _maybe_sync(store, args)
        _print(kb.stories(store, min_size=args.min_size))
    return 0


def cmd_entity_show(args: argparse.Namespace) -> int:
    from newsfacts import kb

    with _store(args) as store:
        _maybe_sync(store, args)
        ent = kb.canonical_entity(store, args.a)
    if ent is None:
        raise CliError(f"no canonical entity matches {args.a!r}")
    _print(ent)
    return 0


def cmd_entity_review(args: argparse.Namespace) -> int:
    from newsfacts import kb

    with _store(args) as store:
        _maybe_sync(store, args)
        items = kb.review(store, limit=args.limit)
    if args.json:
        _print(items)
        return 0
    for it in items:
        cands = ", ".join(f"{c['name']} [{c['kb_id']}] {c['score']}" for c in it["candidates"])
        print(
            f"{it['kb_id']}  {it['name']:<28} {it['article_id']}/{it['local_id']}  candidates: {cands}"
        )
    if not items:
        print("nothing to review")
    return 0


def cmd_entity_history(args: argparse.Namespace) -> int:
    from newsfacts.kb import curate

    with _store(args) as store, store._read() as conn:
        _print(curate.history(conn))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from newsfacts.kb.export import export_graph, export_jsonl

    out = Path(args.out)
    with _store(args) as store:
        _maybe_sync(store, args)
        counts = export_jsonl(store, out) if args.format == "jsonl" else export_graph(store, out)
    print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" → {out}")
    return 0


def add_kb_commands(sub: argparse._SubParsersAction) -> None:
    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help=DB_HELP)
        p.add_argument("--no-sync", action="store_true", help="do not link new articles first")

    p = sub.add_parser("kb", help="the knowledge base across articles")
    kbs = p.add_subparsers(dest="kb_command", required=True)
    q = kbs.add_parser("sync", help="link new and re-extracted articles")
    q.add_argument("--db", help=DB_HELP)
    q.set_defaults(func=cmd_sync)
    q = kbs.add_parser("stats", help="counts: links, canonical entities, events")
    common(q)
    q.set_defaults(func=cmd_stats)
    q = kbs.add_parser("who-held", help="who held a post at a place on a date")
    q.add_argument("position", help='a post, e.g. "аким"')
    q.add_argument("--where", required=True, help="a place or organisation (name or kb id)")
    q.add_argument("--at", required=True, help="ISO date")
    q.add_argument("--json", action="store_true")
    common(q)
    q.set_defaults(func=cmd_who_held)
    q = kbs.add_parser("events", help="merged events with their sources")
    q.add_argument("--entity", help="kb id, entity key or name")
    q.add_argument("--type", help="fact type (meeting, quantity, …)")
    q.add_argument("--limit", type=int, default=50)
    q.add_argument("--json", action="store_true")
    common(q)
    q.set_defaults(func=cmd_events)
    q = kbs.add_parser("stories", help="story clusters")
    q.add_argument("--min-size", type=int, default=2)
    common(q)
    q.set_defaults(func=cmd_stories)

    p = sub.add_parser("entity", help="canonical entities: show, review and curate")
    ent = p.add_subparsers(dest="entity_command", required=True)
    q = ent.add_parser("show", help="a canonical entity with aliases and links")
    q.add_argument("a", metavar="ENTITY")
    common(q)
    q.set_defaults(func=cmd_entity_show)
    q = ent.add_parser("review", help="ambiguous links waiting for a decision")
    q.add_argument("--limit", type=int, default=100)
    q.add_argument("--json", action="store_true")
    common(q)
    q.set_defaults(func=cmd_entity_review)
    q = ent.add_parser("merge", help="merge entity B into A")
    q.add_argument("a", metavar="A")
    q.add_argument("b", metavar="B")
    common(q)
    q.set_defaults(func=_curation("merge"))
    q = ent.add_parser("split", help="move the mentions named ALIAS off A into a new entity")
    q.add_argument("a", metavar="A")
    q.add_argument("--alias", dest="b", required=True)
    common(q)
    q.set_defaults(func=_curation("split"))
    q = ent.add_parser("alias", help="curated aliases")
    al = q.add_subparsers(dest="alias_command", required=True)
    r = al.add_parser("add", help="NAME always means A")
    r.add_argument("a", metavar="A")
    r.add_argument("b", metavar="NAME")
    common(r)
    r.set_defaults(func=_curation("alias_add"))
    q = ent.add_parser("undo", help="undo the latest curation decision")
    common(q)
    q.set_defaults(func=_curation("undo"))
    q = ent.add_parser("history", help="curation decisions, newest first")
    q.add_argument("--db", help=DB_HELP)
    q.set_defaults(func=cmd_entity_history)

    p = sub.add_parser("export-kb", help="export the knowledge base (jsonl or property graph)")
    p.add_argument("--format", choices=["jsonl", "graph"], default="jsonl")
    p.add_argument("--out", required=True, help="output directory")
    common(p)
    p.set_defaults(func=cmd_export)
