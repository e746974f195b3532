"""`scripts/replicate_store.py`: a linked base copied in SQL is a valid, linked store.

make_big_store.py builds its 200,000-article benchmark store this way (issue 13
item 6), so a table left out, a dangling key or a copy linked elsewhere than its
original would make every latency figure measured on it wrong.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from store_samples import Ent, make_record, record_a, record_b, record_c

from newsfacts import kb
from newsfacts.model import Record
from newsfacts.server import create_app
from newsfacts.store import Store, keysummary
from newsfacts.store import version as store_version
from newsfacts.store.schema import FTS_TABLE, metadata

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "replicate_store.py"
COPIES = 3
os.environ.setdefault("NEWSFACTS_ALLOWED_HOSTS", "testserver")


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("replicate_store", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["replicate_store"] = module
    spec.loader.exec_module(module)
    return module


rs = _module()


def more_records() -> list[Record]:
    text_d = (
        "Россия и Казахстан подписали соглашение о поставках зерна. Подписание прошло в Астане."
    )
    text_e = "Мурат Айтенов посетил Россию. В Москве аким Шымкента обсудил инвестиции."
    return [
        make_record(
            text_d,
            title="Соглашение о зерне",
            source="kursiv.media",
            published="2022-06-01",
            ents=[
                Ent("E1", "location", "Россия", ["Россия"], "country", code="RU"),
                Ent("E2", "location", "Казахстан", ["Казахстан"], "country", code="KZ"),
                Ent("E3", "location", "Астана", ["Астане"], "city", country="KZ"),
            ],
            facts=[("meeting", {"participants": ["E1", "E2"], "place": "E3"}, "подписали")],
        ),
        make_record(
            text_e,
            title="Айтенов в Москве",
            source="ria.ru",
            published="2023-03-03",
            ents=[
                Ent("E1", "person", "Мурат Айтенов", ["Мурат Айтенов"]),
                Ent("E2", "location", "Россия", ["Россию"], "country", code="RU"),
                Ent("E3", "location", "Москва", ["Москве"], "city", country="RU"),
            ],
            facts=[("meeting", {"participants": ["E1"], "place": "E3"}, "обсудил")],
        ),
    ]


def counts(store: Store) -> dict[str, int]:
    with store.engine.connect() as conn:
        names = [t.name for t in metadata.sorted_tables]
        if store.dialect == "sqlite":
            names += [FTS_TABLE, *rs.TRIGGER_KEPT]
        return rs.table_counts(conn, names)


def links_by_original(store: Store) -> dict[str, Counter[tuple[str, str, str]]]:
    """(local_id, kb_id, status) of every link, per original article (a copy's origin
    is '<original origin or id>#copyN')."""
    out: dict[str, Counter[tuple[str, str, str]]] = {}
    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT a.id, a.origin, l.local_id, l.kb_id, l.status FROM kb_links l "
                "JOIN articles a ON a.id = l.article_id"
            )
        ).all()
    for aid, origin, local_id, kb_id, status in rows:
        key = (origin or aid).split("#copy")[0]
        out.setdefault(key, Counter())[(local_id, kb_id, status)] += 1
    return out


def dangling(store: Store) -> dict[str, int]:
    """Rows whose foreign key (from the metadata, plus the KB's by-convention keys)
    points at nothing."""
    checks = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_key_constraints:
            child = [c.name for c in fk.columns]
            parent = [e.column.name for e in fk.elements]
            target = fk.elements[0].column.table.name
            checks.append((table.name, child, target, parent))
    for name in ("kb_links", "kb_articles", "kb_stories", "kb_event_sources", "quotable"):
        checks.append((name, ["article_id"], "articles", ["id"]))
    checks.append(("kb_links", ["article_id", "local_id"], "entities", ["article_id", "local_id"]))
    checks.append(("kb_links", ["kb_id"], "kb_entities", ["id"]))
    checks.append(("kb_event_sources", ["article_id", "seq"], "facts", ["article_id", "seq"]))
    out = {}
    with store.engine.connect() as conn:
        for child, ccols, parent, pcols in checks:
            on = " AND ".join(f'p."{p}" = c."{c}"' for c, p in zip(ccols, pcols, strict=True))
            sql = (
                f'SELECT count(*) FROM "{child}" c LEFT JOIN "{parent}" p ON {on} '
                f'WHERE p."{pcols[0]}" IS NULL AND c."{ccols[0]}" IS NOT NULL'
            )
            out[f"{child}({','.join(ccols)})->{parent}"] = conn.execute(sa.text(sql)).scalar_one()
    return out


def index_names(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        inspector = sa.inspect(conn)
        return {
            str(ix["name"]) for t in inspector.get_table_names() for ix in inspector.get_indexes(t)
        }


def test_replicated_store_is_complete_and_linked(store: Store) -> None:
    base = [record_a(), record_b(), record_c(), *more_records()]
    for rec in base:
        assert store.save(rec)
    assert kb.sync(store).linked == len(base)
    before = counts(store)
    links_before = links_by_original(store)
    with store.engine.connect() as conn:
        version_before = store_version.current(conn)
        layout = rs.plan(conn)
    indexes = index_names(store)

    report = rs.replicate(store, len(base) * COPIES, chunk=4)

    assert report.mismatches() == {}
    assert index_names(store) == indexes  # the ones dropped for the copy are back
    after = counts(store)
    per_article = {t.name for t in layout.per_article} | {"articles"}
    if store.dialect == "sqlite":
        per_article |= {FTS_TABLE, *rs.TRIGGER_KEPT}
    for name, n in before.items():
        want = n * COPIES if name in per_article else n
        if name == "store_version":
            want = 1
        assert after[name] == want, name
    assert after["entities"] > after["articles"] > 0 and after["kb_links"] > 0
    with store.engine.connect() as conn:  # the per-key counts are the copies' (issue 13)
        assert keysummary.stored(conn) == keysummary.recomputed(conn)
    assert dangling(store) == dict.fromkeys(dangling(store), 0)
    if store.dialect == "sqlite":
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    # every copy linked exactly as its original
    links_after = links_by_original(store)
    assert set(links_after) == set(links_before)
    for key, links in links_before.items():
        assert links_after[key] == Counter({k: n * COPIES for k, n in links.items()}), key
    # nothing left for the linker, and the version moved
    assert kb.sync(store).linked == 0
    with store.engine.connect() as conn:
        assert store_version.current(conn) > version_before
        ids = conn.execute(sa.text("SELECT id, text, published FROM articles")).all()
    assert len({i for i, _, _ in ids}) == len(base) * COPIES
    assert all(rs.article_id(text) == aid for aid, text, _ in ids)

    client = TestClient(create_app(store, pages=True, response_cache=0))
    view = client.get("/api/entities/person:мурат айтенов").json()
    assert view["entity"]["article_count"] == 3 * COPIES  # in records a, b and e
    shown = {s["id"] for s in view["sources"]}
    assert len(shown) == 3 * COPIES
    page = client.get("/entities/person:мурат айтенов")
    assert page.status_code == 200
    assert sum(aid in page.text for aid in shown) == len(shown)
    for path in ("/?q=Айтенов", "/dossiers/location:RU", "/api/dossiers/location:KZ"):
        assert client.get(path).status_code == 200, path


def test_an_unknown_table_stops_the_copy(store: Store) -> None:
    assert store.save(record_a())
    with store.engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE entity_summary_x (entity_key TEXT, n INTEGER)"))
    try:
        with store.engine.connect() as conn, pytest.raises(rs.CopyError, match="entity_summary_x"):
            rs.plan(conn)
    finally:
        with store.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE entity_summary_x"))


def test_skipped_tables_keep_the_base_rows_only(store: Store) -> None:
    base = [record_a(), record_b(), record_c()]
    for rec in base:
        assert store.save(rec)
    before = counts(store)
    report = rs.replicate(store, len(base) * COPIES, skip=["text_runs"])
    assert report.mismatches() == {}
    after = counts(store)
    assert after["text_runs"] == before["text_runs"] > 0
    assert after["text_run_sets"] == before["text_run_sets"] == len(base)  # copies: unseen
    assert after["facts"] == before["facts"] * COPIES
    with pytest.raises(rs.CopyError, match="kb_entities"):
        rs.replicate(store, 20, skip=["kb_entities"])
