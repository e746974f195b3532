"""`newsfacts load` reads a `batch` output without Ray and without pandas.

pandas is not needed to read three columns, and importing it (through
`pyarrow.dataset`) was a seventh of a 300-article `load` (issue 13).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newsfacts.model import Article, Record
from newsfacts.scale.ray_batch import ARTICLE_COLUMNS, iter_parquet_records


def write_part(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.table({c: [r.get(c, "") for r in rows] for c in ARTICLE_COLUMNS})
    pq.write_table(table, path)


def record_row(order: str, article_id: str) -> dict[str, str]:
    record = Record(Article(article_id, f"Текст {article_id}."), extractor_version="v")
    return {
        "order": order,
        "article_id": article_id,
        "origin": f"{article_id}.txt",
        "record_json": json.dumps(record.to_dict(), ensure_ascii=False),
    }


def make_output(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    write_part(out / "articles" / "b.parquet", [record_row("000000001:000000000", "b")])
    write_part(
        out / "articles" / "a.parquet",
        [record_row("000000002:000000000", "c"), record_row("000000000:000000001", "a")],
    )
    return out


def test_records_come_in_input_order(tmp_path: Path) -> None:
    records = list(iter_parquet_records(str(make_output(tmp_path))))
    assert [(r.article.id, origin) for r, origin in records] == [
        ("a", "a.txt"),
        ("b", "b.txt"),
        ("c", "c.txt"),
    ]
    assert records[0][0].article.text == "Текст a."


def test_reading_does_not_import_pandas(tmp_path: Path) -> None:
    out = make_output(tmp_path)
    code = (
        "import sys\n"
        "from newsfacts.scale.ray_batch import iter_parquet_records\n"
        f"assert len(list(iter_parquet_records({str(out)!r}))) == 3\n"
        "print(sorted(m for m in ('pandas', 'pyarrow.dataset', 'ray') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"
