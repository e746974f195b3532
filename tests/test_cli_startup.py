"""What `newsfacts` imports before it runs a command (issue 13: process start-up).

A `load` or `ingest` needs neither the evaluation corpora's readers nor the
benchmark, whose imports were ~0.15 s of every start-up; the help lists every
command either way.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsfacts.cli import EVAL_COMMANDS, build_parser, main


def test_the_top_level_help_is_the_same_for_every_command_line() -> None:
    full = build_parser().format_help()
    assert all(name in full for name in EVAL_COMMANDS)
    assert build_parser(["ingest", "x"]).format_help() == full
    assert build_parser(["bench", "--data", "x"]).format_help() == full


def test_a_store_command_does_not_import_the_evaluation_modules() -> None:
    code = (
        "import sys\n"
        "from newsfacts.cli import build_parser\n"
        "args = build_parser(['load', 'dir', '--db', 'x.db']).parse_args(['load', 'dir'])\n"
        "assert args.parquet_dir == 'dir'\n"
        "print(sorted(m for m in sys.modules if m.startswith('newsfacts.eval')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["bench", "--help"], ["eval", "nerel", "--help"]])
def test_the_evaluation_commands_still_parse_in_full(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "--" in capsys.readouterr().out.split("options:")[-1]  # the real options
