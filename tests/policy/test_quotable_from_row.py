"""A stored quotable set read back (`QuotableSet.from_row`) parses its pieces when
first read (issue 13); it must equal, copy, pickle and answer as the set written."""

from __future__ import annotations

import copy
import pickle

import pytest

from newsfacts.policy.quotable import Piece, QuotableSet

WRITTEN = QuotableSet(
    200,
    60,
    [
        Piece("name", 0, 14),
        Piece("title", 0, 30, "x"),
        Piece("quote", 40, 90, 3),
        Piece("near", 0, 0, "a1b2"),
        Piece("near", 0, 0, "c3d4"),
    ],
)


def _read() -> QuotableSet:
    return QuotableSet.from_row(200, 60, WRITTEN.to_json(), WRITTEN.version)


def test_a_set_read_back_equals_the_set_written() -> None:
    assert _read() == WRITTEN
    assert WRITTEN == _read()  # noqa: SIM300 (the written set on the left compares too)
    assert _read().pieces == WRITTEN.pieces
    assert _read().to_json() == WRITTEN.to_json()
    assert repr(_read()) == repr(WRITTEN)


def test_each_reader_of_the_pieces_sees_them_whichever_comes_first() -> None:
    assert _read().near() == ["a1b2", "c3d4"]
    assert _read().coverage().size() == WRITTEN.coverage().size() == 80
    assert _read().quoted_facts() == {3}
    assert _read().stretches() == [(0, 30), (40, 90)]
    assert _read().with_near(["z"]) == WRITTEN.with_near(["z"])
    for other in (copy.copy(_read()), copy.deepcopy(_read()), pickle.loads(pickle.dumps(_read()))):
        assert other == WRITTEN


def test_offsets_stored_as_other_json_become_integers_and_empty_rows_no_pieces() -> None:
    odd = QuotableSet.from_row(200, 60, '[["quote", 40.0, "90", 3]]', 5)
    assert odd.pieces == [Piece("quote", 40, 90, 3)]
    assert all(type(v) is int for p in odd.pieces for v in (p.start, p.end))
    assert QuotableSet.from_row(200, 60, "", 5).pieces == []
    with pytest.raises(AttributeError):
        _read().not_a_field  # noqa: B018


TITLE = "Аким Алматы встретился с послом Италии"


@pytest.mark.parametrize(
    "pieces",
    [
        [Piece("title", 0, 38, None), Piece("near", 0, 0, "a1")],
        [Piece("name", 0, 4), Piece("quote", 50, 90, 1), Piece("title", 0, 20, None)],
        [Piece("title", 0, 38, "t0:11,25:38"), Piece("title", 0, 5, None)],
        [Piece("title", 0, 0, -1)],
        [Piece("quote", 50, 90, 1), Piece("near", 0, 0, '["title",0,38,null]')],
        [],
    ],
)
def test_a_title_is_read_from_the_stored_row_as_from_the_parsed_pieces(
    pieces: list[Piece],
) -> None:
    written = QuotableSet(200, 60, pieces)
    read = QuotableSet.from_row(200, 60, written.to_json(), written.version)
    assert read.title(TITLE) == written.title(TITLE)
    assert read.title("Без слов") == written.title("Без слов")
    assert "_raw" in read.__dict__  # the title alone parsed no piece (issue 13)
    assert read == written  # and the pieces, read later, are the same
    assert read.title(TITLE) == written.title(TITLE)


def test_coverage_and_near_read_the_stored_rows_as_the_pieces_would() -> None:
    odd = '[["quote", 40.0, "90", 3], ["near", 0, 0, "a1"], ["name", 5, 5, null]]'
    for pieces in (WRITTEN.to_json(), odd, "[]"):
        read = QuotableSet.from_row(200, 60, pieces, 5)
        parsed = QuotableSet.from_row(200, 60, pieces, 5)
        parsed.pieces  # noqa: B018 (built first: the pieces' own path)
        assert read.coverage().mask == parsed.coverage().mask
        assert read.near() == parsed.near()
        assert "pieces" not in read.__dict__  # neither built a piece (issue 13)
        assert read == parsed
        assert read.near() == parsed.near()
