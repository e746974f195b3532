"""The API layer never imports the web layer (issue 13): web -> api, one way."""

from __future__ import annotations

import ast
from pathlib import Path

import newsfacts.api

API = Path(newsfacts.api.__file__).parent
ABOVE = ("newsfacts.web", "newsfacts.server", "newsfacts.server_cli", "newsfacts.cli")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_no_api_module_imports_the_web_layer_or_the_app_above_it() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in sorted(API.glob("*.py"))
        for name in _imports(path)
        if name.startswith(ABOVE)
    }
    assert offenders == set()


def test_the_application_factory_still_mounts_the_pages(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsfacts.server import create_app
    from newsfacts.store import Store

    store = Store.open(str(tmp_path / "s.db"))
    try:
        with TestClient(create_app(store, token=None)) as client:
            assert client.get("/").status_code == 200
            assert client.get("/api/articles").status_code == 200
        with TestClient(create_app(store, token=None, pages=False)) as client:
            assert client.get("/").status_code == 404
    finally:
        store.close()
