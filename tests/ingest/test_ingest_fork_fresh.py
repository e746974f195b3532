"""The forked-worker tests again in a fresh interpreter, which can always fork safely.

A process with other threads spawns its workers instead of forking them
(`ingest.workers.start_method`), and the fork tests skip there. In a full run other
tests leave a thread behind before tests/ingest is even collected (schemathesis loads
its schema through a test client at import), so the suite skipped the forked paths:
ingest beside one worker, a failing writer, a dead worker. Here they run in a child
pytest with no other thread, and may skip nothing for want of a fork.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORK_TESTS = ["tests/ingest/test_ingest_pipelined.py", "tests/ingest/test_ingest_fork_workers.py"]
FORK_SKIPS = ("no safe fork", "runs other threads")


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)
def test_fork_tests_pass_in_a_fresh_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *FORK_TESTS],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    tail = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, tail
    assert " passed" in done.stdout, tail
    assert not any(reason in done.stdout for reason in FORK_SKIPS), tail
