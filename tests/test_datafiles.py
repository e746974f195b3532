"""The shared reader of «a | b # comment» data files."""

from newsfacts.datafiles import parse_pipe_rows, pipe_rows


def test_comments_blank_lines_and_empty_parts_are_dropped() -> None:
    text = "# header\n\nЕБРР | Европейский банк  # a note\n | ООН ||\n   \nодин\n"
    assert parse_pipe_rows(text) == [["ЕБРР", "Европейский банк"], ["ООН"], ["один"]]


def test_package_files_read_as_groups() -> None:
    rows = pipe_rows("org_abbreviations.txt")
    assert rows and all(len(row) >= 2 for row in rows)
    assert all("#" not in part and "|" not in part for row in rows for part in row)
