"""Issue 12: pieces of a quotable set that touch are one stretch of text to a reader.

A quote is the longest part of its evidence inside the set
(`Coverage.longest_covered`), so two pieces chosen for different facts, one ending
where the other starts, can be shown as one quote. That stretch holds runs across
the joint which neither piece holds alone, and each such run reveals every place
the text repeats it. The sets used to weigh each piece alone: in the text below
«встреча » and «посол встреча» hold no countable run, but shown together as
«встреча посол встреча» they also reveal the opening, 35 characters of a
24-character allowance (the page-share property found the same on a text of a few
repeated words: 45 of 39 characters).
"""

from __future__ import annotations

from math import floor

from newsfacts.model import Article, Fact, Policy, Record, article_id
from newsfacts.policy.choose import choose
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.overlap import single
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.quotable import Piece, QuotableSet
from newsfacts.policy.runhash import run_hash
from newsfacts.store.runkeys import shown_hashes

TEXT = "встреча посол встреча посол встреча Алматы аким."
FIRST, SECOND, BOTH = (14, 22), (22, 35), (14, 35)  # «встреча », «посол встреча», both
SHARE = 0.5


def _record() -> Record:
    art = Article(
        id=article_id(TEXT),
        text=TEXT,
        source="unknown-outlet.kz",
        url="https://unknown-outlet.kz/a",
        published="2022-05-01",
        policy=Policy(max_share=SHARE, link_required=False, full_text="forbidden", origin="footer"),
    )
    facts = [Fact(type="meeting", args={}, evidence=[span]) for span in (FIRST, SECOND, BOTH)]
    return Record(art, [], facts, "test-1")


def test_the_example_holds_runs_only_across_the_joint() -> None:
    assert TEXT[slice(*BOTH)] == "встреча посол встреча" == TEXT[:21]
    exp = single("a", TEXT, None)
    assert exp.shared.reveals("a", FIRST) == {"a": [FIRST]}
    assert exp.shared.reveals("a", SECOND) == {"a": [SECOND]}
    assert len(exp.shared.reveals("a", BOTH)["a"]) > 1  # the opening too


def test_every_quote_together_stays_within_the_share() -> None:
    record = _record()
    art = record.article
    art.quotable = choose(record, art.policy, has_url=True)
    budget = QuoteBudget()
    meter = RevealMeter({art.id: TEXT})
    quotes = [budget.quote(art, *span) for f in record.facts for span in f.evidence]
    for q in quotes:
        if q is not None:
            meter.feed(q.text)
    assert any(quotes)  # something is still quoted
    assert meter.revealed(art.id) <= floor(SHARE * len(TEXT))


def test_stored_pieces_count_the_runs_across_their_joint() -> None:
    """`Exposure.show` (stored sets in the cross-article pass) and the hashed runs a
    set shows (`store.shown`) take touching pieces as one stretch."""
    exp = single("a", TEXT, None)
    exp.show("a", [FIRST, SECOND])
    assert exp.cov["a"].size() == 35  # 14..35 and the opening it repeats
    assert run_hash(TEXT[14:34]) in shown_hashes(TEXT, [FIRST, SECOND])
    assert run_hash(TEXT[14:34]) not in shown_hashes(TEXT, [FIRST, (23, 35)])  # a gap: two quotes


def test_a_stricter_serving_policy_weighs_joints_and_repeats() -> None:
    """`QuotableSet.within` (a registry stricter at serve time than at ingest) keeps
    a prefix of the pieces that fits, weighed as the chooser weighs them: the two
    touching pieces together reveal 35 characters (the opening repeats their
    stretch), so a 30-character allowance keeps the first piece only."""
    stored = QuotableSet(len(TEXT), 40, [Piece("quote", *FIRST, 0), Piece("quote", *SECOND, 1)])
    kept = stored.within(30, TEXT)
    assert [(p.start, p.end) for p in kept.pieces] == [FIRST]
    meter = RevealMeter({"a": TEXT})
    for a, b in kept.stretches():
        meter.feed(TEXT[a:b])
    assert meter.revealed("a") <= 30
    assert stored.within(40, TEXT) is stored  # not stricter: the set as stored
