"""`scripts/make_load_input.py --records` reads `make_big_store.py`'s record cache.

The load benchmark (BENCHMARKS.md §6) builds its input from that cache, whose lines
wrap each record as `{"origin": ..., "record": ...}` (null for a text skipped as too
slow); the script read only bare records and stopped with a KeyError on the first line.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

from newsfacts.model import Article, Record

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_load_input.py"


def _record(article_id: str) -> dict[str, object]:
    return Record(Article(article_id, f"Текст {article_id}."), extractor_version="v").to_dict()


def test_reads_wrapped_bare_and_skipped_lines(tmp_path: Path) -> None:
    cache = tmp_path / "records.jsonl"
    lines = [
        {"origin": "a.txt", "record": _record("a")},
        {"origin": "slow.txt", "record": None},
        _record("b"),
        {"origin": "c.txt", "record": _record("c")},
    ]
    cache.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    out = tmp_path / "in"
    args = [sys.executable, str(SCRIPT), "--records", str(cache), "--limit", "2"]
    done = subprocess.run(
        [*args, "--parts", "2", "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    ids = [
        pq.read_table(out / f"part-{k}" / "articles" / "data.parquet")["article_id"].to_pylist()
        for k in (0, 1)
    ]
    assert ids == [["a"], ["b"]]  # the skipped text is not counted against --limit
