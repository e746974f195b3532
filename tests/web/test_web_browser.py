"""Chromium drives the pages like an analyst: search → article → entity → dossier → export.

Runs Debian's /usr/bin/chromium through Playwright (no browser download), against
uvicorn serving the app in a thread on a free loopback port. Screenshots of every
step land in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import chromium, needs_chromium, new_page, serve

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def base_url(web_store) -> Iterator[str]:
    from newsfacts.server import create_app

    with serve(create_app(web_store, token="t")) as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str):
    with chromium() as browser:
        page = new_page(browser, base_url)
        yield page
        page.context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_search_article_entity_dossier_export(page) -> None:
    page.goto("/")
    page.fill("input[name=q]", "Италия")
    page.click("form.search button")
    page.wait_for_url("**/?q=*")
    shot(page, "1-search")
    page.click("#articles a:has-text('центр дизайна')")
    page.wait_for_url("**/articles/*")
    assert "центр дизайна" in page.title()
    assert page.locator("blockquote.quote mark").count() > 0
    assert page.locator("a.src").first.get_attribute("href").startswith("https://kapital.kz/")
    shot(page, "2-article")
    page.click("#entities a:has-text('Ерболат Досаев')")
    page.wait_for_url("**/entities/*")
    assert page.locator("h1").inner_text() == "Ерболат Досаев"
    assert "аким" in page.locator("table.positions").inner_text()
    shot(page, "3-entity")
    page.click("table.positions a:has-text('Алматы')")
    page.wait_for_url("**/dossiers/*")
    assert page.locator("h1").inner_text() == "Досье: Алматы"
    assert "Италия" in page.locator("#relations").inner_text()
    shot(page, "4-dossier")
    with page.expect_download() as info:
        page.click(".export a:has-text('CSV')")
    path = info.value.path()
    rows = list(csv.DictReader(io.StringIO(Path(path).read_text(encoding="utf-8"))))
    assert rows and all("алматы" in r["entities"] for r in rows)
    assert not page.errors  # type: ignore[attr-defined]


def test_graph_tap_highlights_a_participants_meetings(page) -> None:
    page.goto("/graph")
    page.wait_for_function("window.meetingGraph && window.meetingGraph.nodes().length > 0")
    page.evaluate("window.meetingGraph.$id('person:марко альберти').emit('tap')")
    lit = page.evaluate("window.meetingGraph.edges('.on').length")
    faded = page.evaluate("window.meetingGraph.nodes('.faded').length")
    assert lit == 2 and faded == 2  # Кудратов and Булуту did not meet him
    assert "Марко Альберти" in page.locator("#graph-info").inner_text()
    shot(page, "5-graph")
    # every label lies inside the drawing once fitted: nothing is clipped
    inside = page.evaluate(
        """() => { const cy = window.meetingGraph; const w = cy.width(), h = cy.height();
        return cy.nodes().every(n => { const b = n.renderedBoundingBox({includeLabels: true});
        return b.x1 >= -1 && b.y1 >= -1 && b.x2 <= w + 1 && b.y2 <= h + 1; }); }"""
    )
    assert inside
    page.uncheck("input[name=show][value=person]")
    hidden = page.evaluate("window.meetingGraph.nodes(':hidden').length")
    assert hidden == page.evaluate("window.meetingGraph.nodes('[type = \"person\"]').length")
    page.fill("input[name=date_from]", "2023-05")
    page.click("form.filters button")
    page.wait_for_url("**/graph?*")
    page.wait_for_function("window.meetingGraph !== undefined")
    assert page.evaluate("window.meetingGraph.edges().length") == 1
    assert not page.errors  # type: ignore[attr-defined]
