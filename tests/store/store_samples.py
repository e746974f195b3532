"""Hand-built records of short articles of our own, and the helpers that wipe a test
database, shared by the store tests (a module of its own: test modules never import
from conftest, whose name other test folders share)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from backend_db import empty_pg_tables
from newsfacts.model import Article, Entity, Fact, Policy, Record, Repair, article_id
from newsfacts.store import Store, database_url

PG_URL = os.environ.get("NEWSFACTS_TEST_PG")

_pg_fresh = False


def wipe_pg(url: str) -> None:
    """Give the test a clean PostgreSQL database.

    The first time in a session the schema is dropped and rebuilt by the
    migrations (so a stale test database from an older schema never lingers);
    after that every table is emptied (`backend_db.empty_pg_tables`).
    """
    global _pg_fresh
    engine = sa.create_engine(database_url(url))
    try:
        with engine.begin() as conn:
            if not _pg_fresh:
                conn.execute(sa.text("DROP SCHEMA public CASCADE"))
                conn.execute(sa.text("CREATE SCHEMA public"))
            else:
                empty_pg_tables(conn)
    finally:
        engine.dispose()
    _pg_fresh = True


# ------------------------------------------------------------ record builder


@dataclass
class Ent:
    id: str
    type: str
    name: str
    surfaces: list[str]  # every occurrence of each surface form becomes a mention
    subtype: str | None = None
    code: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)


def spans_of(text: str, surface: str) -> list[tuple[int, int]]:
    out, start = [], text.find(surface)
    while start >= 0:
        out.append((start, start + len(surface)))
        start = text.find(surface, start + 1)
    assert out, f"{surface!r} not in fixture text"
    return out


def sentence_of(text: str, fragment: str) -> tuple[int, int]:
    """The span of the sentence containing `fragment` (our texts end sentences with '.')."""
    at = text.find(fragment)
    assert at >= 0, fragment
    start = text.rfind(". ", 0, at)
    start = 0 if start < 0 else start + 2
    end = text.find(".", at)
    return (start, len(text) if end < 0 else end + 1)


def make_record(
    text: str,
    *,
    title: str,
    source: str,
    published: str | None,
    ents: list[Ent],
    facts: list[tuple[str, dict[str, Any], str]],  # (type, args, evidence fragment)
    version: str = "0.1",
    policy: Policy | None = None,
    url: str | None = None,
) -> Record:
    aid = article_id(text)
    article = Article(
        id=aid,
        text=text,
        title=title,
        source=source,
        url=url or f"https://{source}/news/{aid}",
        published=published,
        policy=policy or Policy(),
        repairs=[Repair(kind="split_glued_sentence", at=text.find(".") + 1)],
    )
    entities = [
        Entity(
            id=e.id,
            type=e.type,
            name=e.name,
            mentions=sorted(s for surface in e.surfaces for s in spans_of(text, surface)),
            subtype=e.subtype,
            code=e.code,
            country=e.country,
            aliases=e.aliases,
        )
        for e in ents
    ]
    fact_objs = [
        Fact(
            type=t,
            args=args,
            evidence=[sentence_of(text, fragment)],
            confidence=0.8,
            modality=args.pop("_modality", None),
            extractor=t,
        )
        for t, args, fragment in facts
    ]
    return Record(article=article, entities=entities, facts=fact_objs, extractor_version=version)


TEXT_A = (
    "Италия готова профинансировать строительство логистического центра в Шымкенте. "
    "Аким Шымкента Мурат Айтенов встретился с послом Италии Марко Альберти. "
    "Стороны обсудили поставки сельскохозяйственной техники. "
    "Товарооборот между Казахстаном и Италией в 2021 году составил 13,5 млн долларов."
)

TEXT_B = (
    "Мурат Айтенов провел встречу с делегацией компании Eni. "
    "Аким Шымкента Мурат Айтенов рассказал о планах открыть индустриальную зону. "
    "По итогам 2022 года товарооборот Казахстана и Италии вырос до 15 млн долларов."
)

TEXT_C = (
    "Посол Италии Марко Альберти встретился с акимом Туркестанской области Даркембаем "
    "Шойбековым. Стороны договорились о запуске прямого рейса Шымкент – Рим с сентября."
)


def record_a(version: str = "0.1") -> Record:
    return make_record(
        TEXT_A,
        title="Италия профинансирует логистический центр в Шымкенте",
        source="kapital.kz",
        published="2022-04-28",
        policy=Policy(max_share=0.3, link_required=True, full_text="permission", origin="footer"),
        ents=[
            Ent("E1", "location", "Италия", ["Италия", "Италии"], subtype="country", code="IT"),
            Ent("E2", "location", "Шымкент", ["Шымкенте", "Шымкента"], "city", country="KZ"),
            Ent("E3", "person", "Мурат Айтенов", ["Мурат Айтенов"]),
            Ent("E4", "person", "Марко Альберти", ["Марко Альберти"]),
            Ent("E5", "location", "Казахстан", ["Казахстаном"], "country", code="KZ"),
        ],
        facts=[
            (
                "intent",
                {
                    "agent": "E1",
                    "action": "профинансировать",
                    "object": "строительство логистического центра",
                    "place": "E2",
                    "_modality": "readiness",
                },
                "готова профинансировать",
            ),
            ("occupation", {"person": "E3", "position": "аким", "where": "E2"}, "Аким Шымкента"),
            ("meeting", {"participants": ["E3", "E4"], "place": "E2"}, "встретился с послом"),
            (
                "quantity",
                {
                    "indicator": "товарооборот",
                    "subjects": ["E5", "E1"],
                    "value": 13500000,
                    "unit": "USD",
                    "qualifier": "eq",
                    "period": "2021",
                },
                "13,5 млн",
            ),
        ],
        version=version,
    )


def record_b(version: str = "0.1") -> Record:
    return make_record(
        TEXT_B,
        title="Аким Шымкента встретился с Eni",
        source="inform.kz",
        published="2023-02-10",
        ents=[
            Ent("E1", "person", "Мурат Айтенов", ["Мурат Айтенов"], aliases=["аким Шымкента"]),
            Ent("E2", "organization", "Eni", ["Eni"]),
            Ent("E3", "location", "Шымкент", ["Шымкента"], "city", country="KZ"),
            Ent("E4", "location", "Казахстан", ["Казахстана"], "country", code="KZ"),
            Ent("E5", "location", "Италия", ["Италии"], "country", code="IT"),
        ],
        facts=[
            ("meeting", {"participants": ["E1", "E2"]}, "провел встречу"),
            ("occupation", {"person": "E1", "position": "аким", "where": "E3"}, "рассказал"),
            (
                "quantity",
                {
                    "indicator": "Товарооборот",
                    "subjects": ["E4", "E5"],
                    "value": 15000000,
                    "unit": "USD",
                    "qualifier": "le",
                    "period": "2022",
                },
                "15 млн",
            ),
        ],
        version=version,
    )


def record_c(version: str = "0.1") -> Record:
    return make_record(
        TEXT_C,
        title="Альберти и Шойбеков обсудили прямой рейс",
        source="zakon.kz",
        published="2021-09-01",
        ents=[
            Ent("E1", "location", "Италия", ["Италии"], "country", code="IT"),
            Ent("E2", "person", "Марко Альберти", ["Марко Альберти"]),
            Ent("E3", "person", "Даркембай Шойбеков", ["Даркембаем"]),
            Ent("E4", "location", "Туркестанская область", ["Туркестанской области"], "region"),
        ],
        facts=[
            ("meeting", {"participants": ["E2", "E3"]}, "встретился"),
            (
                "launch",
                {"object": "прямой рейс", "route": "Шымкент – Рим", "time": "2021-09"},
                "рейса",
            ),
            ("occupation", {"person": "E2", "position": "посол", "where": "E1"}, "Посол Италии"),
        ],
        version=version,
    )


def wipe_articles(store: Store) -> None:
    """Empty the article tables (not the KB), so a test can store the same input again
    another way and compare."""
    with store.engine.begin() as conn:
        for name in ("quotable", "evidence", "fact_entities", "facts", "mentions", "entities"):
            conn.execute(sa.text(f"DELETE FROM {name}"))
        conn.execute(sa.text("DELETE FROM lsh_keys"))
        conn.execute(sa.text("DELETE FROM text_runs"))  # no cascade (migration 0011)
        conn.execute(sa.text("DELETE FROM text_run_sets"))  # nor here (0017)
        for name in ("entity_articles", "entity_keys", "entity_key_names"):  # 0013
            conn.execute(sa.text(f"DELETE FROM {name}"))
        conn.execute(sa.text("DELETE FROM articles"))
        if store.dialect == "sqlite":
            conn.execute(sa.text("DELETE FROM articles_fts"))
