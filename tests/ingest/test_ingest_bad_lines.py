"""Bad JSON Lines are skipped one line at a time, each with a one-line reason (issue 12).

A probe found single lines that took the whole batch down: a deeply nested array
(RecursionError), and that one NUL byte or a lone surrogate made the whole file, or
the API request, fail. The README promises that bad lines are skipped one by one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts.ingest.readers import IngestError, read_path
from newsfacts.model import RawDocument

TEXT = (
    "Аким Шымкента Габит Сыздыкбеков встретился с послом Турции Эрдалом Саброй. "
    "Стороны обсудили строительство текстильной фабрики."
)


def _read(path: Path) -> tuple[list[RawDocument], list[IngestError]]:
    items = list(read_path(path))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, IngestError)]
    return docs, errors


def _good(n: int) -> str:
    return json.dumps({"text": TEXT.replace("Шымкента", f"города {n}")}, ensure_ascii=False)


def test_deeply_nested_line_is_skipped_alone(tmp_path: Path) -> None:
    path = tmp_path / "nested.jsonl"
    path.write_text(_good(1) + "\n" + "[" * 200_000 + "\n" + _good(2) + "\n", encoding="utf-8")
    docs, errors = _read(path)
    assert len(docs) == 2
    assert [e.origin for e in errors] == [f"{path}:2"]
    assert "\n" not in errors[0].message and "nested" in errors[0].message


def test_one_bad_file_does_not_stop_the_directory(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "a.jsonl").write_text(_good(1) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(_good(2) + "\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(_good(3) + "\n", encoding="utf-8")
    import newsfacts.ingest.readers as readers

    real = readers._read_jsonl

    def explode(text: str, origin: str):
        if origin.endswith("b.jsonl"):
            raise RuntimeError("reader bug")
        return real(text, origin)

    monkeypatch.setattr(readers, "_read_jsonl", explode)
    docs, errors = _read(tmp_path)
    assert len(docs) == 2
    assert len(errors) == 1 and errors[0].origin.endswith("b.jsonl")
    assert "RuntimeError" in errors[0].message


@pytest.mark.parametrize("line", ["{" * 100_000, '{"text": ' * 50_000, "[" * 1_000_000])
def test_nesting_of_any_depth_is_one_error(tmp_path: Path, line: str) -> None:
    path = tmp_path / "deep.jsonl"
    path.write_text(line + "\n" + _good(1) + "\n", encoding="utf-8")
    docs, errors = _read(path)
    assert len(docs) == 1 and len(errors) == 1


def test_a_nul_byte_costs_only_its_line(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_bytes(
        _good(1).encode() + b"\n" + b'{"text": "\x00 broken"}\n' + _good(2).encode() + b"\n"
    )
    docs, errors = _read(path)
    assert len(docs) == 2
    assert [e.origin for e in errors] == [f"{path}:2"] and "NUL" in errors[0].message


def test_a_binary_file_named_jsonl_is_still_one_error(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(bytes(range(256)) * 64)
    docs, errors = _read(path)
    assert not docs and len(errors) == 1 and "binary" in errors[0].message


@pytest.mark.parametrize(
    "line",
    [
        r'{"text": "\ud800 Аким встретился с послом Турции."}',
        r'{"text": "Аким встретился с послом.", "title": "\udfff"}',
        r'{"text": "Аким встретился с послом.", "source": "\ud83d"}',
    ],
)
def test_a_lone_surrogate_is_a_clear_error(tmp_path: Path, line: str) -> None:
    path = tmp_path / "surrogate.jsonl"
    path.write_text(line + "\n" + _good(1) + "\n", encoding="utf-8")
    docs, errors = _read(path)
    assert len(docs) == 1
    assert len(errors) == 1 and "surrogate" in errors[0].message
    errors[0].message.encode("utf-8")  # printable and storable as it is


def test_undecodable_utf16_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.txt"
    path.write_bytes(b"\xff\xfe" + "Аким".encode("utf-16-le") + b"\x00\xd8")
    docs, errors = _read(path)
    assert not docs and len(errors) == 1
