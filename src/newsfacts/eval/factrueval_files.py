"""FactRuEval-2016 response files: book_N.task1/2/3 written and read back.

Why a module of its own: the response files are the answer, as for the official
script, so the command writes them and the scorer reads the same files back; the file
format is one job shared by both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsfacts.eval.factrueval_gold import TRACK1_TAGS, FactRuEvalError, _blocks, norm

# ---------------------------------------------------------------------------- responses


@dataclass
class RespEntity:
    tag: str
    attrs: list[tuple[str, str]]


@dataclass
class RespFact:
    tag: str
    args: list[tuple[str, str]]


def write_task1(path: Path, mentions: Iterable[tuple[str, int, int]]) -> None:
    """`TAG START LENGTH` per mention, START/LENGTH in characters of book_N.txt."""
    lines = [
        f"{tag} {start} {end - start}"
        for tag, start, end in sorted(set(mentions), key=lambda m: (m[1], m[2], m[0]))
        if end > start
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def _clean_value(value: str) -> str:
    # A newline or a second colon would break the `key : value` block format.
    return re.sub(r"\s+", " ", value.replace(":", " ")).strip()


def write_blocks(path: Path, blocks: Iterable[tuple[str, list[tuple[str, str]]]]) -> None:
    out = []
    for head, pairs in blocks:
        lines = [head] + [f"{k} : {_clean_value(v)}" for k, v in pairs if _clean_value(v)]
        out.append("\n".join(lines))
    path.write_text("\n\n".join(out) + ("\n" if out else ""), encoding="utf-8")


def read_task1(path: Path) -> list[tuple[str, int, int]]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 3 or parts[0].lower() not in TRACK1_TAGS:
            raise FactRuEvalError(f"{path}:{n}: expected 'per|loc|org|locorg START LENGTH'")
        start, length = int(parts[1]), int(parts[2])
        out.append((parts[0].lower(), start, start + length))
    return out


def read_blocks(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for block in _blocks(path):
        pairs = []
        for line in block[1:]:
            key, sep, value = line.partition(":")
            if sep:
                pairs.append((key.strip().lower(), norm(value)))
        out.append((block[0].strip(" :").lower(), pairs))
    return out
