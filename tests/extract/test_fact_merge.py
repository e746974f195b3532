"""add_once: a fact stated twice in an article is one fact with both sentences."""

from __future__ import annotations

from newsfacts.extract.merge import add_once
from newsfacts.model import Fact


def _meeting(evidence: tuple[int, int], confidence: float, **args: object) -> Fact:
    return Fact(
        type="meeting",
        args={"participants": ["E1", "E2"], **args},
        evidence=[evidence],
        confidence=confidence,
        extractor="meeting",
    )


def test_a_repeat_adds_evidence_confidence_and_missing_arguments() -> None:
    facts: dict = {}
    first = add_once(facts, "k", _meeting((0, 40), 0.6))
    kept = add_once(facts, "k", _meeting((41, 90), 0.8, time="2023-06"), fill=("time",))
    assert kept is first and list(facts) == ["k"]
    assert kept.evidence == [(0, 40), (41, 90)]
    assert kept.confidence == 0.8
    assert kept.args["time"] == "2023-06"


def test_the_same_sentence_twice_keeps_one_span_and_the_first_arguments() -> None:
    facts: dict = {}
    add_once(facts, "k", _meeting((0, 40), 0.7, place="E3"))
    kept = add_once(facts, "k", _meeting((0, 40), 0.5, place="E4", time="2022"))
    assert kept.evidence == [(0, 40)]
    assert kept.confidence == 0.7  # a weaker repeat never lowers it
    assert kept.args["place"] == "E3" and "time" not in kept.args  # nothing named in fill


def test_different_keys_stay_different_facts() -> None:
    facts: dict = {}
    add_once(facts, ("E1", "посол"), _meeting((0, 40), 0.6))
    add_once(facts, ("E2", "посол"), _meeting((0, 40), 0.6))
    assert len(facts) == 2
