"""Occupation facts against NEREL dev WORKS_AS relations: a corpus we never tuned on.

Slow (the pipeline over 94 Wikinews articles), so marked `slow`; skipped when the
shared corpus is missing. Run with `-s` to see the figures:
`.venv/bin/pytest -m slow tests/extract/test_occupation_nerel.py -s`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.model import Article
from newsfacts.pipeline import Pipeline

NEREL_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "nerel-1.1" / "dev"

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _works_as(ann: str) -> list[tuple[Span, Span]]:
    """(person span, profession span) for every WORKS_AS relation of a brat file."""
    spans: dict[str, Span] = {}
    pairs = []
    for line in ann.splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            _type, _, rest = cols[1].partition(" ")
            parts = [p.split() for p in rest.split(";")]
            spans[cols[0]] = (int(parts[0][0]), int(parts[-1][1]))
        elif line.startswith("R") and len(cols) >= 2:
            fields = cols[1].split()
            if fields[0] == "WORKS_AS":
                pairs.append((fields[1][5:], fields[2][5:]))
    return [(spans[a], spans[b]) for a, b in pairs if a in spans and b in spans]


@pytest.mark.slow
def test_occupation_precision_on_nerel_dev() -> None:
    if not NEREL_DEV.exists():
        pytest.skip("../shared/data/nerel-1.1/dev not available")
    pipeline = Pipeline(["natasha", "entities", "coref", "dates", "occupation"])
    right = wrong = gold = found = 0
    for txt in sorted(NEREL_DEV.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        works = _works_as(txt.with_suffix(".ann").read_text(encoding="utf-8"))
        gold += len(works)
        doc = pipeline.make_doc(Article(id=txt.stem, text=text))
        hit: set[int] = set()
        for fact in doc.facts:
            if fact.type != "occupation":
                continue
            person = doc.entity(fact.args["person"])
            lo, hi = fact.evidence[0]
            shown = fact.args.get("position_text", "")
            at = text.find(shown, lo, hi + 1) if shown else -1
            post = (at, at + len(shown)) if at >= 0 else (lo, hi)
            ok = False
            for k, (who, job) in enumerate(works):
                if _overlap(post, job) and any(_overlap(m, who) for m in person.mentions):
                    ok = True
                    hit.add(k)
            right += ok
            wrong += not ok
        found += len(hit)
    precision = right / max(1, right + wrong)
    recall = found / max(1, gold)
    print(
        f"\nNEREL dev WORKS_AS: precision {precision:.3f} ({right}/{right + wrong}), "
        f"recall {recall:.3f} ({found}/{gold})"
    )
    # measured 0.791 / 0.326 with the rules alone, 0.793 / 0.347 with the learned pairs
    # (docs/learned-component.md; NEREL dev chose their threshold, so this is not an
    # independent figure). NEREL marks professions that no name stands next to, so
    # recall is low by design of the comparison
    assert precision >= 0.7
    assert recall >= 0.33
