"""Prove a speed change leaves extraction output unchanged.

    python scripts/check_same_output.py DIR [DIR ...] --out before.jsonl
    python scripts/check_same_output.py --compare before.jsonl after.jsonl

The first form runs the default pipeline over every `.txt` file in the folders (read
and cleaned as ingest does) and writes one canonical JSON line per file: entities,
facts (args, evidence spans, confidence) and a digest of the natasha layer (tokens,
morphology, lemmas, syntax, NER spans), so a difference in the NLP layer shows even
when no extractor happens to use it. `--nlp-detail` stores that layer in full instead
of a digest, to see *what* changed. The second form prints each file whose line
differs, and which sections (entities, facts of a type, nlp) differ; exit status 1
when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any


def nlp_layer(nd: Any) -> dict[str, Any]:
    """The natasha layer as plain lists, in text order."""
    tokens = [
        [t.start, t.stop, t.text, t.pos, sorted(t.feats.items()), t.id, t.head_id, t.rel, t.lemma]
        for t in nd.tokens
    ]
    sents = [[s.start, s.stop] for s in nd.sents]
    spans = [[s.start, s.stop, s.type] for s in (nd.spans or [])]
    return {"sents": sents, "tokens": tokens, "spans": spans}


def canonical(name: str, doc: Any, *, nlp_detail: bool) -> dict[str, Any]:
    from newsfacts.model import Record

    record = Record(article=doc.article, entities=doc.entities, facts=doc.facts)
    data = record.to_dict()
    nlp = nlp_layer(doc.nlp) if doc.nlp is not None else None
    blob = json.dumps(nlp, ensure_ascii=False, sort_keys=True)
    return {
        "file": name,
        "entities": data["entities"],
        "facts": data["facts"],
        "nlp": nlp if nlp_detail else hashlib.sha256(blob.encode("utf-8")).hexdigest(),
    }


def snapshot(dirs: list[Path], out: Path, *, nlp_detail: bool) -> int:
    from newsfacts.ingest.clean import clean
    from newsfacts.ingest.readers import IngestError, read_path
    from newsfacts.pipeline import default_pipeline

    for folder in dirs:
        if not folder.is_dir():
            print(f"check_same_output: {folder}: not a directory", file=sys.stderr)
            return 2
    pipeline = default_pipeline()
    lines = 0
    with out.open("w", encoding="utf-8") as fh:
        for folder in dirs:
            for path in sorted(folder.glob("*.txt")):
                name = f"{folder.name}/{path.name}"
                items = list(read_path(path))
                for item in items:
                    if isinstance(item, IngestError):
                        row: dict[str, Any] = {"file": name, "error": item.message}
                    else:
                        try:
                            doc = pipeline.make_doc(clean(item))
                        except Exception as exc:  # a rejected text is recorded, not fatal
                            row = {"file": name, "error": f"{type(exc).__name__}: {exc}"}
                        else:
                            row = canonical(name, doc, nlp_detail=nlp_detail)
                    fh.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
                    lines += 1
    print(f"check_same_output: {lines} files -> {out}")
    return 0


def _load(path: Path) -> dict[str, dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return {row["file"]: row for row in map(json.loads, fh)}


def _sections(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    out = []
    for key in sorted(set(a) | set(b)):
        if key == "facts":
            types = {f["type"] for f in a.get("facts", []) + b.get("facts", [])}
            for t in sorted(types):
                fa = [f for f in a.get("facts", []) if f["type"] == t]
                fb = [f for f in b.get("facts", []) if f["type"] == t]
                if fa != fb:
                    out.append(f"facts:{t} ({len(fa)} -> {len(fb)})")
        elif a.get(key) != b.get(key):
            out.append(key)
    return out


def compare(a_path: Path, b_path: Path) -> int:
    try:
        a, b = _load(a_path), _load(b_path)
    except (OSError, ValueError, KeyError) as exc:
        print(f"check_same_output: cannot read a snapshot: {exc}", file=sys.stderr)
        return 2
    differing = 0
    for name in sorted(set(a) | set(b)):
        if name not in a or name not in b:
            print(f"{name}: only in {a_path if name in a else b_path}")
            differing += 1
        elif a[name] != b[name]:
            print(f"{name}: {', '.join(_sections(a[name], b[name]))}")
            differing += 1
    print(f"{differing} of {len(set(a) | set(b))} files differ")
    return 1 if differing else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dirs", nargs="*", type=Path, help="folders of .txt articles")
    parser.add_argument("--out", type=Path, help="snapshot file to write (JSON lines)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("A", "B"))
    parser.add_argument("--nlp-detail", action="store_true", help="store the NLP layer in full")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.compare)
    if not args.dirs or not args.out:
        parser.error("give folders and --out, or --compare A B")
    return snapshot(args.dirs, args.out, nlp_detail=args.nlp_detail)


if __name__ == "__main__":
    sys.exit(main())
