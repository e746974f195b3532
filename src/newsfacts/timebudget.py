"""A time budget for one piece of work (one article's cleaning and extraction).

Ingest must not stall on one input: an article that takes longer than its budget is
abandoned with a one-line error and the batch goes on (issue 12). Every stage is
meant to be linear in the input, so the budget is a guard against what was missed,
not the normal path.

`time_limit` interrupts the running Python code when the time is up:

- in a process's main thread (the CLI, each `--workers` process, the eval commands)
  with SIGALRM, which also wakes a blocking call;
- in any other thread (the API runs ingest in a thread pool) with a watchdog timer
  that raises the exception asynchronously in the working thread
  (`PyThreadState_SetAsyncExc`).

Either way the exception arrives between two Python bytecodes: a single long call
into C (one regular-expression search, one matrix product) finishes first. That is
why each stage must also be linear; the budget bounds what remains.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class OverBudget(Exception):
    """The work took longer than its time budget."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = seconds
        super().__init__(
            f"no result within the {seconds:g} s time budget" if seconds else "over the time budget"
        )


class _AsyncOverBudget(OverBudget):
    """Raised by the watchdog in another thread; CPython creates it without arguments."""


def _usable(seconds: float | None) -> bool:
    return bool(seconds and seconds > 0)


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `OverBudget` in the body once it has run `seconds` (None or 0: no limit)."""
    if not _usable(seconds):
        yield
        return
    assert seconds is not None
    in_main = threading.current_thread() is threading.main_thread()
    if in_main and hasattr(signal, "SIGALRM") and signal.getitimer(signal.ITIMER_REAL)[0] == 0:
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise OverBudget(seconds)

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> int:
    return int(
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
        )
    )


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """The budget for a thread that cannot take signals.

    A lock orders the timer against the end of the body: once the body is done the
    timer raises nothing, and an exception the timer set but the thread has not yet
    met is withdrawn, so it never surfaces in the caller's later code."""
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(thread_id, _AsyncOverBudget)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except _AsyncOverBudget:
        raise OverBudget(seconds) from None
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                _set_async_exc(thread_id, None)


class Stopwatch:
    """Seconds spent so far, and what is left of a budget (None: no budget)."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.start

    def left(self, budget: float | None) -> float | None:
        if not _usable(budget):
            return None
        assert budget is not None
        return max(budget - self.elapsed(), 0.001)
