"""The Host-header check against DNS rebinding (issue 12): the API answers only to the
names it is served as; any other Host gets a 400 in the one error body."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsfacts.api.hosts import ENV_HOSTS, allowed_hosts, host_name
from newsfacts.server import create_app


@pytest.fixture
def app(store, registry, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.delenv(ENV_HOSTS, raising=False)
    return TestClient(create_app(store, policy_registry=registry), base_url="http://127.0.0.1")


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."]
)
def test_loopback_names_are_served(app: TestClient, host: str) -> None:
    assert app.get("/api/articles", headers={"host": host}).status_code == 200


@pytest.mark.parametrize(
    "host",
    ["attacker.example", "attacker.example:8000", "127.0.0.1.nip.io", "testserver", "", "[::1"],
)
def test_other_hosts_are_refused(app: TestClient, host: str) -> None:
    for path in ("/api/articles", "/", "/openapi.json", "/docs"):
        r = app.get(path, headers={"host": host})
        assert r.status_code == 400, (path, host)
        assert r.json()["error"]["code"] == "bad_request"


def test_named_hosts_are_served(store, registry, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_HOSTS, "news.example.org, Other.Example")
    client = TestClient(create_app(store, policy_registry=registry))
    for host in ("news.example.org", "other.example:80", "localhost"):
        assert client.get("/api/articles", headers={"host": host}).status_code == 200
    assert client.get("/api/articles", headers={"host": "evil.example"}).status_code == 400


def test_serve_binds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_HOSTS, raising=False)
    assert allowed_hosts("127.0.0.1") == ["localhost", "127.0.0.1", "[::1]"]
    assert "192.168.1.5" in allowed_hosts("192.168.1.5")
    assert "[fe80::1]" in allowed_hosts("fe80::1")
    assert allowed_hosts("0.0.0.0") == ["*"]  # a deliberate public server  # noqa: S104
    monkeypatch.setenv(ENV_HOSTS, "news.example.org")
    assert "*" not in allowed_hosts("0.0.0.0")  # noqa: S104
    assert host_name("[::1]:8000") == "[::1]" and host_name("a.b:1") == "a.b"
