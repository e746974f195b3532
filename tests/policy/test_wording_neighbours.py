"""Issue 13: `NeighbourFilter` gives each statement exactly the neighbours its own
look-up gives (without indexed runs, or holding an edge string of the statement:
the budget tests those text by text), asking which have indexed runs once per page
(`learn`) rather than once per statement."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from newsfacts.policy.neighbours import NeighbourFilter
from newsfacts.policy.verbatim import hyphen_edged

WORDS = ["северо-западный", "край", "Алма-Ата", "и", "рейс", "-западный", "Нур-Султан", "в"]
Texts = dict[str, tuple[str, bool]]  # id -> (text, has indexed runs)


def _texts(rng: random.Random, n: int) -> Texts:
    return {
        f"a{i}": (" ".join(rng.choice(WORDS) for _ in range(8)), rng.random() < 0.9)
        for i in range(n)
    }


def _unseen(texts: Texts, calls: list[int]) -> Callable[[list[str], list[str]], set[str]]:
    def unseen(ids: list[str], strings: list[str]) -> set[str]:
        calls.append(len(ids))
        return {
            i
            for i in ids
            if i in texts and (not texts[i][1] or any(s in texts[i][0] for s in strings))
        }

    return unseen


def _texts_of(texts: Texts, calls: list[int]) -> Callable[[list[str]], dict[str, str]]:
    def read(ids: list[str]) -> dict[str, str]:
        calls.append(len(ids))
        return {i: texts[i][0] for i in ids if i in texts}

    return read


def _want(texts: Texts, todo: list[str], value: str) -> list[str]:
    edges = hyphen_edged(value)
    return [i for i in todo if not texts[i][1] or any(s in texts[i][0] for s in edges)]


@pytest.mark.parametrize("read_texts", [False, True])
def test_each_statement_gets_its_own_answer_and_indexing_is_asked_once(read_texts: bool) -> None:
    rng = random.Random(3)
    for _ in range(20):
        texts = _texts(rng, 30)
        values = [" ".join(rng.choice(WORDS) for _ in range(4)) for _ in range(12)]
        calls: list[int] = []
        read: list[int] = []
        filt = NeighbourFilter(
            _unseen(texts, calls), _texts_of(texts, read) if read_texts else None
        )
        near = sorted(texts)[:25]
        filt.learn(near)
        assert calls == [25]
        for value in values:
            todo = rng.sample(sorted(texts), 10)  # some outside what was learned
            assert filt.candidates(todo, value) == _want(texts, todo, value)
        before = len(calls)
        for value in values:  # every neighbour's indexing known by now
            assert filt.candidates(sorted(texts), value) == _want(texts, sorted(texts), value)
        edged = sum(bool(hyphen_edged(v)) for v in values)
        assert len(calls) - before <= (0 if read_texts else edged) + 1
        if read_texts:  # each text read once per response
            assert sum(read) <= len(texts)


def test_a_failing_look_up_keeps_every_neighbour() -> None:
    def broken(ids: list[str], strings: list[str]) -> set[str]:
        raise RuntimeError("store gone")

    for filt in (NeighbourFilter(broken), NeighbourFilter(broken, lambda ids: {})):
        filt.learn(["a", "b"])
        assert filt.candidates(["a", "b"], "северо-западный край и рейс") == ["a", "b"]
        assert filt.candidates(["a"], "рейс и край в городе") == ["a"]

    def no_texts(ids: list[str]) -> dict[str, str]:
        raise RuntimeError("store gone")

    filt = NeighbourFilter(lambda ids, strings: set(), no_texts)
    assert filt.candidates(["a", "b"], "северо-западный край и рейс") == ["a", "b"]
