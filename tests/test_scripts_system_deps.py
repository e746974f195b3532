"""The README's one test command installs what the browser and PostgreSQL tests need
(issue 12, item 7), and says in one line which tests skip when it cannot."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _deps(tmp_path: Path, uid: str, **env: str) -> subprocess.CompletedProcess[str]:
    fake = tmp_path / "bin"
    fake.mkdir(exist_ok=True)
    (fake / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    (fake / "id").chmod(0o755)
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / "system-deps.sh")],
        env={**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_test_command_installs_system_packages_first() -> None:
    script = (ROOT / "scripts" / "test.sh").read_text()
    assert "scripts/system-deps.sh" in script
    assert script.index("scripts/system-deps.sh") < script.index("-m pytest")


def test_without_root_one_line_says_which_tests_skip(tmp_path: Path) -> None:
    done = _deps(tmp_path, "1000", NEWSFACTS_CHROMIUM=str(tmp_path / "no-chromium"))
    assert done.returncode == 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "not root" in lines[0] and "browser tests" in lines[0] and "skip" in lines[0]


def test_nothing_to_do_is_silent(tmp_path: Path) -> None:
    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    done = _deps(tmp_path, "1000", NEWSFACTS_CHROMIUM=str(chromium))
    assert done.returncode == 0
    assert "browser" not in done.stderr
