"""`ingest --workers 2` killed with -9 takes its workers (and, when they are spawned,
multiprocessing's resource tracker) with it.

A probe found both workers (about 600 MB) and multiprocessing's resource tracker
still running 180 s after the parent was killed (issue 12). Workers are now forked
(`ingest.workers`), which starts no resource tracker. Linux only: children are found
through /proc (no psutil dependency); a zombie counts as gone.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a live process, None once it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    state, ppid = raw[raw.rindex(")") + 2 :].split()[:2]
    return state, int(ppid)


def _children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(int(entry.name))
            if stat is not None and stat[1] == parent:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[0] not in ("Z", "X")


def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    shutil.copytree(ROOT / "examples", batch)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsfacts.cli", "ingest", str(batch), "--workers", "2"]
    cmd += ["--db", str(tmp_path / "nf.db"), "--quiet"]
    parent = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and parent.poll() is None:
            children = _children(parent.pid)
            if len(children) >= 2:  # two workers (and a spawn pool's resource tracker)
                break
            time.sleep(0.2)
        assert len(children) >= 2, f"workers never started: {children}"
        time.sleep(1.0)
        children = _children(parent.pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(pid) for pid in children):
            time.sleep(0.2)
        assert not [pid for pid in children if _alive(pid)], "children outlived the parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in children:  # only the processes this test started
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
