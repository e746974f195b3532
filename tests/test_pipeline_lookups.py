"""Doc's span lookups answer from indexes exactly as a scan of every mention would
(they were the last per-sentence passes over the whole text, issue 12)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.model import Article, Entity
from newsfacts.pipeline import Doc, Mention

spans = st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1]))


def _doc(mention_spans: list[tuple[int, int]]) -> Doc:
    doc = Doc(article=Article(id="t", text="x" * 80))
    doc.entities = [Entity(id=f"e{i}", type="person", name=f"N{i}") for i in range(5)]
    doc.mentions = [Mention(s, e, f"e{i % 5}") for i, (s, e) in enumerate(mention_spans)]
    return doc


def _scan_entity_at(doc: Doc, start: int, end: int) -> Entity | None:
    best = None
    for m in doc.mentions:
        if (
            m.start < end
            and start < m.end
            and (best is None or m.end - m.start > best.end - best.start)
        ):
            best = m
    return next((e for e in doc.entities if e.id == best.entity_id), None) if best else None


@settings(max_examples=200, deadline=None)
@given(st.lists(spans, max_size=25), st.lists(spans, min_size=1, max_size=10))
def test_lookups_match_a_scan(mention_spans: list[tuple[int, int]], queries: list) -> None:
    doc = _doc(mention_spans)
    for start, end in [*queries, (5, 3)]:
        assert doc.mentions_in(start, end) == [
            m for m in doc.mentions if m.start >= start and m.end <= end
        ]
        assert doc.entity_at(start, end) is _scan_entity_at(doc, start, end)


def test_indexes_follow_new_mentions_and_entities() -> None:
    doc = _doc([(0, 4)])
    assert doc.entity_at(10, 12) is None
    doc.mentions.append(Mention(9, 13, "e3"))
    assert doc.entity_at(10, 12) is doc.entities[3]
    assert doc.mentions_in(8, 20) == [doc.mentions[1]]
    doc.entities.append(Entity(id="e9", type="location", name="Алматы"))
    assert doc.entity("e9") is doc.entities[-1]
