"""Small pure helpers: cross-article entity keys, name folding, ISO periods, versions.

They live apart from the SQL so they can be tested without a database and reused by
callers (the API builds entity links with `entity_key`).
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.model import Entity

_SPACE = re.compile(r"\s+")
_ISO_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def fold(text: str) -> str:
    """Case- and ё-insensitive form of a name; SQLite's lower() is ASCII-only, so
    every comparison of Cyrillic names goes through this in Python."""
    return _SPACE.sub(" ", text.replace("ё", "е").replace("Ё", "Е")).strip().casefold()


def entity_key(entity: Entity) -> str:
    """The cross-article identity of an entity.

    Countries with an ISO code are keyed by the code ("location:IT"), because the
    code survives every spelling of the name; everything else by its folded
    normalized name ("person:ерболат досаев"). A generated short name («НГ») carries
    the digest of its full name (`Entity.ident`, issue 12): "organization:нг-3f9a0c",
    so two bodies sharing initials keep two keys.
    """
    if entity.type == "location" and entity.code:
        return f"location:{entity.code.upper()}"
    base = f"{entity.type}:{fold(entity.name)}"
    return f"{base}-{entity.ident}" if entity.ident else base


def ident_from_key(key: str, type_: str, name: str) -> str | None:
    """The `Entity.ident` a stored key carries beyond its name (None: none), so an
    entity read back from the store derives the key it was stored under."""
    if "-" not in key:  # most keys («location:RU»): no name to fold (a page reads ~600)
        return None
    base = f"{type_}:{fold(name)}-"
    return (key[len(base) :] or None) if key.startswith(base) else None


def period_bounds(value: Any) -> tuple[str, str] | None:
    """First and last day of an ISO period ("2021" → 2021-01-01 … 2021-12-31).

    The last day may be a non-date such as "2022-06-31": it is only ever compared
    lexically with other ISO dates, where it sorts after every real day of June.
    Returns None for anything that is not an ISO date or period.
    """
    if isinstance(value, dict):
        if value.get("resolved") is False:
            return None
        value = value.get("value") or value.get("start") or value.get("period")
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = _ISO_PERIOD.match(value)
    if not match or value[match.end() : match.end() + 1] not in ("", "T", " "):
        return None  # "2022/04", "20221": not ISO, so not guessed at
    year, month, day = match.groups()
    if day:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def is_newer(candidate: str, stored: str) -> bool:
    """Whether extractor version `candidate` should replace `stored`.

    Versions with the same name part compare by their dotted number
    ("newsfacts-0.10.0" > "newsfacts-0.9.2"), so an old worker never overwrites a
    newer extraction; equal numbers with a different tail ("+rules2") and
    versions that do not parse count as newer, so a hand-named version never gets
    stuck. An empty version (ingested, not yet extracted) is older than any.
    """
    if candidate == stored:
        return False
    if not stored:
        return True
    if not candidate:
        return False
    new, old = _VERSION.match(candidate), _VERSION.match(stored)
    if new and old and new.group(1) == old.group(1):
        new_num, old_num = _dotted(new.group(2)), _dotted(old.group(2))
        if new_num != old_num:
            return new_num > old_num
    return True


_VERSION = re.compile(r"^(\D*?)v?(\d+(?:\.\d+)*)(.*)$")


def _dotted(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))
