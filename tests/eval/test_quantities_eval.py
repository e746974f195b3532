"""`newsfacts eval quantities`: the labelled set is sound and the scorer counts right."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsfacts.eval.quantities import (
    GoldError,
    _change_eq,
    _same_figure,
    evaluate,
    load_gold,
)
from newsfacts.model import QUALIFIERS

SPLITS = ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6")
CURRENCIES = {"USD", "EUR", "KZT", "RUB", "UZS", "CNY", "KGS", "TJS", "AZN", "TMT", "GBP", "JPY"}


def test_packaged_gold_is_large_varied_and_valid() -> None:
    items = load_gold()
    assert len(items) >= 60
    assert {i.split for i in items} == {"dev", *SPLITS[1:]}
    quantities = [q for i in items for q in i.quantities]
    units = {q["unit"] for q in quantities}
    assert len(units & CURRENCIES) >= 8
    assert {q["qualifier"] for q in quantities if q["value"] is not None} == set(QUALIFIERS)
    assert sum(1 for i in items if not i.quantities) >= 5  # negatives
    assert sum(1 for q in quantities if q.get("change")) >= 10
    assert sum(1 for i in items if i.published is None) >= 2
    for item in items:
        for q in item.quantities:
            assert set(q) >= {"value", "unit", "qualifier", "indicator", "period", "change"}
            assert q["indicator"], item.id
        for d in item.dates:
            assert d["text"] in item.text, item.id
    assert len({i.id for i in items}) == len(items)


def test_bad_gold_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{not json\n', encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad.jsonl:2"):
        load_gold(bad)
    with pytest.raises(GoldError, match="no such file"):
        load_gold(tmp_path / "missing.jsonl")


def q(value: Any, unit: Any, change: Any = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "qualifier": "eq", "change": change}


def test_alignment_rules() -> None:
    assert _same_figure(q(13500000, "USD"), q(13500000.0, "USD"))
    assert not _same_figure(q(13500000, "USD"), q(13500000, "EUR"))
    assert not _same_figure(q(100, "предприятие"), q(1000, "предприятие"))
    change = {"value": -7, "unit": "%", "against": None}
    assert _same_figure(q(None, None, change), q(None, None, dict(change)))
    assert not _same_figure(q(None, None, change), q(7, "%"))
    assert _change_eq(None, None)
    assert not _change_eq(change, {**change, "against": "2021"})


def test_evaluate_scores_a_small_set(tmp_path: Path) -> None:
    lines = [
        {
            "id": "a",
            "text": "Экспорт Казахстана в 2022 году составил 84 млрд долларов.",
            "published": "2023-02-01",
            "quantities": [
                {"value": 84000000000, "unit": "USD", "qualifier": "eq",
                 "indicator": "экспорт", "period": "2022", "change": None}
            ],
            "dates": [{"text": "в 2022 году", "value": "2022", "kind": "point"}],
        },
        {
            "id": "b",
            "text": "Посол вручил верительные грамоты.",
            "published": None,
            "quantities": [
                # deliberately wrong gold: the scorer must count it as missed
                {"value": 5, "unit": "грамота", "qualifier": "eq",
                 "indicator": "число грамот", "period": None, "change": None}
            ],
            "dates": [],
        },
    ]  # fmt: skip
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    rep = evaluate(load_gold(path))
    assert (rep.gold, rep.aligned, rep.predicted) == (2, 1, 1)
    rates = rep.rates()
    assert rates["value_unit_qualifier"] == 0.5
    assert rates["indicator"] == 0.5
    assert rates["precision"] == 1.0
    assert rates["dates_accuracy"] == 1.0
    assert any("b missed" in e for e in rep.errors)


@pytest.mark.slow
def test_dev_and_heldout_meet_targets() -> None:
    items = load_gold()
    for split in SPLITS:
        rates = evaluate([i for i in items if i.split == split]).rates()
        assert rates["value_unit_qualifier"] >= 0.90, (split, rates)
        assert rates["precision"] >= 0.90, (split, rates)
        # heldout6, the newest blind batch, scored 0.810 on its one blind run
        assert rates["indicator"] >= 0.75, (split, rates)
