"""Articles from JSON Lines, one object per line, each bad line an error of its own.

Why a module of its own: a JSONL file is a batch, so one broken, nested or non-Unicode
line must cost only that line; the per-line checks are this format's job alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newsfacts.ingest.clean import domain_of
from newsfacts.ingest.read_errors import IngestError
from newsfacts.model import RawDocument


def _read_jsonl(text: str, origin: str) -> Iterator[RawDocument | IngestError]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        if "\x00" in line:
            yield IngestError(where, "invalid JSON: the line holds a NUL byte")
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        except RecursionError:  # '[[[[…' a hundred thousand deep: the decoder recurses
            yield IngestError(where, "invalid JSON: nested too deeply")
            continue
        if not isinstance(item, dict):
            yield IngestError(where, f"expected a JSON object, got {type(item).__name__}")
            continue
        bad = _surrogate_field(item)
        if bad is not None:
            yield IngestError(
                where, f"invalid text: '{bad}' holds a lone surrogate (\\ud800-\\udfff escape)"
            )
            continue
        body = item.get("text")
        if not isinstance(body, str) or not body.strip():
            yield IngestError(where, "no 'text' field with article text")
            continue
        url = _str(item.get("url"))
        yield RawDocument(
            text=body,
            title=_str(item.get("title")),
            url=url,
            published=_str(item.get("published")),
            source=domain_of(url) or _str(item.get("source")),
            origin=where,
        )


def _surrogate_field(item: dict[str, Any]) -> str | None:
    """The first field whose string holds a lone surrogate ("\\ud800" is valid JSON
    but not Unicode text: it can be neither stored nor printed as UTF-8)."""
    for key, value in item.items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return key.encode("ascii", "backslashreplace").decode()
    return None


def _str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None
