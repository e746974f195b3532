"""Issue 13: `Store.fact_slices` reads, on both backends, exactly what the whole
records hold for an entity page or a dossier: the facts naming the key (with
`mentioned`, also those whose evidence holds one of its mentions) with every
evidence span in order, the entities mentioned inside those spans, and the entity
rows of the key and of what the shown facts name, without mentions."""

from __future__ import annotations

from typing import Any

import pytest
from store_samples import record_a, record_b, record_c

from newsfacts.model import Fact, Record
from newsfacts.store import Store
from newsfacts.store.keys import entity_key


def _strings(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {s for v in value for s in _strings(v)}
    if isinstance(value, dict):
        return {s for v in value.values() for s in _strings(v)}
    return set()


def _inside(record: Record, fact: Fact) -> set[str]:
    """Local ids with a mention inside one of the fact's evidence spans."""
    return {
        e.id
        for e in record.entities
        for s, t in e.mentions
        if any(a <= s and t <= b for a, b in fact.evidence)
    }


def _spread(record: Record) -> Record:
    """Record A with a fact of three spans (stored out of text order) and a fact
    without evidence, so span order and span-less facts are read too."""
    text = record.article.text
    first = record.facts[0]
    tail = (text.index("Товарооборот"), len(text))
    first.evidence = [first.evidence[0], tail, (0, 6)]
    record.facts.append(Fact(type="statement", args={"speaker": "E3"}, confidence=0.4))
    return record


@pytest.mark.parametrize("mentioned", [False, True])
def test_slices_hold_what_the_whole_records_show(store: Store, mentioned: bool) -> None:
    for rec in (_spread(record_a()), record_b(), record_c()):
        assert store.save(rec)
    whole = store.get_records([r["id"] for r in store.list_articles(limit=10)])
    ids = sorted(whole)
    keys = {entity_key(e) for rec in whole.values() for e in rec.entities}
    shown_any = 0
    for key in sorted(keys):
        slices = store.fact_slices(key, ids, mentioned=mentioned)
        assert set(slices) == set(ids), key
        for aid, rec in whole.items():
            part = slices[aid]
            local = {e.id for e in rec.entities if entity_key(e) == key}
            want = {
                seq: fact
                for seq, fact in enumerate(rec.facts)
                if local & _strings(fact.args) or (mentioned and local & _inside(rec, fact))
            }
            assert part.facts == want, (key, aid)
            shown_any += len(want)
            seen = {seq: _inside(rec, f) for seq, f in want.items() if _inside(rec, f)}
            seen = seen if mentioned else {}
            assert part.seen == seen, (key, aid)
            named = set().union(*(_strings(f.args) for f in want.values()), *seen.values())
            expected = [e for e in rec.entities if e.id in local | named]
            got = part.record.entities
            assert [e.id for e in got] == [e.id for e in expected], (key, aid)
            for ent, full in zip(got, expected, strict=True):
                assert ent.mentions == []
                assert ent.aliases == (full.aliases if ent.id in local else [])
                assert entity_key(ent) == entity_key(full)
                assert (ent.name, ent.subtype, ent.code, ent.country) == (
                    full.name,
                    full.subtype,
                    full.code,
                    full.country,
                )
            assert part.record.article.text == rec.article.text
            assert part.record.article.policy == rec.article.policy
            assert part.record.article.repairs == rec.article.repairs
            assert part.record.article.quotable == rec.article.quotable
    assert shown_any > 10
