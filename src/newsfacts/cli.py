"""The `newsfacts` command line. Each subcommand is a thin wrapper over a module."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


class CliError(Exception):
    """An error the user can act on: printed as one line, exit status 1."""


def cmd_extract(args: argparse.Namespace) -> int:
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import IngestError, read_path
    from newsfacts.pipeline import default_pipeline

    items = list(read_path(Path(args.file)))
    docs = [i for i in items if not isinstance(i, IngestError)]
    errors = [i for i in items if isinstance(i, IngestError)]
    if not docs:
        raise CliError(errors[0].message if errors else f"{args.file}: no article found")
    pipeline = default_pipeline()
    records = [pipeline(clean(raw)).to_dict() for raw in docs]
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsfacts",
        description="Turn Russian business and diplomatic news into a sourced database of facts.",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("extract", help="print the fact record of one article (no store)")
    p.add_argument("file", help="a .txt, .html, .xml/.rss/.atom or .jsonl file")
    p.add_argument("--json", action="store_true", help="print the JSON fact record")
    p.set_defaults(func=cmd_extract)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsfacts: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
