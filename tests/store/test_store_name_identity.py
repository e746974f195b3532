"""Issue 12: bodies whose generated short names coincide keep apart.

«Нурекская гидроэлектростанция» and «Нарвская гидроэлектростанция» are both shown
«НГ» (initials, `policy.names`); their keys carry a digest of the full name, so
the store (and every page, the KB and dossiers keyed by it) never merges them,
while an article naming the same body again shares its key.
"""

from __future__ import annotations

import sqlalchemy as sa

from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.store import Store
from newsfacts.store.keys import entity_key
from newsfacts.store.schema import entities, fact_entities

NUREK = "Нурекская гидроэлектростанция"
NARVA = "Нарвская гидроэлектростанция"


def _record(name: str, rest: str, n: int) -> Record:
    text = f"{name} {rest}"
    art = Article(
        id=article_id(text),
        text=text,
        title=text.split(".", 1)[0],
        source="energy.example",
        url=f"https://energy.example/{n}",
        published="2024-05-0" + str(n),
        policy=Policy(max_share=0.3, link_required=True, full_text="permission", origin="footer"),
    )
    ent = Entity(id="E1", type="organization", name=name, mentions=[(0, len(name))])
    fact = Fact(
        type="intent",
        args={"agent": "E1", "what": "ремонт"},
        evidence=[(0, len(text))],
        confidence=0.8,
    )
    return Record(article=art, entities=[ent], facts=[fact], extractor_version="test-1")


def test_bodies_sharing_generated_initials_keep_their_own_keys(store: Store) -> None:
    nurek1 = _record(NUREK, "начала ремонт второго агрегата.", 1)
    nurek2 = _record(NUREK, "закончила ремонт к осени.", 2)
    narva = _record(NARVA, "остановила турбины на ремонт.", 3)
    for rec in (nurek1, nurek2, narva):
        assert store.save(rec)
    with store._read() as conn:
        rows = conn.execute(
            sa.select(entities.c.article_id, entities.c.entity_key, entities.c.name)
        )
        by_article = {r.article_id: (r.entity_key, r.name) for r in rows}
        links = {r.entity_key for r in conn.execute(sa.select(fact_entities.c.entity_key))}
    assert {name for _, name in by_article.values()} == {"НГ"}  # shown short
    key1 = by_article[nurek1.article.id][0]
    key3 = by_article[narva.article.id][0]
    assert key1 != key3 and key1.startswith("organization:нг-")
    assert by_article[nurek2.article.id][0] == key1  # the same body, the same key
    assert links == {key1, key3}
    assert not any("гидро" in k for k in links)  # the digest reveals no text
    # Records read back derive the key they were stored under (pages key by it).
    for rec in (nurek1, narva):
        back = store.get_record(rec.article.id)
        assert back is not None
        assert entity_key(back.entities[0]) == by_article[rec.article.id][0]
        store.save(back)  # re-saving a read-back record keeps its key
        again = store.get_record(rec.article.id)
        assert again is not None and entity_key(again.entities[0]) == entity_key(back.entities[0])
    listed = store.list_articles(entity_key=key1)
    assert {a["id"] for a in listed} == {nurek1.article.id, nurek2.article.id}
