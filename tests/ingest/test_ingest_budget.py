"""An article over its time budget is skipped with one line; the batch goes on (issue 12).

A pipeline component that stalls on one marked article stands in for a stage that
is not linear on some input. Single process, a thread (the API's path) and HTTP.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from newsfacts.ingest.runner import IngestReport, article_budget, ingest_paths
from newsfacts.pipeline import Doc, Pipeline, component
from newsfacts.store import Store

STALL = "Зависание"


@component("test_stall_on_marker")
def _stall(doc: Doc) -> None:
    """Stalls (30 s, in short sleeps a budget can interrupt) on a marked article."""
    if STALL in doc.text:
        end = time.monotonic() + 30
        while time.monotonic() < end:
            time.sleep(0.01)


def _article(n: int, marker: str = "") -> str:
    return (
        f"Аким города номер {n} встретился с послом Италии. {marker} "
        f"Стороны обсудили строительство завода и поставки оборудования в {2010 + n} году."
    )


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_article(1), encoding="utf-8")
    (folder / "stall.txt").write_text(_article(2, STALL), encoding="utf-8")
    (folder / "z.txt").write_text(_article(3), encoding="utf-8")
    return folder


def _check(report: IngestReport, lines: list[str], db: Path) -> None:
    assert report.added == 2
    assert len(report.errors) == 1
    origin, message = report.errors[0]
    assert origin.endswith("stall.txt") and "time budget" in message
    problem = [line for line in lines if "stall.txt" in line]
    assert len(problem) == 1 and "\n" not in problem[0] and "time budget" in problem[0]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store.open(str(db)) as store:
        assert store.stats()["articles"] == 2


def _ingest(batch: Path, db: Path, lines: list[str], workers: int = 1) -> IngestReport:
    with Store.open(str(db)) as store:
        return ingest_paths(
            [batch],
            store,
            pipeline=Pipeline(["test_stall_on_marker"]),
            workers=workers,
            link=False,
            budget=0.5,
            on_problem=lambda kind, origin, message: lines.append(f"{kind} {origin}: {message}"),
        )


def test_over_budget_article_is_skipped(batch: Path, tmp_path: Path) -> None:
    lines: list[str] = []
    started = time.monotonic()
    report = _ingest(batch, tmp_path / "s.db", lines)
    assert time.monotonic() - started < 25  # the stall (30 s) was cut short
    _check(report, lines, tmp_path / "s.db")


def test_over_budget_article_is_skipped_by_worker_processes(batch: Path, tmp_path: Path) -> None:
    """`--workers 2`: each worker runs the caller's pipeline under the budget."""
    lines: list[str] = []
    started = time.monotonic()
    report = _ingest(batch, tmp_path / "w.db", lines, workers=2)
    assert time.monotonic() - started < 25
    _check(report, lines, tmp_path / "w.db")


def test_over_budget_article_is_skipped_in_a_thread(batch: Path, tmp_path: Path) -> None:
    """The API ingests in a worker thread, where no signal can reach: the watchdog."""
    lines: list[str] = []
    reports: list[IngestReport] = []
    thread = threading.Thread(
        target=lambda: reports.append(_ingest(batch, tmp_path / "t.db", lines))
    )
    thread.start()
    thread.join(25)
    assert not thread.is_alive() and reports
    _check(reports[0], lines, tmp_path / "t.db")


def test_http_ingest_skips_the_over_budget_article(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsfacts.server import create_app

    token = "budget-test-token"
    with Store.open(str(tmp_path / "h.db")) as store:
        app = create_app(store, token=token, pipeline=Pipeline(["test_stall_on_marker"]))
        app.state.newsfacts.ingest_budget = 0.5
        body = "\n".join(
            json.dumps({"text": _article(n, STALL if n == 2 else ""), "title": f"Статья {n}"})
            for n in (1, 2, 3)
        )
        with TestClient(app) as client:
            response = client.post(
                "/api/ingest",
                content=body.encode(),
                headers={"content-type": "application/x-ndjson", "x-api-token": token},
            )
            assert response.status_code == 200, response.text
            result = response.json()
            assert result["added"] == 2
            assert len(result["errors"]) == 1 and "time budget" in result["errors"][0]
            assert not app.state.newsfacts.ingest_lock.locked()
        assert store.stats()["articles"] == 2


def test_the_default_budget_is_configured() -> None:
    assert article_budget() == 60


def test_a_reader_over_budget_is_one_error_for_its_file(
    batch: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that stalls on one file (a parser slow on its markup): that file is
    one error line, the other files are read and stored."""
    from newsfacts.ingest import readers

    original = readers._read_file

    def stalling(path: Path):  # type: ignore[no-untyped-def]
        if path.name == "stall.txt":
            end = time.monotonic() + 30
            while time.monotonic() < end:
                time.sleep(0.01)
        yield from original(path)

    monkeypatch.setattr(readers, "_read_file", stalling)
    lines: list[str] = []
    with Store.open(str(tmp_path / "r.db")) as store:
        report = ingest_paths(
            [batch],
            store,
            pipeline=Pipeline([]),
            link=False,
            budget=0.5,
            on_problem=lambda kind, origin, message: lines.append(f"{kind} {origin}: {message}"),
        )
    assert report.added == 2
    assert [origin for origin, _ in report.errors] == [str(batch / "stall.txt")]
    assert "reading took longer than the 0.5 s time budget" in report.errors[0][1]
    assert len([line for line in lines if "stall.txt" in line]) == 1
