"""Pure helpers of the store: no database needed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfacts.model import Entity
from newsfacts.store import StoreError, database_url, entity_key, fold
from newsfacts.store.fts import like_pattern, pg_tsquery, sqlite_match, stem, words
from newsfacts.store.keys import is_newer, period_bounds


def test_entity_keys() -> None:
    assert entity_key(Entity("E1", "person", "Ерболат  Досаев")) == "person:ерболат досаев"
    assert entity_key(Entity("E1", "person", "Пётр Семёнов")) == "person:петр семенов"
    italy = Entity("E3", "location", "Италия", subtype="country", code="it")
    assert entity_key(italy) == "location:IT"
    city = Entity("E2", "location", "Алматы", subtype="city", country="KZ")
    assert entity_key(city) == "location:алматы"
    org = Entity("E4", "organization", "АО «Самрук-Казына»")
    assert entity_key(org) == "organization:ао «самрук-казына»"


def test_fold() -> None:
    assert fold("  ЁЛКА\tи  Ель ") == "елка и ель"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2021", ("2021-01-01", "2021-12-31")),
        ("2022-06", ("2022-06-01", "2022-06-31")),
        ("2022-06-15", ("2022-06-15", "2022-06-15")),
        ("2022-06-15T10:00:00", ("2022-06-15", "2022-06-15")),
        ({"text": "с июня текущего года", "resolved": False}, None),
        ({"value": "2023-03"}, ("2023-03-01", "2023-03-31")),
        ("в прошлом году", None),
        ("2022/04", None),
        ("20221", None),
        ("2022-06-15 10:00", ("2022-06-15", "2022-06-15")),
        (2021, None),
        (None, None),
    ],
)
def test_period_bounds(value: object, expected: tuple[str, str] | None) -> None:
    assert period_bounds(value) == expected


@pytest.mark.parametrize(
    "candidate, stored, newer",
    [
        ("0.2", "0.1", True),
        ("0.10", "0.9", True),
        ("0.9", "0.10", False),
        ("1.0", "1.0", False),
        ("0.1", "", True),
        ("", "0.1", False),
        ("v2", "v1.5", True),
        ("rules-b", "rules-a", True),
        ("newsfacts-0.10.0", "newsfacts-0.9.2", True),
        ("newsfacts-0.1.0", "newsfacts-0.2.0", False),
        ("newsfacts-0.2.0+rules2", "newsfacts-0.2.0", True),
        ("other-0.1", "newsfacts-0.2.0", True),
    ],
)
def test_is_newer(candidate: str, stored: str, newer: bool) -> None:
    assert is_newer(candidate, stored) is newer


def test_stems_share_prefixes_across_cases() -> None:
    forms = ["Досаев", "Досаева", "Досаеву", "Досаевым", "Досаеве"]
    stems = {stem(fold(f)) for f in forms}
    assert all(fold(f).startswith(s) for f in forms for s in stems)
    assert stem("алматы") == "алмат"
    assert stem("2021") == "2021"
    assert stem("мира") == "мира"  # too short to cut


def test_queries_lose_their_syntax() -> None:
    assert words('Шымкент AND ("рейс" OR NEAR') == ["шымкент", "рейс"]
    assert sqlite_match("Досаевым") == '"досаев"*'
    assert sqlite_match("  ()*: ") is None
    assert pg_tsquery("Шымкент") == "шымкент:*"
    assert pg_tsquery("Досаевым рейс") == "(досаевым:* | досаев:*) & рейс:*"
    assert like_pattern("50%_\\") == "%50\\%\\_\\\\%"


@given(st.text())
def test_any_text_gives_a_safe_fts_query(query: str) -> None:
    match = sqlite_match(query)
    if match is not None:
        for term in match.split(" "):
            assert term.startswith('"') and term.endswith('"*')
            assert '"' not in term[1:-2]
    tsq = pg_tsquery(query)
    if tsq is not None:
        assert not set(tsq) & set("'!<>\\\"")


def test_database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSFACTS_DB", raising=False)
    assert database_url(None) == "sqlite:///newsfacts.db"
    monkeypatch.setenv("NEWSFACTS_DB", str(tmp_path / "env.db"))
    assert database_url(None) == f"sqlite:///{tmp_path / 'env.db'}"
    assert database_url(str(tmp_path / "x.db")) == f"sqlite:///{tmp_path / 'x.db'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(":memory:") == "sqlite://"
    with pytest.raises(StoreError, match="does not exist"):
        database_url(str(tmp_path / "missing" / "x.db"))
