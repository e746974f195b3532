"""The `newsfacts` command line. Each subcommand is a thin wrapper over a module."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newsfacts.cli_common import DB_HELP, CliError, open_store

__all__ = ["CliError", "build_parser", "main", "open_store"]


def cmd_extract(args: argparse.Namespace) -> int:
    from newsfacts.ingest.prepare import clean_each
    from newsfacts.ingest.readers import printable, read_path, shown
    from newsfacts.pipeline import default_pipeline

    path = Path(args.file)
    if not path.exists():
        raise CliError(f"{shown(path)}: no such file or directory")
    articles, problems = [], []
    for item in clean_each(read_path(path), default_origin=shown(path)):
        if item.article is not None:
            articles.append(item.article)
        elif item.skipped:
            problems.append(f"skipped {item.skipped}")
        else:
            problems.append(f"{item.origin}: {item.error}")
    if not articles:
        raise CliError(problems[0] if problems else f"{shown(path)}: no article found")
    for problem in problems:
        print(f"newsfacts: warning: {printable(problem)}", file=sys.stderr)
    pipeline = default_pipeline()
    records = [pipeline(article).to_dict() for article in articles]
    out = records[0] if len(records) == 1 else records
    if args.json:
        json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for rec in records:
            print(f"{rec['article']['id']}  {rec['article']['title'] or ''}")
            for ent in rec["entities"]:
                print(f"  {ent['id']:>4} {ent['type']:<12} {ent['name']}")
            for fact in rec["facts"]:
                print(f"  {fact['type']:<12} {json.dumps(fact['args'], ensure_ascii=False)}")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from newsfacts.ingest.runner import ingest_paths
    from newsfacts.ingest.workers import WorkerDied
    from newsfacts.urls import BadUrl, check_url

    paths = [Path(p) for p in args.paths]
    try:
        url = check_url(args.url)
    except BadUrl as exc:
        raise CliError(f"--url: {exc}") from None
    if url and (len(paths) != 1 or not paths[0].is_file()):
        raise CliError("--url names one article: give exactly one file")
    with open_store(args.db) as store:
        try:
            report = ingest_paths(
                paths,
                store,
                workers=args.workers,
                progress=not args.quiet and sys.stderr.isatty(),
                url=url,
                on_problem=_print_problem,
                budget="config" if args.budget is None else (args.budget or None),
            )
        except WorkerDied as exc:
            raise CliError(str(exc)) from None
        print(report.summary())
        stats = store.stats()
        print("store: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    if report.errors and not (report.added or report.unchanged or report.duplicates):
        return 1
    return 0


def _print_problem(kind: str, origin: str, message: str) -> None:
    """One line on stderr per skip or error, printed as it happens (not at the end)."""
    from newsfacts.ingest.readers import printable

    message = message.removeprefix(f"{origin}: ")  # cleaning's reasons name it already
    print(printable(f"{kind} {origin}: {message}"), file=sys.stderr, flush=True)


def cmd_batch(args: argparse.Namespace) -> int:
    from newsfacts.scale.ray_batch import run_batch

    if args.engine != "ray":
        raise CliError(f"unknown engine {args.engine!r}")
    try:
        report = run_batch(args.input, args.output, address=args.address, actors=args.actors)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    for origin, message in report.errors:
        print(f"error {origin}: {message}", file=sys.stderr)
    print(
        f"{report.files} files, {report.articles} articles, {report.facts} facts "
        f"→ {args.output}/articles, {args.output}/facts"
    )
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from newsfacts.ingest.loadprep import load_rows
    from newsfacts.ingest.runner import IngestReport, link_knowledge_base
    from newsfacts.ingest.workers import WorkerDied
    from newsfacts.scale.ray_batch import parquet_rows

    report = IngestReport()
    try:
        rows = parquet_rows(args.parquet_dir)
    except (ValueError, OSError) as exc:
        raise CliError(str(exc)) from exc
    with open_store(args.db) as store:
        try:
            # A batch of articles per transaction (ingest.bulksave), each batch's
            # per-article work done ahead in a worker (ingest.loadprep); the
            # quotable sets' cross-article pass once at the end.
            load_rows(
                store,
                rows,
                report,
                size=args.batch,
                workers=args.workers,
                warn=lambda line: print(line, file=sys.stderr),
            )
        except (ValueError, OSError) as exc:
            raise CliError(str(exc)) from exc
        except WorkerDied as exc:
            raise CliError(str(exc)) from None
        link_knowledge_base(store, report)
        print(report.summary())
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    """Through the API's search, so titles, arguments and quotes stay within each
    source's quotable set (the JSON is the `/api/search` body)."""
    from newsfacts.api.app import AppState
    from newsfacts.api.routes_articles import search
    from newsfacts.policy.registry import default_registry

    if not args.query.strip():
        raise CliError("empty query")
    with open_store(args.db) as store:
        state = AppState(store, None, default_registry(), None)
        found = search(state, args.query, max(1, min(args.limit, 100)), 0)
    if args.json:
        json.dump(found, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
        return 0
    for ent in found["entities"]["items"]:
        print(f"entity  {ent.get('key', ''):<40} {ent.get('name', '')}")
    for art in found["articles"]["items"]:
        print(f"article {art['id']}  {art.get('published') or '':<10}  {art.get('title') or ''}")
    for fact in found["facts"]["items"]:
        print(f"fact    {fact.get('type', ''):<12} {fact.get('article_id', '')}")
    if not any(found[k]["items"] for k in ("entities", "articles", "facts")):
        print("nothing found")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Through the API's presenters, so quotes stay within each source's reuse policy."""
    from newsfacts.api.app import AppState
    from newsfacts.api.present import record_json
    from newsfacts.policy.registry import default_registry

    with open_store(args.db) as store:
        state = AppState(store, None, default_registry(), None)
        record = store.get_record(args.target)
        if record is not None:
            out = record_json(record, state.budget())
        else:
            key = args.target
            if store.get_entity(key) is None:
                hits = store.search(args.target, limit=1).get("entities", [])
                key = hits[0]["entity_key"] if hits else ""
            out = state.entity_page(key) if key else None
        if out is None:
            raise CliError(f"no article or entity matches {args.target!r}")
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
    return 0


# The commands whose parsers need their modules imported (the evaluation corpora's
# readers, the benchmark), with their one-line help. Any other command line gets
# placeholders of the same names and help, so `newsfacts --help` reads the same but
# `newsfacts ingest` or `load` does not import them (~0.15 s of every start-up).
EVAL_COMMANDS = {
    "eval": "score extraction on an evaluation corpus",
    "bench": "speed: natasha NER alone vs full extraction vs ingest",
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The full parser, or, given the command line `argv`, one whose evaluation
    commands are placeholders when `argv` runs another command."""
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Turn Russian business and diplomatic news into a sourced database of facts.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the fact record of one article (no store)")
    p.add_argument("file", help="a .txt, .html, .xml/.rss/.atom or .jsonl file")
    p.add_argument("--json", action="store_true", help="print the JSON fact record")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="ingest files or directories into the store")
    p.add_argument("paths", nargs="+", help="files or directories (.txt .html .xml .jsonl)")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="extraction processes (forked once the models are loaded; they share them), "
        "beside this one, which reads and writes the store meanwhile; 0: extract in this "
        "process, one step after another",
    )
    p.add_argument(
        "--url",
        help="the article's own http(s) URL, for a single file (quotes link to it; "
        "without one, sources that require a link are not quoted)",
    )
    p.add_argument(
        "--budget",
        type=float,
        metavar="SECONDS",
        help="seconds one article's cleaning and extraction may take before it is skipped "
        "with an error (default: article_budget_s in data/pipeline.toml, 60; 0: no limit)",
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("batch", help="extract a large corpus on Ray Data into Parquet")
    p.add_argument("--engine", default="ray", choices=["ray"])
    p.add_argument("--input", required=True, help="a directory, a file or a glob")
    p.add_argument("--output", required=True, help="Parquet output directory")
    p.add_argument("--address", help="ray://HEAD:10001 for a cluster (default: local)")
    p.add_argument("--actors", type=int, default=2, help="extraction actors (one model copy each)")
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("load", help="load a `batch` Parquet output into the store")
    p.add_argument("parquet_dir")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument(
        "--batch", type=int, default=200, help="articles per store transaction (default 200)"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        help="1 (default): decode the records and build their rows in a forked process "
        "while this one writes; 0: all in this process",
    )
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("search", help="full-text search over articles, entities and facts")
    p.add_argument("query")
    p.add_argument("--db", help=DB_HELP)
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="print an article's record or an entity's dossier as JSON")
    p.add_argument("target", help="an article id, an entity key (person:...) or a name")
    p.add_argument("--db", help=DB_HELP)
    p.set_defaults(func=cmd_show)

    command = next(iter(argv), None) if argv is not None else None
    if command is None or command.startswith("-") or command in EVAL_COMMANDS:
        add_eval_commands(sub)
    else:
        for name, help_text in EVAL_COMMANDS.items():
            sub.add_parser(name, help=help_text)
    from newsfacts.kb_cli import add_kb_commands  # `kb`, `entity`, `export-kb`

    add_kb_commands(sub)
    from newsfacts.server_cli import add_web_commands  # `serve`, `policy`, `export`

    add_web_commands(sub)
    return parser


def add_eval_commands(sub: argparse._SubParsersAction) -> None:
    """`eval factrueval`, `eval nerel`, `eval quantities`, `eval news`, `eval scaling`
    and `bench`."""
    from newsfacts.eval import factrueval, nerel, news, quantities, scaling, speed

    p = sub.add_parser("eval", help=EVAL_COMMANDS["eval"])
    ev = p.add_subparsers(dest="corpus", required=True)
    q = ev.add_parser("factrueval", help="FactRuEval-2016: write responses, score tracks 1-3")
    factrueval.add_arguments(q)
    q.set_defaults(func=factrueval.main)
    q = ev.add_parser("nerel", help="NEREL (brat): entity and relation P/R/F1")
    nerel.add_arguments(q)
    q.set_defaults(func=nerel.main)
    q = ev.add_parser("quantities", help="our labelled sentences: quantities and dates")
    quantities.add_arguments(q)
    q.set_defaults(func=quantities.main)
    q = ev.add_parser("news", help="blind hand-labelled news texts: every fact type")
    news.add_arguments(q)
    q.set_defaults(func=news.main)
    q = ev.add_parser(
        "scaling", help="extraction time per character at growing sizes and odd shapes"
    )
    scaling.add_arguments(q)
    q.set_defaults(func=scaling.main)

    p = sub.add_parser("bench", help=EVAL_COMMANDS["bench"])
    speed.add_arguments(p)
    p.set_defaults(func=speed.main)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        from newsfacts.ingest.readers import printable

        print(f"newsfacts: error: {printable(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsfacts: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `newsfacts show X | head`: the reader left, not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
