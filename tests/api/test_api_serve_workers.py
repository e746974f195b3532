"""`newsfacts serve --workers N`: several server processes over one store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsfacts.cli import build_parser
from newsfacts.server import app_from_env, create_app


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_workers_must_be_positive(capsys) -> None:
    assert build_parser().parse_args(["serve"]).workers == 1
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--workers", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def _total(store) -> int:
    return TestClient(create_app(store, pages=False)).get("/api/articles").json()["total"]


def test_app_from_env_serves_the_store_named_in_the_environment(fresh_store, monkeypatch) -> None:
    url = fresh_store.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("NEWSFACTS_DB", url)
    app = app_from_env()
    body = TestClient(app).get("/api/articles").json()
    assert body["total"] == _total(fresh_store) > 0
    assert app.state.newsfacts.store is not fresh_store  # the worker's own connection


def test_two_worker_processes_answer_requests(fresh_store) -> None:
    url = fresh_store.engine.url.render_as_string(hide_password=False)
    port = _free_port()
    newsfacts = str(Path(sys.executable).with_name("newsfacts"))
    cmd = [newsfacts, "serve", "--db", url, "--port", str(port)]
    env = {k: v for k, v in os.environ.items() if k != "NEWSFACTS_DB"}
    server = subprocess.Popen(
        [*cmd, "--workers", "2", "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        answers: list[int] = []
        while time.monotonic() < deadline and len(answers) < 6:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=5)
                answers.append(reply.json()["total"])
            except httpx.TransportError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.3)
        assert answers == [_total(fresh_store)] * 6
    finally:
        server.terminate()
        server.wait(timeout=30)
