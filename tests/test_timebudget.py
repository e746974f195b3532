"""The time budget interrupts work in the main thread (SIGALRM) and in any other
thread (a watchdog), and never fires once the work is done."""

from __future__ import annotations

import threading
import time

import pytest

from newsfacts.timebudget import OverBudget, time_limit


def _spin(seconds: float) -> None:
    """Python work that only an exception can stop early (sleeps in short steps)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.005)


def _interrupted_after(limit: float) -> float:
    start = time.monotonic()
    with pytest.raises(OverBudget, match="time budget"), time_limit(limit):
        _spin(30)
    return time.monotonic() - start


def test_main_thread_work_is_interrupted() -> None:
    assert _interrupted_after(0.2) < 20


def test_work_in_another_thread_is_interrupted() -> None:
    took: list[float] = []
    thread = threading.Thread(target=lambda: took.append(_interrupted_after(0.2)))
    thread.start()
    thread.join(60)
    assert took and took[0] < 20


def test_no_exception_after_the_work_is_done() -> None:
    """Limits that expire around the end of the body raise nothing after it."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(100):
                try:
                    with time_limit(0.002):
                        _spin(0.0015)
                except OverBudget:  # within the body: what the limit is for
                    pass
                sum(range(2000))  # a stale exception would surface here
            _spin(0.05)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    run()
    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert errors == []


def test_no_limit() -> None:
    for seconds in (None, 0):
        with time_limit(seconds):
            _spin(0.01)
