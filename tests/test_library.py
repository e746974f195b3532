"""The Python library: `newsfacts.extract`, `newsfacts.Store`, and the README's example."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import newsfacts
from newsfacts.model import Record

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))
from webapi_fixtures import all_records  # noqa: E402

TEXT = (
    "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти. "
    "Италия готова профинансировать создание в Алматы центра креативных индустрий."
)


def readme_example() -> str:
    """The first Python block under the README's library heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## As a Python library", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "README has no Python example under 'As a Python library'"
    return match.group(1)


def test_import_loads_no_model_and_no_database_layer() -> None:
    code = (
        "import sys, newsfacts; "
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('natasha', 'navec', 'slovnet', 'sqlalchemy', 'fastapi', 'numpy')]; "
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError):
        _ = newsfacts.no_such_thing


def test_extract_returns_the_record_dataclasses() -> None:
    record = newsfacts.extract(
        TEXT, published="28.04.2022", url="https://example.kz/news/1", source="example.kz"
    )
    assert isinstance(record, Record)
    assert record.article.published == "2022-04-28"  # normalised like ingest
    assert record.article.url == "https://example.kz/news/1"
    assert {e.name for e in record.entities} >= {"Ерболат Досаев", "Италия"}
    assert "meeting" in {f.type for f in record.facts}
    for fact in record.facts:
        for start, end in fact.evidence:
            assert 0 <= start < end <= len(record.article.text)
    data = json.loads(record.to_json())
    assert data == record.to_dict() and Record.from_json(record.to_json()) == record


def test_extract_rejects_text_that_is_not_russian() -> None:
    with pytest.raises(newsfacts.ExtractError):
        newsfacts.extract("   ")
    with pytest.raises(newsfacts.ExtractError):
        newsfacts.extract("The mayor met the ambassador of Italy to discuss a design centre.")


def test_store_queries(tmp_path: Path) -> None:
    with newsfacts.Store(str(tmp_path / "facts.db")) as db:
        for record in all_records():
            db.save(record)
        kudratov = db.facts(entity="person:лазиз кудратов")
        assert {f["type"] for f in kudratov} == {"occupation", "meeting"}
        assert all(f["article"]["source"] == "example.uz" for f in kudratov)
        assert [f["confidence"] for f in db.facts(min_confidence=0.9)] == [0.93]
        assert {f["article"]["source"] for f in db.facts(source="kapital.kz")} == {"kapital.kz"}
        assert len(db.facts(limit=2)) == 2
        entity = db.entity("Досаев")
        assert entity is not None and entity["entity"]["key"] == "person:ерболат досаев"
        assert [p["args"]["position"] for p in entity["positions"]] == ["аким"]
        assert db.entity("Никто Никакой") is None
        assert [a["source"] for a in db.articles(source="kapital.kz")] == ["kapital.kz"]
        found = db.search("Кудратов")
        assert [e["key"] for e in found["entities"]["items"]] == ["person:лазиз кудратов"]
        first = db.articles(limit=1)[0]
        assert db.record(first["id"]).article.id == first["id"]


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "meeting" in out and "Ерболат Досаев" in out
    assert (tmp_path / "example.db").exists()
