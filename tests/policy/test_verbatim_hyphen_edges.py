"""Issue 13: the wording check skips a neighbour the text-runs index does not name,
which is exact only if (a) every run of a statement without a hyphen at its edge is
a countable run of any text holding its characters, and (b) a text holding a run
with a hyphen at its edge holds one of `hyphen_edged`'s strings."""

from __future__ import annotations

import random

from newsfacts.policy.verbatim import hyphen_edged, windows

ALPHABET = "аб вг-д.Ё1 x-é\n—-abЖж, "


def _random(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


def test_runs_without_a_hyphen_edge_are_runs_wherever_they_occur() -> None:
    rng = random.Random(4)
    edged_seen = 0
    for _ in range(300):
        value = _random(rng, rng.randint(12, 80))
        strings = hyphen_edged(value)
        for i, n in windows(value):
            run = value[i : i + n]
            text = _random(rng, rng.randint(0, 4)) + run + _random(rng, rng.randint(0, 4))
            at = text.index(run)
            if "-" in (run[0], run[-1]):
                edged_seen += 1
                assert any(s in text for s in strings), (value, run)
            else:  # countable in the other text too: its hash is stored for it
                assert (at, n) in set(windows(text)), (value, run, text)
    assert edged_seen > 0


def test_one_string_per_hyphen_edge() -> None:
    value = "Стороны обсудили связи с северо-западноевропейскими"
    assert hyphen_edged(value) == ["-западноевро", "зи с северо-"]
    assert hyphen_edged("Стороны обсудили запуск прямого рейса") == []
