"""The `newsfacts` command end to end, in-process, on our examples and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from newsfacts.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SEED = ROOT.parent / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"

GOOD_ARTICLE = (
    "Аким Шымкента встретился с послом Турции\n"
    "Аким Шымкента Габит Сыздыкбеков встретился с Чрезвычайным и полномочным послом Турции "
    "в Казахстане Эрдалом Саброй. Стороны обсудили строительство текстильной фабрики. "
    "По итогам 2023 года товарооборот между Казахстаном и Турцией составил 6,3 млрд долларов США.\n"
)


def variant(city: str, akim: str, country: str, figure: str) -> str:
    """Another story of the same shape: different enough not to count as a re-publication."""
    return (
        GOOD_ARTICLE.replace("Шымкента", city)
        .replace("Габит Сыздыкбеков", akim)
        .replace("Турции", country)
        .replace("6,3", figure)
        .replace("текстильной фабрики", "логистического центра")
    )


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"extract", "ingest", "search", "show"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as exc:
            main([name, "--help"])
        assert exc.value.code == 0
        assert "usage: newsfacts" in capsys.readouterr().out


def test_extract_json_prints_a_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "turkey.txt"
    path.write_text(GOOD_ARTICLE, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path), "--json")
    assert code == 0
    record = json.loads(out)
    assert record["article"]["title"].startswith("Аким Шымкента")
    assert record["article"]["text"].startswith(
        record["article"]["title"] + "\nАким Шымкента Габит"
    )
    names = {e["name"] for e in record["entities"]}
    assert "Габит Сыздыкбеков" in names
    for entity in record["entities"]:
        for start, end in entity["mentions"]:
            assert 0 <= start < end <= len(record["article"]["text"])


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the project")
def test_extract_seed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "extract", str(SEED), "--json")
    assert code == 0
    record = json.loads(out)
    article = record["article"]
    assert article["policy"]["max_share"] == pytest.approx(0.3)
    assert article["policy"]["link_required"] is True
    assert "сотрудничестваАким" not in article["text"]
    assert "разрешено использование" not in article["text"]
    assert [r["kind"] for r in article["repairs"]] == ["split_glued_sentence"]
    by_name = {e["name"]: e for e in record["entities"]}
    assert {"Ерболат Досаев", "Марко Альберти", "Мохамад Фаджрул Рахман"} <= set(by_name)
    assert by_name["Италия"]["code"] == "IT"
    assert by_name["Алматы"]["subtype"] == "city"
    assert "Чрезвычайный" not in by_name
    assert not any("Аким" in n and "сотрудничества" in n for n in by_name)


def test_extract_missing_file_is_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "extract", "/nonexistent/article.txt", "--json")
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("newsfacts: error:")


def test_ingest_examples_is_idempotent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "nf.db")
    code, out, _ = run(capsys, "ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert code == 0
    assert "1 near-duplicates linked" in out
    added = int(out.split(" added")[0])
    assert added >= 6
    code, out, _ = run(capsys, "ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert code == 0
    assert out.startswith("0 added")

    code, out, _ = run(capsys, "search", "Сапаров", "--db", db, "--json")
    assert code == 0
    found = json.loads(out)["articles"]["items"]  # the /api/search body
    assert found, "full-text search finds the articles that name Сапаров"

    code, out, _ = run(capsys, "show", found[0]["id"], "--db", db)
    assert code == 0
    shown = json.loads(out)
    assert shown["article"]["id"] == found[0]["id"]
    assert shown["allowed_chars"] is None or shown["quoted_chars"] <= shown["allowed_chars"]


def test_bad_input_is_reported_and_the_rest_lands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "nf.db")
    # A store that already holds something must come out of a bad batch intact.
    first = tmp_path / "first"
    first.mkdir()
    (first / "turkey.txt").write_text(GOOD_ARTICLE, encoding="utf-8")
    assert run(capsys, "ingest", str(first), "--db", db, "--quiet")[0] == 0

    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "empty.txt").write_bytes(b"")
    (batch / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (batch / "cp1251.txt").write_bytes(
        variant("Тараза", "Ержан Калиев", "Грузии", "1,1").encode("cp1251")
    )
    (batch / "broken.html").write_text("<html><body><div><p>", encoding="utf-8")
    (batch / "english.txt").write_text(
        "Kazakhstan and Turkey discuss trade\nThe mayor of Shymkent met the ambassador of "
        "Turkey to discuss a new textile factory and trade between the two countries.\n",
        encoding="utf-8",
    )
    good_line = json.dumps({"text": variant("Актобе", "Асхат Шахаров", "Венгрии", "0,4")})
    (batch / "feed.jsonl").write_text("{not json\n" + good_line + "\n", encoding="utf-8")
    code, out, err = run(capsys, "ingest", str(batch), "--db", db, "--quiet")
    assert code == 0
    assert out.startswith("2 added")
    for name in ("empty.txt", "binary.txt", "broken.html", "english.txt", "feed.jsonl:1"):
        assert name in err, f"{name} is reported"
    for line in err.strip().splitlines():
        assert line.startswith(("error ", "skipped ")), line

    code, out, _ = run(capsys, "search", "Сыздыкбеков", "--db", db, "--json")
    assert json.loads(out)["articles"], "the article stored before the bad batch is still there"


def test_ingest_missing_path_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "x.db"))
    assert code == 1
    assert "no such file or directory" in err


def test_huge_file_is_refused_not_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    with open(batch / "huge.txt", "wb") as fh:
        line = ("Товарооборот вырос. " * 50 + "\n").encode("utf-8")
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(line)
    shutil.copy(EXAMPLES / "01_shymkent_tashkent.txt", batch / "ok.txt")
    code, out, err = run(capsys, "ingest", str(batch), "--db", str(tmp_path / "nf.db"), "--quiet")
    assert code == 0
    assert out.startswith("1 added")
    assert "huge.txt" in err


def test_python_dash_m_runs_the_cli() -> None:
    """`python -m newsfacts` is the same CLI as the console script (worktrees use it)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "newsfacts", "policy", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "usage: newsfacts policy" in out.stdout
