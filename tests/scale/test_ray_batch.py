"""Ray Data in local mode produces the same facts as the single-process ingest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsfacts.cli import main
from newsfacts.store import Store

pytestmark = pytest.mark.ray

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"


def fact_set(db: str) -> set[tuple[str, str, str]]:
    """Every stored fact as (article id, type, args with entity ids replaced by names)."""
    out = set()
    with Store.open(db) as store:
        for row in store.iter_facts_for_export():
            record = store.get_record(row["article_id"])
            assert record is not None
            names = {e.id: f"{e.type}:{e.name}" for e in record.entities}
            args = json.dumps(row["args"], ensure_ascii=False, sort_keys=True)
            for entity_id, name in names.items():
                args = args.replace(f'"{entity_id}"', json.dumps(name, ensure_ascii=False))
            out.add((row["article_id"], row["type"], args))
    return out


def article_ids(db: str) -> set[str]:
    with Store.open(db) as store:
        return {a["id"] for a in store.list_articles(limit=100_000)}


def compare_paths(inputs: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    single = str(tmp_path / "single.db")
    assert main(["ingest", *map(str, inputs), "--db", single, "--quiet"]) == 0

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i, path in enumerate(inputs):
        os.symlink(path.resolve(), corpus / f"{i:03d}_{path.name}")
    out_dir = tmp_path / "parquet"
    assert (
        main(
            [
                "batch",
                "--engine",
                "ray",
                "--input",
                str(corpus),
                "--output",
                str(out_dir),
                "--actors",
                "2",
            ]
        )
        == 0
    )
    assert (out_dir / "facts").is_dir()
    batch = str(tmp_path / "batch.db")
    assert main(["load", str(out_dir), "--db", batch]) == 0
    capsys.readouterr()

    assert article_ids(batch) == article_ids(single)
    facts = fact_set(single)
    assert facts, "the corpus yields facts"
    assert fact_set(batch) == facts


def test_ray_local_matches_single_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = sorted((ROOT / "examples").glob("0*"))
    compare_paths(examples, tmp_path, capsys)


@pytest.mark.slow
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is not beside the project")
def test_ray_local_matches_single_process_on_shared_corpora(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inputs = sorted((SHARED / "factrueval-2016" / "devset").glob("*.txt"))
    inputs += sorted((SHARED / "nerel-1.1" / "train").glob("*.txt"))
    inputs += sorted((SHARED / "nerel-1.1" / "dev").glob("*.txt"))
    compare_paths(inputs, tmp_path, capsys)
