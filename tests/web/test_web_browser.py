"""Chromium drives the pages like an analyst: search → article → entity → dossier → export.

Runs Debian's /usr/bin/chromium through Playwright (no browser download), against
uvicorn serving the app in a thread on a free loopback port. Screenshots of every
step land in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import csv
import io
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def base_url(web_store) -> Iterator[str]:
    import uvicorn

    from newsfacts.api.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(web_store, token="t"), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(base_url: str):
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(accept_downloads=True, base_url=base_url)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.errors = errors  # type: ignore[attr-defined]
        yield page
        context.close()
        browser.close()


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
