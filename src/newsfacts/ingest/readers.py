"""Placeholder reader (replaced by the ingest work): UTF-8 text files only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsfacts.model import RawDocument


@dataclass
class IngestError:
    origin: str
    message: str


def read_path(path: Path) -> Iterator[RawDocument | IngestError]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        yield IngestError(str(path), str(exc))
        return
    title, _, body = text.partition("\n")
    yield RawDocument(text=body, title=title.strip(), origin=str(path))
