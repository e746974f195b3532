"""A run repeated along a long word is listed once per reveal (issue 12)."""

from __future__ import annotations

from newsfacts.policy.overlap import SharedText


def test_a_long_repeated_word_reveals_each_run_once() -> None:
    """2,000 identical letters are one group of ~2,000 places met at every offset;
    listing its places at each offset made saving such an article take minutes."""
    text = "Аким Алматы Ерболат Досаев " + "ж" * 2000 + " встретился с послом."
    shared = SharedText({"a": text, "b": "Посол сказал: " + "ж" * 40})
    reveal = shared.reveals("a", (0, len(text)))
    for spans in reveal.values():
        assert len(spans) == len(set(spans))
    assert ("b" in reveal) and any(text[j : j + 20] == "ж" * 20 for j, _ in reveal["a"][1:])
