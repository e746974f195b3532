"""Two `newsfacts load` processes into one PostgreSQL: no duplicates, nothing lost.

The two inputs overlap, so both loaders insert the same articles at the same time;
the store and its knowledge base must end exactly as one loader of the union leaves
them (same articles, facts, entities and KB entities), and neither loader may fail.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from store_samples import PG_URL, Ent, make_record, wipe_pg

from newsfacts.model import Record
from newsfacts.store import Store

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="NEWSFACTS_TEST_PG is not set (start_postgres.sh)"),
]

CITIES = ["Караганды", "Павлодара", "Костаная", "Атырау", "Актау", "Семея", "Тараза", "Уральска"]
PEOPLE = ["Ахметов", "Бекова", "Калиев", "Нурланов", "Омарова", "Сеитов", "Тулегенов", "Жумабаев"]
WORDS = ["завода", "моста", "школы", "больницы", "порта", "склада", "фабрики", "станции"]


def records(n: int) -> list[Record]:
    """`n` distinct short articles (no two near-duplicates), each with two entities
    and a meeting, so the knowledge base has people shared across articles."""
    out = []
    for i in range(n):
        city, person, word = CITIES[i % 8], PEOPLE[(i * 3) % 8], WORDS[(i * 5) % 8]
        text = (
            f"Аким {city} {person} встретился с инвесторами {i * 37 + 11} раз. "
            f"Обсуждали строительство {word} номер {i * 101 + 7} за {i % 9 + 2},{i % 7} млрд тенге "
            f"к {2024 + i % 6} году; мощность {i * 13 + 40} тысяч тонн, штат {i * 17 + 90}."
        )
        ents = [
            Ent("E1", "person", person, [person]),
            Ent("E2", "location", city, [city], "city", country="KZ"),
        ]
        facts = [("meeting", {"participants": ["E1"], "place": "E2"}, "встретился")]
        out.append(
            make_record(
                text,
                title=f"№{i}",
                source="kapital.kz",
                published="2024-01-01",
                ents=ents,
                facts=facts,
            )
        )
    return out


def write_part(folder: Path, recs: list[Record]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsfacts.scale.ray_batch import ARTICLE_COLUMNS

    rows = [
        {
            "order": f"{i:09d}:000000000",
            "article_id": r.article.id,
            "origin": f"{folder.name}:{i}",
            "url": r.article.url or "",
            "source": r.article.source or "",
            "published": r.article.published or "",
            "record_json": json.dumps(r.to_dict(), ensure_ascii=False),
            "error": "",
        }
        for i, r in enumerate(recs)
    ]
    (folder / "articles").mkdir(parents=True)
    pq.write_table(
        pa.table({c: [r[c] for r in rows] for c in ARTICLE_COLUMNS}),
        folder / "articles" / "data.parquet",
    )
    return folder


def load(part: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsfacts.cli", "load", str(part), "--db", url, "--batch", "5"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def snapshot(url: str) -> dict[str, object]:
    with Store.open(url) as store, store.engine.connect() as conn:

        def rows(sql: str) -> list[tuple[object, ...]]:
            return sorted(tuple(r) for r in conn.execute(sa.text(sql)))

        return {
            "articles": rows("SELECT id, duplicate_of FROM articles"),
            "facts": rows("SELECT article_id, seq, type FROM facts"),
            "entities": rows("SELECT article_id, local_id, entity_key FROM entities"),
            "quotable": rows("SELECT article_id FROM quotable"),
            "kb_entities": rows("SELECT type, name FROM kb_entities"),
            "kb_links": rows("SELECT article_id, local_id FROM kb_links"),
            # Which loader links an article first decides which mention founds an
            # entity (its id, and which link says "new"), so the KB is compared by
            # what it groups: mentions per entity, sources per event, articles per
            # story, and the context counts whatever they are keyed by.
            "entity_mentions": groups(
                rows("SELECT kb_id, article_id, local_id, name FROM kb_links")
            ),
            "event_sources": groups(
                rows(
                    "SELECT s.event_id, e.type, e.period, s.article_id, s.seq"
                    " FROM kb_event_sources s JOIN kb_events e ON e.id = s.event_id"
                )
            ),
            "stories": groups(rows("SELECT story_id, article_id FROM kb_stories")),
            "context_counts": sorted(
                r[0] for r in rows("SELECT n FROM kb_features WHERE feature LIKE 'with:%'")
            ),
        }


def groups(rows: list[tuple[object, ...]]) -> list[list[tuple[object, ...]]]:
    """Rows grouped by their first column, the groups without it, sorted."""
    out: dict[object, list[tuple[object, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(row[1:])
    return sorted(sorted(group, key=repr) for group in out.values())


def test_two_loaders_on_overlapping_parts_store_each_article_once(tmp_path: Path) -> None:
    assert PG_URL
    recs = records(40)
    first = write_part(tmp_path / "part-0", recs[:26])
    second = write_part(tmp_path / "part-1", recs[14:])
    union = write_part(tmp_path / "union", recs)

    wipe_pg(PG_URL)
    one = load(union, PG_URL)
    assert one.wait(timeout=300) == 0, one.stderr.read() if one.stderr else ""
    expected = snapshot(PG_URL)
    assert len(expected["articles"]) == 40  # type: ignore[arg-type]
    assert len(expected["kb_links"]) == 80  # type: ignore[arg-type]

    wipe_pg(PG_URL)
    loaders = [load(first, PG_URL), load(second, PG_URL)]
    outputs = [p.communicate(timeout=300) for p in loaders]
    for proc, (out, err) in zip(loaders, outputs, strict=True):
        assert proc.returncode == 0, err
        assert " 0 errors" in out, out
    added = sum(int(out.split(" added")[0].split()[-1]) for out, _ in outputs)
    assert added == 40  # every article stored by exactly one of the two loaders
    assert snapshot(PG_URL) == expected
