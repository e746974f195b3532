"""Worker processes die with the process that started them.

`ingest --workers N` runs extraction in a spawn-context process pool. When the
parent is killed with SIGKILL it cannot shut the pool down, and a probe found both
workers (about 600 MB) and multiprocessing's resource tracker still running minutes
later (issue 12). Each worker therefore ties its life to its parent's as its first
act: on Linux the kernel sends it SIGKILL when the parent dies (prctl
PR_SET_PDEATHSIG); elsewhere, and as a second guard, a daemon thread notices the
re-parenting within a second. Once the workers are gone, the resource tracker sees
its pipe close and exits by itself.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
POLL_SECONDS = 1.0


def die_with_parent(parent_pid: int) -> None:
    """Make this process exit as soon as `parent_pid` (its parent) is gone."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watchdog still works
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
    threading.Thread(
        target=_watch, args=(parent_pid,), name="newsfacts-parent-watch", daemon=True
    ).start()


def _watch(parent_pid: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(1)
