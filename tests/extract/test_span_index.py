"""The entity layer's indexes answer exactly what the list scans they replace did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.extract import names
from newsfacts.extract.span_index import ByInitial, LastBefore, Taken, initial

spans = st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=300, deadline=None)
@given(st.lists(spans, max_size=30), st.lists(spans, max_size=30))
def test_taken_overlaps_as_a_scan_would(claimed: list[tuple[int, int]], asked: list) -> None:
    taken = Taken(80)
    seen: list[tuple[int, int]] = []
    for span, query in zip(claimed, asked, strict=False):
        assert taken.overlaps(query) == any(query[0] < e and s < query[1] for s, e in seen)
        taken.add(span)
        seen.append(span)


name_words = st.text(alphabet="аеёоуыиАЕЁОСДКЛМйьийский", min_size=0, max_size=8)


@settings(max_examples=500, deadline=None)
@given(name_words, name_words)
def test_words_stem_match_pairs_share_an_initial(a: str, b: str) -> None:
    """Why filing people by initial loses no match."""
    if names.stem_match(a, b):
        assert initial(a) == initial(b)


def test_stem_matches_share_an_initial_on_inflected_names() -> None:
    for known, word in [("Досаев", "Досаевым"), ("Ёлкин", "Елкина"), ("Ратманский", "ратманским")]:
        assert names.stem_match(known, word)
        assert initial(known) == initial(word)


def test_by_initial_keeps_insertion_order() -> None:
    index: ByInitial[int] = ByInitial()
    for i, word in enumerate(["Досаев", "Альберти", "досаева", "Ёлкин", "Елкин"]):
        index.add(word, i)
    assert index.get("Досаевым") == [0, 2]
    assert index.get("Елкина") == [3, 4]
    assert index.get("Марк") == []


def test_last_before() -> None:
    last = LastBefore()
    for start in (50, 10, 30):
        last.add(1, start)
    assert [last.get(1, offset) for offset in (5, 10, 11, 31, 100)] == [-1, -1, 10, 30, 50]
    assert last.get(2, 100) == -1
