"""Track-1 quality on the FactRuEval-2016 devset (the only data we tune on).

Slow (natasha over 122 documents), so marked `slow`; skipped when the shared
corpora are not checked out next to the project.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.model import Article
from newsfacts.pipeline import Pipeline

DEVSET = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "factrueval-2016" / "devset"
)


@pytest.mark.slow
def test_track1_beats_natasha_alone() -> None:
    if not DEVSET.is_dir():
        pytest.skip(f"{DEVSET} not found")
    from newsfacts.eval import factrueval as fre
    from newsfacts.eval.metrics import Score

    pipeline = Pipeline(["natasha", "entities", "coref"])
    ours, natasha = Score(), Score()
    for path in fre.book_files(DEVSET):
        text = fre.read_text(path)
        gold = fre.load_gold(DEVSET, path.stem, text)
        if gold is None:
            continue
        doc = pipeline.make_doc(Article(id=path.stem, text=text))
        ours += fre.score_track1(gold, fre.named_mentions(doc), locorg=False)["overall"]
        natasha += fre.score_track1(gold, fre.natasha_mentions(text), locorg=False)["overall"]
    assert natasha.f1 > 0.85  # the comparator and corpus are what we think they are
    assert ours.f1 >= 0.92, f"track 1 F1 {ours.f1:.4f} (natasha alone {natasha.f1:.4f})"
    assert ours.f1 > natasha.f1 + 0.03
