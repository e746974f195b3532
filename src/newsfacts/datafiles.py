"""Reader for the package's small «a | b | c  # comment» data files.

Several curated lists (organisation synonyms, abbreviations) share this format:
one group of equivalent phrases per line, `|` between them, `#` starting a comment.
One reader keeps their parsing identical.
"""

from __future__ import annotations

from importlib import resources


def pipe_rows(filename: str) -> list[list[str]]:
    """The rows of `data/<filename>` (see `parse_pipe_rows`)."""
    text = resources.files("newsfacts").joinpath("data", filename).read_text("utf-8")
    return parse_pipe_rows(text)


def parse_pipe_rows(text: str) -> list[list[str]]:
    """Each non-empty line as the list of its stripped, non-empty `|`-separated
    parts, with everything from `#` on removed."""
    rows = []
    for raw in text.splitlines():
        parts = [part.strip() for part in raw.split("#", 1)[0].split("|")]
        parts = [part for part in parts if part]
        if parts:
            rows.append(parts)
    return rows
