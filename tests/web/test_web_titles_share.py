"""Issue 12: list pages show an article's title only as far as its quotable set holds it."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from newsfacts.model import Article, Policy, Record, article_id
from newsfacts.server import create_app
from newsfacts.store import Store

TITLE = "Новым акимом Алматы назначен Ерболат Досаев, ранее работавший в администрации"
TEXT = TITLE + "\nУказ подписан сегодня. Досаев сменил на посту Бакытжана Сагинтаева."


def test_list_pages_cut_a_title_the_share_cannot_hold(tmp_path: Path) -> None:
    tiny = Policy(max_share=0.2, link_required=True, full_text="forbidden", origin="footer")
    art = Article(article_id(TEXT), TEXT, title=TITLE, source="inform.kz", policy=tiny)
    with Store.open(str(tmp_path / "t.db")) as store:
        store.save(Record(art, extractor_version="t-1"))
        client = TestClient(create_app(store))
        for path in ("/articles", "/", "/api/articles", f"/articles/{art.id}"):
            body = client.get(path).text
            assert TITLE not in body and TITLE[:40] not in body, path
