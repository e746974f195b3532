"""Chromium drives each analyst feature of issue 11: curation, facets and the export of
the view, sorting, the low-confidence switch and «кто занимал пост».

One server and one browser for the module, over a store of its own (curation writes).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import chromium, needs_chromium, new_page, serve
from webapi_fixtures import TOKEN, all_records, almaty_record

from newsfacts import kb
from newsfacts.server import create_app
from newsfacts.store import Store

pytestmark = needs_chromium
AID = almaty_record().article.id


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    store = Store.open(str(tmp_path_factory.mktemp("features") / "f.db"))
    for record in all_records():
        store.save(record)
    kb.sync(store)
    with serve(create_app(store, token=TOKEN)) as base, chromium() as browser:
        page = new_page(browser, base)
        yield page
        assert not page.errors  # type: ignore[attr-defined]
        page.context.close()
    store.close()


def _rows(page: Any) -> list[str]:
    return page.locator("tr.fact-row").evaluate_all("rows => rows.map(r => r.dataset.ref)")


def test_mark_a_fact_wrong_then_undo(page: Any) -> None:
    page.goto(f"/articles/{AID}")
    card = page.locator("article.fact-occupation")
    card.locator("details.curate summary").click()
    card.locator("input[name=token]").fill(TOKEN)
    card.locator("button[value=wrong]").click()
    page.wait_for_url(f"**/articles/{AID}#facts")
    card = page.locator("article.fact-occupation")
    assert "judged-wrong" in card.get_attribute("class")
    assert "отметил факт как неверный" in card.inner_text()
    page.goto("/facts?type=occupation")
    assert "аким" not in page.locator("table.facts").inner_text().lower()
    page.goto("/review")
    assert page.locator("#decided tr.verdict-row").count() == 1
    assert page.locator("input[name=token]").count() == 0  # the cookie stands in for it
    page.click("#decided button:has-text('отменить')")
    page.wait_for_url("**/review")
    assert "отменено" in page.locator("#decided").inner_text()
    page.goto("/facts?type=occupation")
    assert "аким" in page.locator("table.facts").inner_text().lower()


def test_correct_a_fact_and_an_entity_link(page: Any) -> None:
    page.goto(f"/articles/{AID}")
    card = page.locator("article.fact-occupation")
    card.locator("details.curate summary").click()
    card.locator("select[name=field]").select_option("position")
    card.locator("input[name=value]").fill("аким города")
    card.locator("button[value=fix]").click()
    page.wait_for_url(f"**/articles/{AID}#facts")
    statement = page.locator("article.fact-occupation p.statement").inner_text()
    assert "аким города" in statement
    item = page.locator("#entities li", has_text="Марко Альберти")
    item.locator("details.curate summary").click()
    item.locator("button[value=wrong]").click()
    page.wait_for_url(f"**/articles/{AID}#entities")
    item = page.locator("#entities li", has_text="Марко Альберти")
    item.locator("details.curate summary").click()
    assert "решение аналитика" in item.inner_text()


def test_facets_filter_and_the_export_downloads_the_view(page: Any) -> None:
    page.goto("/facts?min_confidence=0")
    page.click("section.facet-source a:has-text('kapital.kz')")
    page.wait_for_url("**/facts?*source=kapital.kz*")
    shown = _rows(page)
    assert shown and page.locator("section.facet-source li.chosen").count() == 1
    with page.expect_download() as info:
        page.click(".export a:has-text('CSV')")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert [f"{r['article_id']}:{r['seq']}" for r in rows] == shown


def test_sorting_by_a_column_and_back(page: Any) -> None:
    page.goto("/articles")
    page.click("table.articles th a:has-text('Заголовок')")
    page.wait_for_url("**/articles?sort=title")
    titles = page.locator("table.articles tbody tr td:nth-child(2)").all_inner_texts()
    page.click("table.articles th a:has-text('Заголовок')")
    page.wait_for_url("**/articles?sort=-title")
    assert page.locator("table.articles tbody tr td:nth-child(2)").all_inner_texts() == titles[::-1]


def test_who_held_a_post(page: Any) -> None:
    page.goto("/who")
    page.fill("input[name=post]", "аким")
    page.fill("input[name=place]", "Алматы")
    page.fill("input[name=date]", "2022-05-01")
    page.click("form.who button")
    page.wait_for_url("**/who?*")
    assert "Ерболат Досаев" in page.locator("#answer").inner_text()
