"""Entity search read from the per-key summaries (issue 13): the matched entities are
those whose rows' names (or hidden full names) hold the query, as the row scan
found them, and each hit is the entity as its page shows it: every article that
mentions it, the name most rows carry."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from api_stores import store_location
from webapi_fixtures import all_records, bishkek_record, build

from newsfacts.api.entity_search import like
from newsfacts.api.queries import Queries
from newsfacts.model import Record
from newsfacts.store import Store
from newsfacts.store.keys import fold
from newsfacts.store.schema import entities, entity_names


def _country_record(text: str, name: str, surface: str) -> Record:
    """One article naming Kazakhstan (code KZ, so keyed `location:KZ`) as `name`."""
    return build(
        text,
        title=text.split(".")[0],
        source="example.kz",
        url=None,
        published="2023-01-02",
        entities=[("E1", "location", name, [surface], {"subtype": "country", "code": "KZ"})],
        facts=[],
    )


def _records() -> list[Record]:
    return [
        _country_record("Казахстан закупил зерно. Цены выросли.", "Казахстан", "Казахстан"),
        _country_record("Казахстан продал нефть. Цены упали.", "Казахстан", "Казахстан"),
        _country_record(
            "Республика Казахстан открыла посольство. Визит прошёл.",
            "Республика Казахстан",
            "Республика Казахстан",
        ),
    ]


def test_a_hit_counts_every_article_of_its_entity(tmp_path: Path) -> None:
    """«республика» matches one of KZ's two names, in one article of three: the hit
    says 3 articles and the name most of them use, as the entity page does. The
    row scan said 1 and «Республика Казахстан»."""
    store = Store.open(store_location(tmp_path / "kz.db"))
    try:
        for record in _records():
            store.save(record)
        queries = Queries(store.engine)
        hits = queries.search_entities("республика")
        assert [(h["key"], h["article_count"], h["name"]) for h in hits] == [
            ("location:KZ", 3, "Казахстан")
        ]
        page = queries.entity("location:KZ")
        assert page is not None
        assert (page.name, page.subtype, page.article_count) == ("Казахстан", "country", 3)
        assert hits[0]["subtype"] == "country" and hits[0]["type"] == "location"
        assert queries.search_entities("республика", type="person") == []
        assert queries.count_entities("казахстан") == 1
    finally:
        store.close()


def test_matched_entities_are_the_row_scans(tmp_path: Path) -> None:
    """The keys found through the summaries equal the keys of every row whose name
    or hidden full name holds the query (with and without a type), also after a
    deletion; pages are ordered by article count, then key."""
    store = Store.open(store_location(tmp_path / "scan.db"))
    try:
        for record in [*all_records(), *_records()]:
            store.save(record)
        store.delete_article(bishkek_record().article.id)
        queries = Queries(store.engine)
        e, n = entities, entity_names
        texts = ["итал", "ка", "казах", "бишкек", "джунушалиев", " ", "%", 'а"б', "ита\x00л", "kz"]
        for text in texts:
            for kind in (None, "location", "person"):
                names = sa.select(n.c.name_norm).where(
                    n.c.name_norm.like(like(fold(text)), escape="\\")
                )
                conds = [sa.or_(e.c.name_norm.in_(names), e.c.search_norm.in_(names))]
                if kind:
                    conds.append(e.c.type == kind)
                scan = sa.select(e.c.entity_key).where(*conds).distinct()
                per_key = sa.select(e.c.entity_key, sa.func.count(sa.distinct(e.c.article_id)))
                with store._read() as conn:
                    expected = set(conn.execute(scan).scalars())
                    totals = dict(conn.execute(per_key.group_by(e.c.entity_key)).all())
                hits, total = queries.search_entities_page(text, type=kind, limit=1000)
                assert {h["key"] for h in hits} == expected, (text, kind)
                assert total == len(expected)
                assert all(h["article_count"] == totals[h["key"]] for h in hits)
                order = [(-h["article_count"], h["key"]) for h in hits]
                assert order == sorted(order)
                paged = queries.search_entities(text, type=kind, limit=2, offset=1)
                assert paged == hits[1:3]
        assert queries.search_entities("джунушалиев") == []  # its only article is gone
    finally:
        store.close()
