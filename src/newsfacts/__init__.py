"""newsfacts: Russian business and diplomatic news turned into a sourced database of facts.

    import newsfacts
    record = newsfacts.extract(text, published="2022-04-28", url="https://…")
    print(record.to_json(indent=2))
    with newsfacts.Store("newsfacts.db") as db:
        db.facts(type="occupation")

`extract`, `Store` and the record classes are loaded on first use, so importing
the package loads no model and no database driver.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

# natasha's models multiply small matrices: BLAS thread pools only add contention
# (6x slower on a busy 2-core machine). newsfacts scales with processes (ingest
# --workers, Ray actors) instead. Set before numpy is first imported; an explicit
# setting in the environment wins.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

__version__ = "0.1.0"

if TYPE_CHECKING:
    from newsfacts.library import ExtractError, Store, extract
    from newsfacts.model import Article, Entity, Fact, Record

# `extract` is the callable package newsfacts.extract (see its docstring).
_LAZY = {
    "extract": "newsfacts",
    "Store": "newsfacts.library",
    "ExtractError": "newsfacts.library",
    "Record": "newsfacts.model",
    "Article": "newsfacts.model",
    "Entity": "newsfacts.model",
    "Fact": "newsfacts.model",
}
__all__ = ["Article", "Entity", "ExtractError", "Fact", "Record", "Store", "__version__", "extract"]


def __getattr__(name: str) -> Any:
    """Load `extract`, `Store` and the record classes on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'newsfacts' has no attribute {name!r}")
    import importlib

    if name == "extract":
        return importlib.import_module("newsfacts.extract")  # binds itself on import
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
