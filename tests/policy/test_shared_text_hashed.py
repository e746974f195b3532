"""`SharedText` finds repeated runs through their hashes, then compares strings: the
groups must be exactly those of counting every run as a string (issue 13)."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from newsfacts.policy import overlap
from newsfacts.policy.overlap import SharedText
from newsfacts.policy.runhash import all_hashes, code_points, hash_table, run_hash
from newsfacts.policy.verbatim import windows

Groups = list[tuple[int, list[tuple[str, int]]]]


def reference(texts: dict[str, str]) -> Groups:
    """Every countable run of every text as a string, counted; the repeated ones'
    places in the order `windows` lists them (what `SharedText` did before hashing)."""
    listed = [
        (aid, [(i, text[i : i + n]) for i, n in windows(text)]) for aid, text in texts.items()
    ]
    counts = Counter(run for _, wins in listed for _, run in wins)
    places: dict[str, list[tuple[str, int]]] = {}
    for aid, wins in listed:
        for i, run in wins:
            if counts[run] > 1:
                places.setdefault(run, []).append((aid, i))
    return [(len(run), where) for run, where in places.items()]


WORDS = ["посол", "и", "в", "Алматы", "креативных", "индустрий", "12", "ж" * 30, "г.", "-", "ё"]


def corpus(rnd: random.Random) -> dict[str, str]:
    """A few texts of Russian-like words, some sharing a stretch (retellings), some
    with a stretch repeated inside, some short (names: the plain-Python windows)."""

    def words(n: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(n))

    shared = words(rnd.randint(2, 12))
    out: dict[str, str] = {}
    for k in range(rnd.randint(1, 5)):
        parts = [words(rnd.randint(0, 20))]
        if rnd.random() < 0.6:
            parts.append(shared)
        if rnd.random() < 0.3:
            parts.append(parts[0])
        out[f"a{k}"] = " ".join(parts)[: rnd.choice([11, 40, 70, 400])]
    return out


def test_groups_equal_counting_every_run_as_a_string() -> None:
    rnd = random.Random(13)
    for _ in range(400):
        texts = corpus(rnd)
        assert SharedText(texts).groups == reference(texts), texts


def test_a_hash_collision_never_joins_different_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """With every run hashing alike, every run is a candidate: only string equality
    may group them, so the groups stay exact (a version trusting hashes fails here)."""

    def same_hash(cps: object, sizes: tuple[int, ...]) -> dict[int, np.ndarray]:
        n = len(cps)  # type: ignore[arg-type]
        return {s: np.zeros(max(n - s + 1, 0), dtype=np.int64) for s in sizes}

    monkeypatch.setattr(overlap, "hash_table", same_hash)
    rnd = random.Random(7)
    for _ in range(100):
        texts = corpus(rnd)
        assert SharedText(texts).groups == reference(texts), texts


def test_doubling_hashes_equal_the_hash_of_each_run() -> None:
    rnd = random.Random(3)
    for _ in range(200):
        text = "".join(rnd.choice("абв гд\U0001f600-1") for _ in range(rnd.randint(0, 60)))
        cps = code_points(text)
        table = hash_table(cps, (12, 20))
        for size in (1, 5, 12, 20, 23):
            got = all_hashes(cps, size)
            assert got.tolist() == [run_hash(text[i : i + size]) for i in range(len(got))]
            if size in table:
                assert table[size].tolist() == got.tolist()
