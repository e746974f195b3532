"""Fixtures of the evaluation tests; the gold layers are built in eval_gold_fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval_gold_fixtures import make_gold_dir


@pytest.fixture()
def gold_dir(tmp_path: Path) -> Path:
    return make_gold_dir(tmp_path)
