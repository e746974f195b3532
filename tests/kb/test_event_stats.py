"""Per-event counts kept at write time (`kb.event_stats`, issue 13) stay what counting
the sources gives, after any mix of store and KB writes, on SQLite and PostgreSQL:
the stored rows of events not noted stale equal a recomputation, the bounded
descriptions pages and the API show equal the live count, and a `sync` leaves no
event unrecounted."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from kb_corpus_helpers import BACKENDS, db_url, gold_record, open_empty

from kb_curation import curate_randomly
from newsfacts import kb
from newsfacts.kb import event_stats
from newsfacts.kb.event_reads import describe_bounded
from newsfacts.kb.tables import kb_event_stale, kb_event_stats, kb_events
from newsfacts.model import Record
from newsfacts.store import Store
from newsfacts.store.bulk import BulkItem


def _stored(conn: Any) -> dict[str, tuple[Any, ...]]:
    rows = conn.execute(sa.select(kb_event_stats)).all()
    return {r.event_id: tuple(r)[1:] for r in rows}


def _live(conn: Any, types: dict[str, str]) -> dict[str, Any]:
    """Each event's counts (and figure values) read from every source, as the pages
    did before the stats existed."""
    figures = [e for e, t in types.items() if t == "quantity"]
    others = [e for e, t in types.items() if t != "quantity"]
    fig = event_stats.live_figures(conn, figures, event_stats.MAX_SOURCES) if figures else {}
    plain = event_stats.live_counts(conn, others) if others else {}
    out: dict[str, Any] = {}
    for eid, type_ in types.items():
        if type_ == "quantity":
            out[eid] = fig.get(eid, ((0, 0, 0), []))
        else:
            out[eid] = (plain.get(eid, (0, 0, 0)), None)
    return out


def _check(store: Store, synced: bool) -> None:
    with store.engine.connect() as conn:
        types = dict(conn.execute(sa.select(kb_events.c.id, kb_events.c.type)).all())
        live = _live(conn, types)
        stored = _stored(conn)
        stale = set(conn.execute(sa.select(kb_event_stale.c.event_id)).scalars())
        for eid, (counts, values) in live.items():
            if eid in stored and eid not in stale:
                assert stored[eid][:3] == counts, eid
                got = None if stored[eid][3] is None else json.loads(stored[eid][3])
                assert got == values, eid
        if synced:  # every event counted, none left noted, none of events gone
            assert not stale
            assert set(stored) == set(types)
        for event in describe_bounded(conn, sorted(types)):
            counts, values = live[event["id"]]
            seen = (event["n_sources"], event["n_articles"], event["n_independent"])
            assert seen == counts, event["id"]
            assert event.get("values") == values, event["id"]


def _reextracted(rng: random.Random, rec: Record, version: str) -> Record:
    """The article re-extracted: some facts dropped, some figures reported otherwise."""
    facts = []
    for f in rec.facts:
        if rng.random() < 0.25:
            continue
        if isinstance(f.args.get("value"), (int, float)) and rng.random() < 0.5:
            f = replace(f, args={**f.args, "value": f.args["value"] * rng.choice([2, 1.001])})
        facts.append(f)
    return replace(rec, facts=facts, extractor_version=version)


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    store = open_empty(request.param, tmp_path)
    try:
        yield store
    finally:
        store.close()


@pytest.mark.parametrize("seed", [1, 2])
def test_stats_equal_recount_after_random_writes(
    empty_store: Store, corpus: list[dict[str, Any]], seed: int
) -> None:
    store, rng = empty_store, random.Random(seed)
    records = [gold_record(item) for item in corpus]
    saved: dict[str, Record] = {}
    version = 1
    for _step in range(40):
        op = rng.choice(
            ["save", "save", "many", "reextract", "delete", "demote", "sync", "sync", "curate"]
        )
        unsaved = [r for r in records if r.article.id not in saved]
        if (op == "save" or not saved) and unsaved:
            rec = rng.choice(unsaved)
            dup = rng.choice(sorted(saved)) if saved and rng.random() < 0.2 else None
            store.save(rec, duplicate_of=dup)
            saved[rec.article.id] = rec
        elif op == "many" and unsaved:
            batch = rng.sample(unsaved, min(len(unsaved), rng.randint(1, 4)))
            store.save_many([BulkItem(r) for r in batch])
            saved.update((r.article.id, r) for r in batch)
        elif op == "reextract" and saved:
            version += 1
            rec = saved[rng.choice(sorted(saved))]
            saved[rec.article.id] = _reextracted(rng, rec, str(version))
            store.save(saved[rec.article.id])
        elif op == "delete" and saved:
            gone = rng.choice(sorted(saved))
            del saved[gone]
            assert store.delete_article(gone)
        elif op == "demote" and len(saved) > 1:
            dup, orig = rng.sample(sorted(saved), 2)
            store.demote_duplicate(dup, orig)
        elif op == "curate":
            curate_randomly(store, rng)
        else:
            kb.sync(store)
        _check(store, synced=op == "sync")
    kb.sync(store)
    _check(store, synced=True)
    with store.engine.begin() as conn:  # the migration's back-fill agrees too
        before = _stored(conn)
        event_stats.rebuild(conn)
        assert _stored(conn) == before


def test_reads_take_stored_counts_not_the_sources(kb_store: Store) -> None:
    """A page reads an event's stored row: a row set by hand is what it shows, and
    noting the event stale brings back the live count."""
    with kb_store.engine.begin() as conn:
        eid = conn.execute(
            sa.select(kb_events.c.id).where(kb_events.c.type == "meeting").limit(1)
        ).scalar_one()
        conn.execute(
            kb_event_stats.update().where(kb_event_stats.c.event_id == eid).values(n_sources=999)
        )
    with kb_store.engine.connect() as conn:
        (event,) = describe_bounded(conn, [eid])
        assert event["n_sources"] == 999
    with kb_store.engine.begin() as conn:
        event_stats.mark(conn, [eid])
    with kb_store.engine.connect() as conn:
        (event,) = describe_bounded(conn, [eid])
        assert event["n_sources"] == event_stats.live_counts(conn, [eid])[eid][0]


def test_migration_0015_notes_every_event_and_sync_recounts(kb_store: Store) -> None:
    """A store migrated from 0014 keeps showing live counts (every event noted stale,
    none counted by KB code inside the store's migration), and the next `sync` fills
    the rows."""
    with kb_store.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE kb_event_stale"))
        conn.execute(sa.text("DROP TABLE kb_event_stats"))
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0014'"))
        events = set(conn.execute(sa.select(kb_events.c.id)).scalars())
    assert events
    kb_store.close()
    with Store.open(db_url(kb_store)) as store:
        with store.engine.connect() as conn:
            assert set(conn.execute(sa.select(kb_event_stale.c.event_id)).scalars()) == events
            assert _stored(conn) == {}
        _check(store, synced=False)
        kb.sync(store)
        _check(store, synced=True)
