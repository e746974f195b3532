"""The KB over the real extractor's output for our corpus (slow: runs the NLP pipeline).

Extracted entities are matched to the gold ones by overlapping mention spans; the
linking is then scored pairwise against the gold identities. Extraction errors
(missed or mistyped names) lower recall here without being the linker's fault, so the
bar is lower than for the gold-record test in test_kb_link.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kb_corpus_helpers import pairwise

from newsfacts import kb
from newsfacts.kb.tables import kb_links
from newsfacts.model import RawDocument
from newsfacts.store import Store

pytestmark = pytest.mark.slow


def _gold_spans(item: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    out = []
    for e in item["gold"]["entities"]:
        for surface in e["surface"]:
            start = item["text"].index(surface)
            out.append((start, start + len(surface), e["type"], e["kb"]))
    return out


def test_pipeline_records_link_like_gold(tmp_path: Path, corpus: list[dict[str, Any]]) -> None:
    from newsfacts.ingest.clean import clean
    from newsfacts.pipeline import default_pipeline

    pipeline = default_pipeline()
    store = Store.open(str(tmp_path / "p.db"))
    gold: dict[tuple[str, str], str] = {}
    for item in corpus:
        raw = RawDocument(
            text=item["text"],
            title=item["title"],
            url=item["url"],
            published=item["published"],
            source=item["source"],
        )
        record = pipeline(clean(raw))
        store.save(record)
        text = record.article.text
        spans = _gold_spans(item)
        for ent in record.entities:
            for start, end in ent.mentions:
                surface = text[start:end]
                hit = next(
                    (g for g in spans if g[2] == ent.type and item["text"].find(surface) >= 0
                     and g[0] < item["text"].find(surface) + len(surface) and item["text"].find(surface) < g[1]),
                    None,
                )  # fmt: skip
                if hit:
                    gold[(record.article.id, ent.id)] = hit[3]
                    break
    kb.sync(store)
    with store._read() as conn:
        pred = {(r.article_id, r.local_id): r.kb_id for r in conn.execute(sa.select(kb_links))}
    precision, recall = pairwise(pred, gold)
    print(f"pipeline linking: {len(gold)} matched entities, P={precision:.3f} R={recall:.3f}")
    assert len(gold) >= 60
    assert precision >= 0.95  # measured 1.000 (92 matched entities)
    assert recall >= 0.85  # measured 0.951
    # what the real extractor supports today (2021 reports of Сагинтаев and the
    # September 2023 Досаев report are not extracted as occupation facts)
    assert kb.who_held(store, "аким", "Алматы", "2022-05-01").holder_name == "Ерболат Досаев"
    assert kb.who_held(store, "аким", "Алма-Ата", "2023-10-15").holder_name == "Дархан Сатыбалды"
    figures = {e["period"]: e for e in kb.events(store, entity="Индонезия", type="quantity")}
    assert figures["2021"]["conflict"] is True
    assert {v["value"] for v in figures["2021"]["values"]} == {400000000, 415000000}
    meetings = {e["period"]: e for e in kb.events(store, entity="Марко Альберти", type="meeting")}
    assert meetings["2022-04"]["n_articles"] >= 2
    store.close()
