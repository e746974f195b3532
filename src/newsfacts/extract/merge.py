"""One fact per key inside an article: the rule every relation extractor shares.

An article often states a fact twice ("Досаев встретился с послом ... В ходе встречи
аким и посол ..."). Analysts want one fact with every sentence that supports it, so
a repeat does not become a second fact: it adds its evidence span, the fact keeps
the stronger of the two confidences, and arguments the first statement lacked (a
phase, a time, a place) are taken from the repeat.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

from newsfacts.model import Fact


def add_once(
    facts: dict[Hashable, Fact], key: Hashable, fact: Fact, fill: Iterable[str] = ()
) -> Fact:
    """Store `fact` under `key`, or fold it into the fact already there; returns the kept one.

    `fill` names the arguments a repeat may add when the kept fact has none.
    """
    kept = facts.get(key)
    if kept is None:
        facts[key] = fact
        return fact
    for span in fact.evidence:
        if span not in kept.evidence:
            kept.evidence.append(span)
    kept.confidence = max(kept.confidence, fact.confidence)
    for name in fill:
        if name in fact.args and name not in kept.args:
            kept.args[name] = fact.args[name]
    return kept
