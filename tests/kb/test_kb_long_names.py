"""Issue 12: a KB synced from a store that kept long names gets them shortened.

Canonical entities take their name from the first mention linked; a KB built before
names long enough to be text were stored short (`policy.names`) keeps the long one,
in its entities and in its event labels. The next `kb sync` re-links the articles
whose names changed and renames those entities, so pages and exports show no run.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from newsfacts import kb
from newsfacts.kb.tables import kb_entities, kb_events, kb_links
from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.verbatim import is_text
from newsfacts.store import Store
from newsfacts.store.schema import entities

NAME = "Восточный союз производителей сельхозтехники"
TEXT = f"{NAME} подписал соглашение с Астаной.\nПоставки начнутся летом."


def _record() -> Record:
    art = Article(
        id=article_id(TEXT),
        text=TEXT,
        title=TEXT.split("\n", 1)[0],
        source="agro-news.kz",
        url="https://agro-news.kz/1",
        published="2024-05-01",
        policy=Policy(max_share=0.2, link_required=True, full_text="permission", origin="footer"),
    )
    at = TEXT.index("Астаной")
    ents = [
        Entity(id="E1", type="organization", name=NAME, mentions=[(0, len(NAME))]),
        Entity(id="E2", type="location", name="Астана", mentions=[(at, at + 7)]),
    ]
    fact = Fact(
        type="deal",
        args={"parties": ["E1", "E2"]},
        evidence=[(0, TEXT.index("\n"))],
        confidence=0.8,
    )
    return Record(article=art, entities=ents, facts=[fact], extractor_version="test-1")


def test_sync_shortens_names_an_older_kb_kept(tmp_path: Path) -> None:
    with Store.open(str(tmp_path / "kb.db")) as store:
        store.save(_record())
        kb.sync(store)
        with store._write() as conn:  # as a KB synced from an older store holds it
            short = conn.execute(sa.select(kb_links.c.name)).scalars().all()
            assert short and not any(is_text(n) for n in short)
            conn.execute(kb_links.update().where(kb_links.c.local_id == "E1").values(name=NAME))
            conn.execute(
                kb_entities.update().where(kb_entities.c.type == "organization").values(name=NAME)
            )
            conn.execute(kb_events.update().values(label=f"deal: {NAME}, Астана"))
    # the older KB is found by a process's first sync (later ones rely on the store's marks)
    with Store.open(str(tmp_path / "kb.db")) as store:
        kb.sync(store)
        with store._read() as conn:
            names = conn.execute(sa.select(kb_entities.c.name)).scalars().all()
            labels = conn.execute(sa.select(kb_events.c.label)).scalars().all()
            links = conn.execute(sa.select(kb_links.c.name)).scalars().all()
        assert labels and names
        assert not any(NAME in value for value in [*names, *labels, *links])
        assert not any(is_text(n) for n in [*names, *links])


def _named(name: str, rest: str, n: int) -> Record:
    text = f"{name} {rest}"
    art = Article(
        id=article_id(text),
        text=text,
        title=text.split(".", 1)[0],
        source="energy.example",
        url=f"https://energy.example/{n}",
        published=f"2024-06-0{n}",
        policy=Policy(max_share=0.3, link_required=True, full_text="permission", origin="footer"),
    )
    ent = Entity(id="E1", type="organization", name=name, mentions=[(0, len(name))])
    return Record(article=art, entities=[ent], facts=[], extractor_version="test-1")


def test_bodies_sharing_generated_initials_link_apart(tmp_path: Path) -> None:
    """Both bodies are stored «НГ»; the linker keys them by their full names (kept
    for search only), so the KB links each article to its own body (issue 12)."""
    nurek = "Нурекская гидроэлектростанция"
    records = [
        _named(nurek, "начала ремонт второго агрегата.", 1),
        _named(nurek, "закончила ремонт к осени.", 2),
        _named("Нарвская гидроэлектростанция", "остановила турбины на ремонт.", 3),
    ]
    with Store.open(str(tmp_path / "kb.db")) as store:
        for record in records:
            store.save(record)
        kb.sync(store)
        with store._read() as conn:
            rows = conn.execute(sa.select(kb_links.c.article_id, kb_links.c.kb_id)).all()
            names = conn.execute(sa.select(kb_entities.c.name)).scalars().all()
    linked = {r.article_id: r.kb_id for r in rows}
    ids = [linked[r.article.id] for r in records]
    assert ids[0] == ids[1] != ids[2]
    assert sorted(names) == ["НГ", "НГ"]  # shown short


def test_warm_skips_the_renamed_scan_and_sync_still_relinks(tmp_path: Path) -> None:
    """`warm` (the prefetch parallel loaders run before the `kb` lock) leaves out the
    whole-store join that finds articles whose names changed; `sync` still finds and
    relinks them, with or without what `warm` prepared."""
    from newsfacts.kb.pending import pending_articles

    with Store.open(str(tmp_path / "kb.db")) as store:
        store.save(_record())
        kb.sync(store)
        with store._write() as conn:  # as a KB synced from an older store holds it
            conn.execute(kb_links.update().where(kb_links.c.local_id == "E1").values(name=NAME))
    with Store.open(str(tmp_path / "kb.db")) as store:  # a later process
        aid = article_id(TEXT)
        with store._read() as conn:
            assert pending_articles(conn) == [aid]
            assert pending_articles(conn, renamed=False) == []
        prepared = kb.warm(store)
        assert prepared == {}
        assert kb.sync(store, prepared=prepared).linked == 1
        with store._read() as conn:
            links = conn.execute(sa.select(kb_links.c.name)).scalars().all()
            assert pending_articles(conn) == []
        assert links and NAME not in links


def test_names_the_store_shortens_are_relinked_without_the_scan(tmp_path: Path) -> None:
    """An article stored with a long name and linked under it (an older store and KB):
    `rebuild_quotable` shortens its entity rows and marks it for relinking, so a sync
    of the same process, which no longer joins every link to its entity row (a
    whole-store scan after the first sync, issue 13), relinks it under the short name."""
    aid = article_id(TEXT)
    with Store.open(str(tmp_path / "kb.db")) as store:
        store.save(_record())
        kb.sync(store)  # this process has checked the store's names
        with store._write() as conn:  # the store and its KB as older code left them
            conn.execute(
                entities.update()
                .where(entities.c.article_id == aid, entities.c.local_id == "E1")
                .values(name=NAME)
            )
            conn.execute(kb_links.update().where(kb_links.c.local_id == "E1").values(name=NAME))
        assert kb.sync(store).linked == 0  # unmarked: left to a process's first sync
        store.rebuild_quotable([aid])  # shortens the stored names, marks the article
        with store._read() as conn:
            stored = conn.execute(sa.select(entities.c.name)).scalars().all()
        assert NAME not in stored
        assert kb.sync(store).linked == 1
        with store._read() as conn:
            links = conn.execute(sa.select(kb_links.c.name)).scalars().all()
        assert links and NAME not in links
        assert not any(is_text(n) for n in links)
