"""The meeting graph draws one node per KB entity: «Е. Досаев» is «Ерболат Досаев»."""

from __future__ import annotations

from typing import Any

from newsfacts.api.aggregate import meeting_graph

NAMES = {
    "person:е. досаев": ("Е. Досаев", "person"),
    "person:ерболат досаев": ("Ерболат Досаев", "person"),
    "person:марко альберти": ("Марко Альберти", "person"),
}


class Pairs:
    """The two queries meeting_graph asks, over three reported meetings."""

    def meeting_pairs(self, date_from: Any, date_to: Any) -> list[tuple[str, str, str, int]]:
        return [
            ("person:е. досаев", "person:марко альберти", "a1", 0),
            ("person:ерболат досаев", "person:марко альберти", "a2", 0),
            ("person:е. досаев", "person:ерболат досаев", "a3", 0),  # one person, twice named
        ]

    def names(self, keys: list[str]) -> dict[str, tuple[str, str]]:
        return {k: NAMES[k] for k in keys}


def test_one_node_per_kb_entity() -> None:
    same = {"person:е. досаев": "person:ерболат досаев"}
    graph = meeting_graph(Pairs(), None, None, same_as=lambda keys: same)  # type: ignore[arg-type]
    assert [n["name"] for n in graph["nodes"]] == ["Ерболат Досаев", "Марко Альберти"]
    assert [(e["source"], e["target"], e["count"]) for e in graph["edges"]] == [
        ("person:ерболат досаев", "person:марко альберти", 2)
    ]


def test_without_the_kb_names_stay_apart() -> None:
    graph = meeting_graph(Pairs(), None, None)  # type: ignore[arg-type]
    assert len(graph["nodes"]) == 3 and len(graph["edges"]) == 3
