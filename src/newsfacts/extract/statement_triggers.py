"""The trigger lexicons of the statement extractors, read once from data.

Why a module of its own: the five statement extractors and the clause helpers all
look words up in `data/statement_triggers.toml`; loading it sits below both so
neither has to import the other for it.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from newsfacts.extract.grammars.tokens import time_args as time_args  # shared with relations

# --- triggers ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def triggers() -> dict[str, Any]:
    """Trigger lexicons live in data so coverage grows without code changes."""
    raw = resources.files("newsfacts").joinpath("data/statement_triggers.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))
