"""The packages of src/newsfacts depend one way: each imports only from layers below it.

`LAYERS` is the allowed order, lowest first; a package may import itself and any
package of a lower layer, never a package of its own layer or a higher one, so no
import circle between packages can form either. Every import counts: at module
level, inside a function (the deliberate lazy imports that keep `--help` and
`import newsfacts` fast) and under `TYPE_CHECKING` alike; the two upward imports
that are the public facade's design are listed in `ALLOWED` with the reason.
A new package or top-level module must be placed in `LAYERS` before it can land.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "newsfacts"

# Lowest first. "newsfacts" is the package's own __init__ (the version and the lazy
# public names), imported by everything that imports any part of newsfacts.
LAYERS: list[set[str]] = [
    {"model", "urls", "timebudget", "datafiles"},  # records, plain helpers
    {"newsfacts"},
    {"pipeline"},  # components registry, Doc
    {"nlp"},  # natasha, morphology
    {"extract"},  # fact extraction components
    {"policy"},  # reuse-policy rules (names, quotas, verbatim runs)
    {"store"},  # SQLAlchemy Core store, its schema (the KB's tables too) and migrations
    {"kb"},  # knowledge base across articles, on the store's tables
    {"fact_args"},  # fact arguments as shown
    {"export"},  # jsonl/csv/parquet export
    {"ingest"},  # read, clean, extract, save, link
    {"api"},  # JSON API and the queries behind it
    {"web"},  # server-rendered pages on the API's queries
    {"server", "scale", "eval", "library", "cli_common"},  # apps and entry points
    {"server_cli", "kb_cli"},  # subcommand modules
    {"cli"},
    {"__main__"},
]

# (importer, imported) -> why this upward import is right.
ALLOWED = {
    ("newsfacts", "library"): "PEP 562 lazy public names (`newsfacts.Store`), typing only",
    ("extract", "library"): "`newsfacts.extract` is callable and forwards to library.extract",
}


def _package(module: str) -> str:
    """newsfacts.store.schema -> store; newsfacts -> newsfacts."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(root: Path, dotted: str) -> bool:
    base = root.parent.joinpath(*dotted.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(root: Path) -> list[tuple[str, str, str]]:
    """(importer package, imported package, "file:line") for each import of one
    package of the tree by another."""
    out = []
    top = root.name
    for path in sorted(root.rglob("*.py")):
        module = _module_name(root, path)
        here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = here[: len(here) - node.level + 1]
                    base = ".".join(parent + ([node.module] if node.module else []))
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    targets.append(sub if _is_module(root, sub) else base)
            for target in targets:
                if target.split(".")[0] != top:
                    continue
                a, b = _package(module), _package(target)
                if a != b:
                    where = f"{path.relative_to(root.parent)}:{node.lineno}"
                    out.append((a, b, where))
    return out


def violations(root: Path, layers: list[set[str]], allowed: dict) -> list[str]:
    """Each import of a package from its own layer or a higher one, and each
    package of the tree that `layers` does not place."""
    rank = {p: i for i, layer in enumerate(layers) for p in layer}
    found = {_package(_module_name(root, p)) for p in root.rglob("*.py")}
    bad = [f"{p}: not placed in LAYERS" for p in sorted(found - set(rank))]
    for a, b, where in imports(root):
        if a in rank and b in rank and rank[b] >= rank[a] and (a, b) not in allowed:
            bad.append(f"{where}: {a} imports {b} (layer {rank[a]} -> {rank[b]})")
    return bad


def test_packages_import_only_lower_layers() -> None:
    assert violations(ROOT, LAYERS, ALLOWED) == []


def test_allowed_upward_imports_are_still_there() -> None:
    """An exception nobody needs any more is taken off the list, not kept."""
    edges = {(a, b) for a, b, _ in imports(ROOT)}
    assert set(ALLOWED) <= edges


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from newsfacts.api import app\n", "store imports api"),
        ("def f():\n    from newsfacts import kb\n", "store imports kb"),
        ("from ..kb import tables\n", "store imports kb"),
        ("import newsfacts.web.views\n", "store imports web"),
        ("from newsfacts.policy import quota\n", None),
    ],
)
def test_an_upward_import_is_caught(tmp_path: Path, source: str, expected: str | None) -> None:
    """The checker itself, on a small tree: store sits below kb, api and web."""
    root = tmp_path / "newsfacts"
    for package in ("store", "kb", "api", "web", "policy"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    (root / "kb" / "tables.py").write_text("")
    (root / "store" / "read.py").write_text(source)
    layers = [{"newsfacts"}, {"policy"}, {"store"}, {"kb"}, {"api"}, {"web"}]
    bad = violations(root, layers, {})
    if expected is None:
        assert bad == []
    else:
        assert len(bad) == 1 and expected in bad[0] and "store/read.py:" in bad[0]
