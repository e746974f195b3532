"""Fixtures for the ingest tests: the repository's examples and the shared seed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Starlette's test client sends `Host: testserver`; the app answers only to the
# names it is served as (newsfacts.api.hosts), so these tests add that name.
os.environ.setdefault("NEWSFACTS_ALLOWED_HOSTS", "testserver")

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEED = ROOT.parent / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/seed is not available")
    return SEED
