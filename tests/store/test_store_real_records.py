"""Real extractor output survives the store unchanged (slow: runs the NLP pipeline),
but for names long enough to be text, stored in their short form (`policy.names`).

Hand-built records test the store's logic; this catches the shapes the extractor
actually produces (nested time values, unresolved dates, lists in args, long
texts) that a hand-built record might not think of.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.model import RawDocument, Record
from newsfacts.policy.names import shown_record
from newsfacts.store import Store

DEVSET = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "factrueval-2016" / "devset"
)
N_DOCS = 12

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def real_records() -> list[Record]:
    if not DEVSET.is_dir():
        pytest.skip(f"{DEVSET} is missing (shared corpora not mounted)")
    from newsfacts.ingest.clean import clean
    from newsfacts.pipeline import default_pipeline

    pipeline = default_pipeline()
    out = []
    for path in sorted(DEVSET.glob("book_*.txt"))[:N_DOCS]:
        raw = RawDocument(
            text=path.read_text(encoding="utf-8"), source="factrueval", origin=str(path)
        )
        out.append(pipeline(clean(raw)))
    return out


def test_real_records_round_trip(store: Store, real_records: list[Record]) -> None:
    for rec in real_records:
        assert store.save(rec)
    for rec in real_records:
        back = store.get_record(rec.article.id)
        assert back is not None
        assert back.to_dict() == shown_record(rec).to_dict(), rec.article.id
    n_facts = sum(len(r.facts) for r in real_records)
    assert store.stats()["facts"] == n_facts
    assert len(list(store.iter_facts_for_export())) == n_facts
    for rec in real_records:
        for ent in shown_record(rec).entities[:3]:
            hits = store.search(ent.name)["entities"]
            assert hits, ent.name
