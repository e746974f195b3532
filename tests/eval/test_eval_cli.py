"""The eval and bench subcommands: wiring and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.cli import main


def test_eval_factrueval_on_empty_folder_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["eval", "factrueval", "--data", str(tmp_path), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no book_N.txt files" in err[0]


def test_eval_nerel_on_missing_folder_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert main(["eval", "nerel", "--data", str(tmp_path / "nope")]) == 1
    assert "not a directory" in capsys.readouterr().err


def test_bench_command(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "a.txt").write_text(
        "Заголовок\nПосол Италии Марко Альберти встретился с акимом Алматы.\n", encoding="utf-8"
    )
    out = tmp_path / "bench.json"
    assert main(["bench", "--data", str(tmp_path), "--no-ingest", "--json", str(out)]) == 0
    assert "full_extraction" in capsys.readouterr().out
    assert out.exists()


def test_eval_requires_a_corpus_name(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["eval"])
