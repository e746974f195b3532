"""One shared pymorphy2 analyzer for the cleaner, the gazetteer, the KB and the reuse policy.

It lives in `nlp`, below `ingest`, `policy`, `extract` and `kb`, because all of them
need it: kept in `ingest`, it made `policy` and `kb` import `ingest`, which imports
them back (an import circle between packages).

pymorphy2 0.9.1 calls `inspect.getargspec`, which Python 3.11 removed; the shim
below restores it (as `getfullargspec` trimmed to the old four fields) before
pymorphy2 is imported, so the pinned dependency keeps working.
"""

from __future__ import annotations

import inspect
from collections import namedtuple
from functools import lru_cache
from typing import Any

if not hasattr(inspect, "getargspec"):
    _ArgSpec = namedtuple("_ArgSpec", "args varargs keywords defaults")

    def _getargspec(func: Any) -> _ArgSpec:
        spec = inspect.getfullargspec(func)
        return _ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)

    inspect.getargspec = _getargspec  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def morph() -> Any:
    """The analyzer, built once per process (loading the dictionaries takes ~0.5 s).

    The Russian dictionary is named by path: pymorphy2 otherwise finds it through
    pkg_resources entry points, whose import alone took ~0.8 s of every `load`."""
    import pymorphy2
    import pymorphy2_dicts_ru

    return pymorphy2.MorphAnalyzer(path=pymorphy2_dicts_ru.get_path(), lang="ru")


@lru_cache(maxsize=65536)
def is_known(word: str) -> bool:
    """Whether the word is in the OpenCorpora dictionary (not merely guessed)."""
    return bool(morph().word_is_known(word.lower()))


@lru_cache(maxsize=65536)
def is_nominative(word: str) -> bool:
    """Whether any dictionary reading of the word is nominative (or indeclinable)."""
    return any(
        "nomn" in p.tag or "Fixd" in p.tag for p in morph().parse(word.lower()) if p.is_known
    )
