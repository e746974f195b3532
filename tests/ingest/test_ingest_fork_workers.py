"""`ingest --workers N` forks its workers with the models already loaded (issue 13),
and falls back to spawned workers where forking is unsafe (another thread alive).

Speed is the benchmarks' business (BENCHMARKS.md §6); these tests pin what makes it:
the workers use this process's models instead of loading their own, the parent's
garbage collector is left as it was, and a threaded caller still gets working
(spawned) workers.
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Iterator

import pytest

from newsfacts.ingest import workers
from newsfacts.model import Article
from newsfacts.pipeline import Doc, Pipeline, component

# Filled in this (the parent) process before the pool starts: a forked worker sees
# it, a spawned one re-imports this module and sees it empty.
PARENT_MARK: list[str] = []


@component("test_fork_noop")
def _noop(doc: Doc) -> None:
    """A component that loads no model, so a spawned pool starts fast."""


def _seen_by_worker() -> tuple[int, list[str]]:
    return os.getpid(), list(PARENT_MARK)


def _models_id() -> int:
    from newsfacts.nlp.natasha_pipe import models

    return id(models())


@pytest.fixture
def marked() -> Iterator[None]:
    PARENT_MARK.append("parent")
    yield
    PARENT_MARK.clear()


def _single_threaded() -> None:
    if threading.active_count() > 1:  # another test left a thread running
        pytest.skip("this process runs other threads: workers are spawned, not forked")


def test_forked_workers_use_the_models_this_process_loaded(marked: None) -> None:
    from newsfacts.nlp.natasha_pipe import models

    _single_threaded()
    assert workers.start_method() == "fork"
    frozen_before = gc.get_freeze_count()
    with workers.start_pool(2, Pipeline(["natasha"])) as pool:
        assert gc.get_freeze_count() == frozen_before  # the parent's collector is untouched
        assert workers._WORKER_PIPELINE is None  # this process keeps no worker pipeline
        seen = [pool.submit(_seen_by_worker).result() for _ in range(4)]
        ids = {pool.submit(_models_id).result() for _ in range(4)}
    assert all(pid != os.getpid() and mark == ["parent"] for pid, mark in seen)
    assert ids == {id(models())}  # the parent's models, not a copy loaded by the worker


def test_forked_workers_extract_like_this_process() -> None:
    _single_threaded()
    pipeline = Pipeline(["natasha", "entities"])
    texts = ["Посол Италии встретился с мэром Москвы.", "Газпром купил завод в Туле."]
    jobs = [(Article(f"a{i}", text), f"a{i}.txt", None, 0.0) for i, text in enumerate(texts)]
    done = list(workers.parallel(iter(jobs), 2, pipeline))
    assert [d.origin for d in done] == ["a0.txt", "a1.txt"]
    here = [workers.extract(pipeline, *job) for job in jobs]
    assert all(d.error is None for d in done)
    assert [d.record for d in done] == [h.record for h in here]


def test_a_caller_with_other_threads_gets_spawned_workers(marked: None) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert workers.start_method() == "spawn"
        with workers.start_pool(2, Pipeline(["test_fork_noop"])) as pool:
            pid, mark = pool.submit(_seen_by_worker).result(timeout=120)
            job = (Article("a", "Текст."), "a.txt", None, 0.0)
            done = pool.submit(workers._worker_extract, job).result(timeout=120)
    finally:
        stop.set()
        other.join()
    assert pid != os.getpid() and mark == []  # a fresh interpreter, not a fork
    assert done.error is None and done.record is not None
