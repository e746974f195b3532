"""`newsfacts eval scaling`: its texts, arithmetic and report, on tiny sizes.

Plumbing only: speed is measured by running the command, never asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from newsfacts.eval import scaling


@pytest.mark.parametrize("shape", list(scaling.SHAPES))
def test_shapes_have_the_size_asked_and_are_reproducible(shape: str) -> None:
    text = scaling.SHAPES[shape](3000, 5)
    assert len(text) == 3000
    assert text == scaling.SHAPES[shape](3000, 5)
    assert text != scaling.SHAPES[shape](3000, 6)


def test_shape_features() -> None:
    assert "\n" not in scaling.SHAPES["run-on"](3000, 1)
    assert "." not in scaling.SHAPES["run-on"](3000, 1)
    assert "7" * 100 in scaling.SHAPES["digits"](3000, 1)
    assert "а" * 1000 in scaling.SHAPES["long-token"](3000, 1)
    words = scaling.SHAPES["capitals"](3000, 1).split()
    assert all(not w[:1].islower() for w in words)


def fake_extract(text: str, seed: int) -> tuple[int, float, dict[str, float]]:
    """Costs 1 s per 1k characters, its 'slow' stage grows with the square."""
    n = len(text)
    return n, n / 1000 + (n / 1000) ** 2 / 100, {"fast": n / 1000, "slow": (n / 1000) ** 2 / 100}


def test_ratio_and_the_stage_that_grew() -> None:
    points = scaling.run_scaling(["news"], [1000, 4000], repeat=2, extract=fake_extract)
    assert [p.characters for p in points] == [1000, 4000]
    assert all(len(p.seconds) == 2 for p in points)
    assert points[0].per_1k() == pytest.approx(1.01)
    assert scaling.ratios(points)["news"] == pytest.approx(1.04 / 1.01)
    assert scaling.worst_stages(points, "news")[0] == ("slow", pytest.approx(4.0))
    text = scaling.report_text(points)
    assert "news: largest/smallest per character 1.03" in text and "slow 4.0x" in text


def test_an_extraction_error_is_reported_not_raised() -> None:
    def broken(text: str, seed: int) -> Any:
        if len(text) > 1000:
            raise ValueError("boom")
        return fake_extract(text, seed)

    points = scaling.run_scaling(["digits"], [500, 2000], extract=broken)
    assert points[1].error == "ValueError: boom"
    assert "error: ValueError: boom" in scaling.report_text(points)


def test_real_pipeline_on_tiny_sizes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "scaling.json"
    args = SimpleNamespace(shapes="news,run-on", sizes="600,300", repeat=1, json=out)
    assert scaling.main(args) == 0  # type: ignore[arg-type]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [(p["shape"], p["size"]) for p in data["points"]] == [
        ("news", 300),
        ("news", 600),
        ("run-on", 300),
        ("run-on", 600),
    ]
    point = data["points"][0]
    assert point["error"] is None and point["characters"] > 250
    assert {"clean", "natasha", "entities", "quantity"} <= set(point["stage_s_per_1k_chars"])
    assert set(data["ratio_largest_to_smallest"]) == {"news", "run-on"}
    assert "largest/smallest per character" in capsys.readouterr().out


def test_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    for shapes, sizes in (("nope", "100"), ("news", "x"), ("news", "0")):
        args = SimpleNamespace(shapes=shapes, sizes=sizes, repeat=1, json=None)
        assert scaling.main(args) == 2  # type: ignore[arg-type]
    assert "unknown shape(s) nope" in capsys.readouterr().err
