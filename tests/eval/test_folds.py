"""The frozen blind split of the FactRuEval devset (newsfacts.eval.folds)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from newsfacts.eval import factrueval as fre
from newsfacts.eval import folds


def test_split_is_a_fixed_partition_of_book_names() -> None:
    names = [f"book_{i}" for i in range(1, 400)]
    blind = [n for n in names if folds.in_split(n, "blind")]
    tune = [n for n in names if folds.in_split(n, "tune")]
    assert sorted(blind + tune) == sorted(names)
    assert not set(blind) & set(tune)
    assert all(folds.in_split(n, "all") for n in names)
    # About a quarter is blind; the rule depends on the name only.
    assert 0.15 < len(blind) / len(names) < 0.35
    assert folds.is_blind("book_100.txt") == folds.is_blind("book_100")
    assert folds.is_blind("/a/b/book_100.facts") == folds.is_blind("book_100")


def test_unknown_split_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown split"):
        folds.in_split("book_1", "dev")


def test_evaluate_runs_only_the_chosen_split_and_hides_blind_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "books"
    data.mkdir()
    names = [f"book_{i}" for i in range(1, 30)]
    for name in names:
        (data / f"{name}.txt").write_text("Текст.", encoding="utf-8")

    def failing(text: str, name: str) -> SimpleNamespace:
        raise RuntimeError(f"bad {name}")

    monkeypatch.setattr(fre, "extract_raw", failing)
    lines: list[str] = []
    blind = fre.evaluate(data, tmp_path / "b", split="blind", log=lines.append)
    tune = fre.evaluate(data, tmp_path / "t", split="tune")
    assert blind.docs == sum(folds.is_blind(n) for n in names) > 0
    assert blind.docs + tune.docs == len(names)
    assert not lines  # no per-document line for blind books
    assert len(blind.errors) == 1 and "not shown" in blind.errors[0]
    assert not any("bad" in e for e in blind.errors)
    assert len(tune.errors) == tune.docs
