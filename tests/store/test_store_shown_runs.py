"""Issue 12: the hashed runs the bounded cross-article pass looks up (`store.shown`).

The pass is exact only if (a) a run hashes alike wherever it is hashed (one string,
a whole text vectorised, a span of a text) and (b) every text holding a countable run
of another is found by that run's probe hash among the text's stored hashes, also
when the run is a 20-character one found through a 12 inside it.
"""

from __future__ import annotations

import random

from newsfacts.policy.runhash import run_hash
from newsfacts.policy.verbatim import windows
from newsfacts.store.runkeys import TextRuns, shown_hashes, text_runs

ALPHABET = "аб вг-д.Ё1 x-é😀\n—-abЖж, "


def _texts(seed: int, count: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest))) for _ in range(count)
    ]


def test_a_run_hashes_alike_alone_in_a_text_and_in_a_span() -> None:
    for text in _texts(1, 200, 240):
        runs = text_runs(text)
        assert [(i, size) for i, size, _ in runs] == list(windows(text))
        assert all(run_hash(text[i : i + size]) == h for i, size, h in runs)
        assert shown_hashes(text, [(0, len(text))]) == {h for _, _, h in runs}
        a, b = len(text) // 3, len(text)
        piece = text[a:b]
        assert shown_hashes(text, [(a, b)]) == {h for _, _, h in text_runs(piece)}


def test_every_text_holding_a_run_is_found_by_its_probe() -> None:
    rng = random.Random(2)
    for base in _texts(3, 40, 120):
        runs = TextRuns(base)
        for k in range(len(runs.starts)):
            i, size = int(runs.starts[k]), int(runs.sizes[k])
            run = base[i : i + size]
            # another text holding the run, with other characters around it
            other = "".join(rng.choice(ALPHABET) for _ in range(5)) + run + "ё ж"
            held = TextRuns(other)
            at = [
                j
                for j in range(len(held.starts))
                if other[int(held.starts[j]) : int(held.starts[j]) + int(held.sizes[j])] == run
            ]
            if at:  # countable there too: the probe must find the other text
                assert int(runs.probe[k]) in held.findable, (base, run)
