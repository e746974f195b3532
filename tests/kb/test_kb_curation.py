"""Curation: merge, split, alias, undo; decisions survive re-extraction."""

from __future__ import annotations

from typing import Any

import pytest
from kb_corpus_helpers import db_url, gold_record

from newsfacts import kb
from newsfacts.cli import main
from newsfacts.model import Article, Entity, Record, article_id
from newsfacts.store import Store


def _bare_dosaev(version: str = "1") -> Record:
    text = "Досаев прокомментировал новость для нашего издания."
    art = Article(id=article_id(text), text=text, source="test.kz", published="2022-12-01")
    ent = Entity(id="E1", type="person", name="Досаев", mentions=[(0, 6)])
    return Record(article=art, entities=[ent], extractor_version=version)


def _kb_id_of(store: Store, aid: str, local: str = "E1") -> str:
    for item in kb.review(store):
        if item["article_id"] == aid and item["local_id"] == local:
            return item["kb_id"]
    for name in ("Ерболат Досаев", "Арман Досаев"):
        ent = kb.canonical_entity(store, name)
        if any(x["article_id"] == aid and x["local_id"] == local for x in ent["links"]):
            return ent["id"]
    raise AssertionError("not linked")


def test_merge_moves_links_and_survives_reextraction(kb_store: Store) -> None:
    rec = _bare_dosaev()
    kb_store.save(rec)
    kb.sync(kb_store)
    provisional = _kb_id_of(kb_store, rec.article.id)
    erbolat = kb.canonical_entity(kb_store, "Ерболат Досаев")["id"]
    assert provisional != erbolat

    result = kb.merge(kb_store, erbolat, provisional)
    assert result["into"] == erbolat
    assert not [i for i in kb.review(kb_store) if i["article_id"] == rec.article.id]
    assert _kb_id_of(kb_store, rec.article.id) == erbolat
    # the merged id still finds the survivor
    assert kb.canonical_entity(kb_store, provisional)["id"] == erbolat

    kb_store.save(_bare_dosaev(version="2"))  # re-extraction replaces the article's entities
    assert kb.sync(kb_store).linked == 1
    assert _kb_id_of(kb_store, rec.article.id) == erbolat


def test_undo_restores_the_state_before_a_merge(kb_store: Store) -> None:
    rec = _bare_dosaev()
    kb_store.save(rec)
    kb.sync(kb_store)
    before = kb.canonical_entity(kb_store, "Ерболат Досаев")
    provisional = _kb_id_of(kb_store, rec.article.id)
    kb.merge(kb_store, before["id"], provisional)
    undone = kb.undo(kb_store)
    assert undone["action"] == "merge"
    after = kb.canonical_entity(kb_store, "Ерболат Досаев")
    assert after["links"] == before["links"]
    assert after["aliases"] == before["aliases"]
    assert _kb_id_of(kb_store, rec.article.id) == provisional
    with pytest.raises(kb.CurationError):
        kb.undo(kb_store)


def test_split_moves_one_name_off_and_keeps_it_off(
    kb_store: Store, corpus: list[dict[str, Any]]
) -> None:
    # pretend the curator decides "Е. Досаев" is somebody else
    erbolat = kb.canonical_entity(kb_store, "Ерболат Досаев")
    result = kb.split(kb_store, erbolat["id"], "Е. Досаев")
    assert result["moved"] == 1
    new = kb.canonical_entity(kb_store, result["new"])
    assert [x["name"] for x in new["links"]] == ["Е. Досаев"]
    assert "Е. Досаев" not in {
        x["name"] for x in kb.canonical_entity(kb_store, erbolat["id"])["links"]
    }
    # re-extracting that article links the name to the split-off entity again
    item = next(i for i in corpus if "Е. Досаев" in i["text"])
    kb_store.save(gold_record(item, version="2"))
    kb.sync(kb_store)
    again = kb.canonical_entity(kb_store, result["new"])
    assert [x["name"] for x in again["links"]] == ["Е. Досаев"]
    assert again["links"][0]["method"] == "curated-alias"
    kb.undo(kb_store)
    assert kb.canonical_entity(kb_store, result["new"]) is None


def test_alias_add_teaches_the_linker(kb_store: Store) -> None:
    kb.alias_add(kb_store, "Ерболат Досаев", "Досаев")
    rec = _bare_dosaev()
    kb_store.save(rec)
    kb.sync(kb_store)
    erbolat = kb.canonical_entity(kb_store, "Ерболат Досаев")
    link = next(x for x in erbolat["links"] if x["article_id"] == rec.article.id)
    assert link["method"] == "curated-alias" and link["score"] == 1.0


def test_bad_curation_requests_are_one_line_errors(kb_store: Store) -> None:
    with pytest.raises(kb.CurationError, match="no canonical entity"):
        kb.merge(kb_store, "Ерболат Досаев", "Нет Такого")
    with pytest.raises(kb.CurationError, match="already one entity"):
        kb.merge(kb_store, "Ерболат Досаев", "Е. Досаев")
    with pytest.raises(kb.CurationError, match="cannot merge"):
        kb.merge(kb_store, "Ерболат Досаев", "Алматы")


def test_cli_entity_commands(kb_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    kb_store.save(_bare_dosaev())
    db = db_url(kb_store)
    kb_store.close()
    assert main(["entity", "review", "--db", db]) == 0
    out = capsys.readouterr().out
    provisional = out.split()[0]
    assert "Ерболат Досаев" in out and "Арман Досаев" in out
    assert main(["entity", "merge", "Арман Досаев", provisional, "--db", db]) == 0
    capsys.readouterr()
    assert main(["entity", "review", "--db", db]) == 0
    assert "nothing to review" in capsys.readouterr().out
    assert main(["entity", "undo", "--db", db]) == 0
    assert main(["entity", "history", "--db", db]) == 0
    assert '"undone": true' in capsys.readouterr().out
    assert main(["entity", "merge", "Нет Такого", provisional, "--db", db]) == 1
    assert "no canonical entity" in capsys.readouterr().err
