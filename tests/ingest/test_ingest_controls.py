"""Control characters: escaped in what is printed, removed from what is stored (issue 12)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsfacts.ingest.clean import clean, normalize_text
from newsfacts.ingest.readers import IngestError, printable, read_path
from newsfacts.model import RawDocument

TEXT = "Аким Шымкента встретился с послом Турции. Стороны обсудили строительство фабрики."


def _controls(text: str) -> set[str]:
    return {ch for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n"}


def test_stored_text_title_and_source_hold_no_control_characters() -> None:
    raw = RawDocument(
        text=f"\x1b[31m{TEXT}\x00 Работы\x07 начнутся\x0bв\x0cследующем\x85году\x7f\x9b.",
        title="Встреча\x1b]0;owned\x07 акима",
        source="outlet\x1b[2J",
        origin="x",
    )
    article = clean(raw)
    for value in (article.text, article.title, article.source):
        assert not _controls(value), repr(value)
    assert "Работы начнутся\nв\nследующем\nгоду." in article.text
    assert article.title == "Встреча]0;owned акима"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_normalize_text_never_keeps_a_control(text: str) -> None:
    assert not _controls(normalize_text(text))


def test_printable_escapes_what_could_forge_a_line() -> None:
    assert printable("новости/01.txt") == "новости/01.txt"
    forged = printable("a.txt\nerror b.txt: forged\x1b[2K\u202e\udc80")
    assert "\n" not in forged and "\x1b" not in forged and "\u202e" not in forged
    assert forged == "a.txt\\nerror b.txt: forged\\x1b[2K\\u202e\\udc80"
    forged.encode("utf-8")


def test_file_names_are_escaped_in_origins(tmp_path: Path) -> None:
    path = tmp_path / "evil\nerror other.txt: forged\x1b[31m.txt"
    path.write_bytes(b"")
    (item,) = list(read_path(tmp_path))
    assert isinstance(item, IngestError)
    assert "\n" not in item.origin and "\x1b" not in item.origin
    assert item.origin.endswith("evil\\nerror other.txt: forged\\x1b[31m.txt")
