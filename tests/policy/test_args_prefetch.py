"""Issue 12/13: `QuoteBudget.shown` checks on other stored texts only the arguments
holding a run their own text lacks, and `prefetch_shown` looks those up for a whole
page at once: one `holding_many` read and one load of neighbours, never a read per
argument. The verdicts must be exactly those of checking each argument alone."""

from __future__ import annotations

import random

from newsfacts.model import Article, Policy
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.quotable import Piece, QuotableSet
from newsfacts.policy.verbatim import clip

LIMITED = Policy(max_share=0.2, link_required=False, full_text="permission", origin="footer")
FILLER = "В понедельник в городе прошла встреча с жителями района. "
PHRASES = [
    "председатель правления холдинга",
    "заместитель акима области",
    "количество пострадавших граждан",
    "объём инвестиций в экономику",
]


def _article(aid: str, text: str, shown: str | None = None) -> Article:
    """An article whose set shows only `shown` (a substring of `text`), if given."""
    pieces = []
    if shown is not None:
        at = text.index(shown)
        pieces.append(Piece("quote", at, at + len(shown), 0))
    art = Article(id=aid, text=text, title=None, url=f"https://example.kz/{aid}", policy=LIMITED)
    art.quotable = QuotableSet(len(text), 0, pieces)
    return art


def _store(rng: random.Random) -> tuple[dict[str, Article], list[tuple[Article, str]]]:
    """Holders of the phrases (some showing them in their set), and fact articles
    whose arguments are a phrase (not in their text), or words of their own text."""
    store: dict[str, Article] = {}
    for i in range(12):
        phrase = rng.choice(PHRASES)
        store[f"h{i:02d}"] = _article(
            f"h{i:02d}", FILLER + phrase + ". " + FILLER, phrase if rng.random() < 0.5 else None
        )
    pairs = []
    for i in range(20):
        own = "с жителями района"
        art = _article(
            f"f{i:02d}", FILLER + "Итоги подведут позже.", own if rng.random() < 0.5 else None
        )
        store[art.id] = art
        pairs += [(art, rng.choice(PHRASES)), (art, own), (art, "глава совета директоров")]
    return store, pairs


def _budget(store: dict[str, Article], calls: dict[str, int]) -> QuoteBudget:
    def holders(value: str) -> list[str]:
        return sorted(a for a, art in store.items() if value[:12] in art.text)

    def load(ids: list[str]) -> dict[str, Article]:
        calls["load"] = calls.get("load", 0) + 1
        return {i: store[i] for i in ids if i in store}

    def holding(value: str) -> list[str]:
        calls["holding"] = calls.get("holding", 0) + 1
        return holders(value)

    def holding_many(values: list[str]) -> dict[str, list[str]]:
        calls["holding_many"] = calls.get("holding_many", 0) + 1
        return {v: holders(v) for v in values}

    return QuoteBudget(articles=load, holding=holding, holding_many=holding_many)


def test_prefetched_verdicts_match_and_take_one_read_each() -> None:
    for seed in range(20):
        rng = random.Random(seed)
        store, pairs = _store(rng)
        alone: dict[str, int] = {}
        expected = [_budget(store, alone).shown(a, v) for a, v in pairs]
        calls: dict[str, int] = {}
        budget = _budget(store, calls)
        budget.prefetch_shown(pairs)
        assert calls == {"holding_many": 1, "load": 1}, seed
        assert [budget.shown(a, v) for a, v in pairs] == expected, seed
        assert calls == {"holding_many": 1, "load": 1}, seed  # shown asked nothing more
        assert alone.get("holding", 0) > 1  # unbatched: a read per argument


def test_only_arguments_revealing_another_text_are_clipped() -> None:
    holder = _article("h", FILLER + PHRASES[0] + ". " + FILLER)  # shows nothing
    shows = _article("s", FILLER + PHRASES[1] + ". " + FILLER, PHRASES[1])
    own = _article("f", FILLER + "Итоги подведут позже.", "с жителями района")
    store = {a.id: a for a in (holder, shows, own)}
    budget = _budget(store, {})
    assert budget.shown(own, PHRASES[0]) == clip(PHRASES[0])  # was shown whole
    assert budget.shown(own, PHRASES[1]) == PHRASES[1]  # inside the holder's set
    assert budget.shown(own, "глава совета директоров") == "глава совета директоров"
    assert budget.shown(own, "с жителями района") == "с жителями района"  # own set
