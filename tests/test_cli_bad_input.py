"""`newsfacts ingest` on the inputs a reliability probe used to break it (issue 12).

Each bad input costs one line on stderr; every other article of the batch lands,
the knowledge base is linked and the exit status is 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

STORY = (
    "Аким Шымкента Габит Сыздыкбеков встретился с послом Турции в Казахстане Эрдалом "
    "Саброй. Стороны обсудили строительство текстильной фабрики в Шымкенте."
)


def story(city: str, akim: str) -> str:
    return (
        STORY.replace("Шымкента", city).replace("Шымкенте", city).replace("Габит Сыздыкбеков", akim)
    )


def ingest(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["ingest", *argv, "--quiet"])
    out, err = capsys.readouterr()
    return code, out, err


def test_deeply_nested_jsonl_line_is_one_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    good = json.dumps({"text": story("Тараза", "Ержан Калиев")}, ensure_ascii=False)
    (batch / "a_nested.jsonl").write_text("[" * 200_000 + "\n" + good + "\n", encoding="utf-8")
    (batch / "b_later.txt").write_text(story("Актобе", "Асхат Шахаров"), encoding="utf-8")
    code, out, err = ingest(capsys, str(batch), "--db", str(tmp_path / "nf.db"))
    assert code == 0
    assert out.startswith("2 added")
    assert "2 articles linked" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "a_nested.jsonl:1" in lines[0] and "nested" in lines[0]


class Interrupted:
    """A pipeline the user stops (Ctrl-C) at the first article it extracts."""

    version = "interrupted-1"

    def __call__(self, article):
        raise KeyboardInterrupt


@pytest.mark.parametrize("workers", ["0", "1"])
def test_problems_are_printed_as_they_happen(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    workers: str,
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "a_broken.jsonl").write_text("{not json\n", encoding="utf-8")
    (batch / "b_empty.txt").write_text("", encoding="utf-8")
    (batch / "c_story.txt").write_text(story("Тараза", "Ержан Калиев"), encoding="utf-8")
    # interrupted in this process (--workers 0) or in the forked extraction worker
    monkeypatch.setattr("newsfacts.ingest.runner.default_pipeline", Interrupted)
    monkeypatch.setattr("newsfacts.ingest.workers.default_pipeline", Interrupted)
    db = str(tmp_path / "nf.db")
    code, out, err = ingest(capsys, str(batch), "--db", db, "--workers", workers)
    assert code == 130  # stopped before the end: no summary ...
    assert out == ""
    lines = err.strip().splitlines()  # ... but what went wrong so far is already said
    assert "a_broken.jsonl:1" in lines[0] and "b_empty.txt" in lines[1]
    assert lines[-1] == "newsfacts: interrupted"


def test_nul_byte_and_lone_surrogate_cost_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    good = json.dumps({"text": story("Тараза", "Ержан Калиев")}, ensure_ascii=False)
    (batch / "nul.jsonl").write_bytes(b'{"text": "\x00"}\n' + good.encode() + b"\n")
    other = json.dumps({"text": story("Актобе", "Асхат Шахаров")}, ensure_ascii=False)
    surrogate = r'{"text": "\ud800 Аким Актобе встретился с послом Турции."}'
    (batch / "surrogate.jsonl").write_text(surrogate + "\n" + other + "\n", encoding="utf-8")
    code, out, err = ingest(capsys, str(batch), "--db", str(tmp_path / "nf.db"))
    assert code == 0 and out.startswith("2 added")
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert "nul.jsonl:1" in lines[0] and "NUL" in lines[0]
    assert "surrogate.jsonl:1" in lines[1] and "surrogate" in lines[1]
    assert "UnicodeEncodeError" not in err


def test_file_names_cannot_forge_stderr_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "x\nerror forged.txt: planted line\x1b[2K.txt").write_bytes(b"")
    (batch / "story.txt").write_text(story("Тараза", "Ержан Калиев"), encoding="utf-8")
    code, out, err = ingest(capsys, str(batch), "--db", str(tmp_path / "nf.db"))
    assert code == 0 and out.startswith("1 added")
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "\x1b" not in err
    assert lines[0].startswith("error ") and "x\\nerror forged.txt" in lines[0]


def test_escaped_nul_in_jsonl_text_is_stored_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "escaped.jsonl"
    line = json.dumps({"text": story("Тараза", "Ержан\u0000 Калиев\u001b[0m")}, ensure_ascii=False)
    path.write_text(line + "\n", encoding="utf-8")
    db = str(tmp_path / "nf.db")
    code, out, err = ingest(capsys, str(path), "--db", db)
    assert code == 0 and out.startswith("1 added"), err
    from newsfacts.store import Store

    with Store.open(db) as store:
        (item,) = store.list_articles()
        text = store.get_article(item["id"]).text
    assert "\x00" not in text and "\x1b" not in text and "Ержан Калиев" in text


def test_a_skip_names_its_file_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "title.txt").write_text("Заголовок без текста\n", encoding="utf-8")
    code, _, err = ingest(capsys, str(tmp_path / "title.txt"), "--db", str(tmp_path / "nf.db"))
    assert err == f"skipped {tmp_path / 'title.txt'}: only a title, no article text\n"
