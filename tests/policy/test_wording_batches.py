"""Issue 13: `wording_reveals` loads the texts holding a statement's runs a batch at a
time and stops at the first one the statement reveals, instead of loading every
holder first. The verdict must be exactly the old one: True when any text (the
fact's own, a neighbour, a holder) shows a run outside its quotable set, False only
when none does, whatever the batch size."""

from __future__ import annotations

import random

import pytest

from newsfacts.model import Article, Policy
from newsfacts.policy import wording
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.quotable import Piece, QuotableSet

LIMITED = Policy(max_share=0.2, link_required=False, full_text="permission", origin="footer")
PHRASE = "Стороны обсудили запуск прямого рейса"
STATEMENT = "Аким и посол обсудили запуск прямого рейса"
FILLER = "В понедельник в городе прошла встреча. "


def _article(aid: str, holds: bool, covered: bool, near: list[str]) -> Article:
    """An article whose text holds the phrase (or not), shown by its set (or not)."""
    text = FILLER * 2 + (PHRASE + ". " if holds else "") + FILLER
    pieces = [Piece("near", 0, 0, n) for n in near]
    if holds and covered:
        at = text.index(PHRASE)
        pieces.append(Piece("quote", at, at + len(PHRASE), 0))
    art = Article(id=aid, text=text, title=None, url=f"https://example.kz/{aid}", policy=LIMITED)
    art.quotable = QuotableSet(len(text), 0, pieces)
    return art


def _store(rng: random.Random, n: int) -> dict[str, Article]:
    own = _article("a000", holds=rng.random() < 0.5, covered=rng.random() < 0.7, near=[])
    out = {own.id: own}
    for i in range(1, n):
        aid = f"a{i:03d}"
        out[aid] = _article(aid, holds=rng.random() < 0.8, covered=rng.random() < 0.9, near=[])
    near = rng.sample(sorted(out)[1:], k=min(3, n - 1))
    own.quotable = QuotableSet(
        own.quotable.length, 0, [*own.quotable.pieces] + [Piece("near", 0, 0, i) for i in near]
    )
    return out


def _budget(store: dict[str, Article], loaded: list[int]) -> QuoteBudget:
    def load(ids: list[str]) -> dict[str, Article]:
        loaded.append(len(ids))
        return {i: store[i] for i in ids if i in store}

    def holding(value: str) -> list[str]:  # every text holding the phrase, and one more
        return sorted(a for a, art in store.items() if PHRASE[-20:] in art.text) + ["zzz"]

    return QuoteBudget(articles=load, holding=holding)


def _reference(store: dict[str, Article]) -> bool:
    """The verdict as before: every other text loaded, then any of them revealed."""
    budget = QuoteBudget()
    return any(budget.reveals_beyond(art, STATEMENT) for art in store.values())


@pytest.mark.parametrize("first", [1, 2, 16])
def test_batched_verdict_is_the_verdict_over_every_text(
    monkeypatch: pytest.MonkeyPatch, first: int
) -> None:
    monkeypatch.setattr(wording, "_LOAD_FIRST", first)
    rng = random.Random(first)
    seen = set()
    for _ in range(60):
        store = _store(rng, rng.randint(1, 70))
        want = _reference(store)
        got = _budget(store, []).wording_reveals(store["a000"], STATEMENT)
        assert got == want
        seen.add(want)
    assert seen == {True, False}  # both verdicts were exercised


def test_a_revealing_holder_stops_the_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wording, "_LOAD_FIRST", 4)
    store = {"a000": _article("a000", holds=True, covered=True, near=[])}
    for i in range(1, 200):
        # the second holder shows the phrase outside its set; the others within
        store[f"a{i:03d}"] = _article(f"a{i:03d}", holds=True, covered=i != 2, near=[])
    loaded: list[int] = []
    assert _budget(store, loaded).wording_reveals(store["a000"], STATEMENT)
    assert sum(loaded) <= 4  # before: all 199 others loaded before any was checked


def test_no_revealing_text_means_every_holder_was_checked() -> None:
    store = {
        f"a{i:03d}": _article(f"a{i:03d}", holds=True, covered=True, near=[]) for i in range(50)
    }
    loaded: list[int] = []
    assert not _budget(store, loaded).wording_reveals(store["a000"], STATEMENT)
    assert sum(loaded) == 50  # the 49 others and the id no article has


def test_prefetch_gives_the_same_verdicts_from_one_read() -> None:
    rng = random.Random(7)
    store = _store(rng, 40)
    asked: list[str] = []
    many: list[list[str]] = []
    plain = _budget(store, [])
    holding = plain._holding
    assert holding is not None

    def one(value: str) -> list[str]:
        asked.append(value)
        return holding(value)

    def batch(values: list[str]) -> dict[str, list[str]]:
        many.append(values)
        return {v: holding(v) for v in values}

    budget = QuoteBudget(articles=plain._load, holding=one, holding_many=batch)
    other = STATEMENT + " в Алматы"
    budget.prefetch([STATEMENT, other, STATEMENT])
    assert many == [[STATEMENT, other]]
    for value in (STATEMENT, other):
        assert budget.wording_reveals(store["a000"], value) == _budget(store, []).wording_reveals(
            store["a000"], value
        )
    assert asked == []  # every statement's holders came from the one read


def test_a_failed_prefetch_leaves_each_statement_its_own_look_up() -> None:
    store = {
        f"a{i:03d}": _article(f"a{i:03d}", holds=True, covered=i != 3, near=[]) for i in range(9)
    }
    plain = _budget(store, [])

    def broken(values: list[str]) -> dict[str, list[str]]:
        raise RuntimeError("store gone")

    budget = QuoteBudget(articles=plain._load, holding=plain._holding, holding_many=broken)
    budget.prefetch([STATEMENT])
    assert budget.wording_reveals(store["a000"], STATEMENT)  # a003 shows the phrase outside its set
