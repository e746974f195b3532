"""`newsfacts serve`'s processes start warm and keep their start-up objects out of the
garbage collector (`server.for_serving`, issue 13)."""

from __future__ import annotations

import gc

from fastapi.testclient import TestClient

from newsfacts.server import GC_YOUNG, create_app, for_serving
from newsfacts.web import morph
from newsfacts.web.templating import TEMPLATES


def test_serving_app_freezes_what_start_up_loaded(web_store) -> None:
    gc.unfreeze()
    morph._vocab.cache_clear()
    app = for_serving(create_app(web_store))
    threshold = gc.get_threshold()
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:  # runs the lifespan
            assert gc.get_freeze_count() > 10_000
            assert gc.get_threshold() == (GC_YOUNG, *threshold[1:])
            assert morph._vocab.cache_info().currsize == 1  # loaded before any page
            cached = {t for t in TEMPLATES.env.cache or {}}
            assert {name for _, name in cached} >= {"dossier.html", "entity.html", "macros.html"}
            assert client.get("/api/articles").status_code == 200
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_an_app_built_for_tests_freezes_nothing(web_store) -> None:
    gc.unfreeze()
    threshold = gc.get_threshold()
    with TestClient(create_app(web_store), base_url="http://127.0.0.1") as client:
        assert client.get("/api/articles").status_code == 200
        assert gc.get_freeze_count() == 0
        assert gc.get_threshold() == threshold
