"""Issue 12: a store written before long names were shortened is rewritten on open.

Entity names long enough to be text are stored short (`policy.names`); a store whose
rows still hold a long name, in its entities, keys and fact links, with sets of the
older rules, gets them rewritten and its sets re-chosen when opened.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from newsfacts.kb.tables import kb_links
from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.names import name_digest
from newsfacts.policy.quotable import VERSION
from newsfacts.store import Store
from newsfacts.store.schema import entities, fact_entities, fact_index, quotable

NAME = "Южный центр поддержки горнорудных предприятий"
TEXT = f"{NAME} открыл филиал в Жезказгане.\nЦентр примет первых заявителей в мае."


def _record() -> Record:
    art = Article(
        id=article_id(TEXT),
        text=TEXT,
        title=TEXT.split("\n", 1)[0],
        source="mining-news.kz",
        url="https://mining-news.kz/1",
        published="2024-03-01",
        policy=Policy(max_share=0.2, link_required=True, full_text="permission", origin="footer"),
    )
    ent = Entity(id="E1", type="organization", name=NAME, mentions=[(0, len(NAME))])
    fact = Fact(
        type="intent",
        args={"agent": "E1", "what": "принять заявителей"},
        evidence=[(TEXT.index("Центр"), len(TEXT))],
        confidence=0.8,
    )
    return Record(article=art, entities=[ent], facts=[fact], extractor_version="test-1")


def test_an_old_store_gets_its_long_names_shortened_on_open(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    record = _record()
    aid = record.article.id
    old_key = f"organization:{NAME.lower()}"
    with Store.open(path) as store:
        assert store.save(record)
        with store._write() as conn:  # as an older version stored it
            conn.execute(entities.update().values(name=NAME, entity_key=old_key))
            conn.execute(fact_entities.update().values(entity_key=old_key))
            conn.execute(fact_index.update().values(entity_key=old_key))
            conn.execute(quotable.update().values(version=3))
    with Store.open(path) as store:
        back = store.get_record(aid)
        assert back is not None
        assert back.entities[0].name == "ЮЦПГП"
        with store._read() as conn:
            for table in (entities, fact_entities, fact_index):
                keys = {r.entity_key for r in conn.execute(sa.select(table.c.entity_key))}
                # generated initials: the key carries the full name's digest
                assert keys == {f"organization:юцпгп-{name_digest(NAME)}"}, table.name
            versions = {r.version for r in conn.execute(sa.select(quotable.c.version))}
        assert versions == {VERSION}  # rebuilt by the current rules
        assert back.facts[0].args["agent"] == "E1"
        # the full name is still searched, never shown (entities.search_norm)
        hits = store.search("Южный центр поддержки")["entities"]
        assert [h["name"] for h in hits] == ["ЮЦПГП"]


def test_migration_0012_recovers_full_names_from_kb_links(tmp_path: Path) -> None:
    """A store shortened before `search_norm` existed: the KB, not yet re-synced,
    still links the entity under its full name, which the migration copies."""
    path = str(tmp_path / "shortened.db")
    record = _record()
    with Store.open(path) as store:
        assert store.save(record)
        with store._write() as conn:
            conn.execute(entities.update().values(search_norm=None))
            conn.execute(
                kb_links.insert().values(
                    article_id=record.article.id,
                    local_id="E1",
                    kb_id="K1",
                    name=NAME,
                    score=1.0,
                    method="new",
                    status="new",
                    evidence="{}",
                    candidates="[]",
                )
            )
            config = Config()
            config.set_main_option("script_location", "newsfacts.store:migrations")
            config.attributes["connection"] = conn
            command.downgrade(config, "0011")
    with Store.open(path) as store:
        hits = store.search("Южный центр поддержки")["entities"]
        assert [h["name"] for h in hits] == ["ЮЦПГП"]
