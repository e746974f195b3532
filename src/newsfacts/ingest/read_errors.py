"""What a reader yields instead of raising, and how it names the file at fault.

Why a module of its own: every format reader (text, HTML, feed, JSON Lines) reports a
bad input as an `IngestError` whose origin is a path made safe to print; they share
these without importing each other or the directory walk in `readers`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class IngestError:
    origin: str  # "path", "path:line" (JSONL) or "path#entry" (feeds)
    message: str  # one line, fit to print after the origin


def shown(path: Path | str) -> str:
    """A path as messages and origins name it: `printable`, so a file name holding a
    newline or an ESC sequence can neither forge nor colour a line of output."""
    return printable(str(path))


def printable(text: str) -> str:
    """`text` with each non-printable character (controls, bidi overrides, the lone
    surrogates Python makes of undecodable bytes in file names) as its Python
    escape: repr-like, but printable text (Cyrillic included) is left alone."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )
