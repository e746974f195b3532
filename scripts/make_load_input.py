"""Extract the first N texts of the shared corpora once, into `load` input.

Writes DIR/part-K/articles/*.parquet (the layout `newsfacts batch` writes, split
into K parts so K loaders can each take one) without starting Ray, so a load
benchmark measures the store and not extraction. Usage:

    .venv/bin/python scripts/make_load_input.py --limit 300 --parts 2 --out /tmp/load-in

`--records FILE` takes records extracted earlier instead (JSON lines, each a record
as `Record.to_json()` writes it, or that JSON as a string), so the corpus is
extracted once for many runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
CORPORA = [
    SHARED / "factrueval-2016" / "devset",
    SHARED / "nerel-1.1" / "dev",
    SHARED / "nerel-1.1" / "train",
]


def main() -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsfacts.pipeline import default_pipeline
    from newsfacts.scale.ray_batch import ARTICLE_COLUMNS, extract_file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=300, help="texts from the shared corpora")
    parser.add_argument("--parts", type=int, default=2, help="input parts (one per loader)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--records", help="JSON lines of records extracted earlier")
    args = parser.parse_args()

    parts: list[list[dict[str, str]]] = [[] for _ in range(max(1, args.parts))]
    if args.records:
        with open(args.records, encoding="utf-8") as lines:
            cached = (_record(json.loads(line)) for line in lines if line.strip())
            for index, data in enumerate(d for d in cached if d is not None):
                if index >= args.limit:
                    break
                parts[index % len(parts)].append(_row(data, index, args.records))
    else:
        files = [p for corpus in CORPORA for p in sorted(corpus.glob("*.txt"))][: args.limit]
        pipeline = default_pipeline()
        for index, path in enumerate(files):
            rows = [r for r in extract_file(pipeline, str(path), index) if not r["error"]]
            parts[index % len(parts)].extend(rows)
    for k, rows in enumerate(parts):
        folder = Path(args.out) / f"part-{k}" / "articles"
        folder.mkdir(parents=True, exist_ok=True)
        table = pa.table({c: [r[c] for r in rows] for c in ARTICLE_COLUMNS})
        pq.write_table(table, folder / "data.parquet")
    print(f"{sum(len(p) for p in parts)} articles in {len(parts)} parts under {args.out}")
    return 0


def _record(data: object) -> object:
    """A cached record: a plain record line, or `make_big_store.py`'s cache line
    `{"origin": ..., "record": ...}` (None where that text was skipped as too slow)."""
    if isinstance(data, dict) and "origin" in data and "record" in data:
        return data["record"]
    return data


def _row(data: object, index: int, origin: str) -> dict[str, str]:
    """An `articles/` row for one cached record."""
    from newsfacts.model import Record
    from newsfacts.scale.ray_batch import ARTICLE_COLUMNS

    record = Record.from_json(data) if isinstance(data, str) else Record.from_dict(data)
    art = record.article
    values = {
        "order": f"{index:09d}:{0:09d}",
        "article_id": art.id,
        "origin": f"{origin}:{index + 1}",
        "url": art.url or "",
        "source": art.source or "",
        "published": art.published or "",
        "record_json": json.dumps(record.to_dict(), ensure_ascii=False),
    }
    return {c: values.get(c, "") for c in ARTICLE_COLUMNS}


if __name__ == "__main__":
    sys.exit(main())
