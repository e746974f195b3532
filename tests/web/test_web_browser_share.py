"""Issue 12 in a browser: crawling every page reads at most each source's share, and no
link on any page is a `javascript:` or `data:` URL, even from a store written before
URLs were checked.

Chromium (Debian's /usr/bin/chromium through Playwright) follows every internal link
from the start page, breadth first; the text each page shows (`innerText`) and its
links' titles go to `policy.measure.RevealMeter`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from webapi_fixtures import all_records, almaty_record

from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quota import QuoteBudget
from newsfacts.store import Store

CHROMIUM = Path("/usr/bin/chromium")
MAX_PAGES = 120

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def share_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(str(tmp_path_factory.mktemp("share") / "share.db"))
    for record in all_records():
        store.save(record)
    hostile = almaty_record()  # as a store from before the URL check could hold it
    hostile.article.text += " Позже аким посетил выставку."
    hostile.article.id = "0badc0de0badc0de"
    hostile.article.url = "javascript:alert(document.domain)"
    store.save(hostile)
    yield store
    store.close()


@pytest.fixture(scope="module")
def base_url(share_store: Store) -> Iterator[str]:
    import uvicorn

    from newsfacts.server import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(share_store, token="t"), host="127.0.0.1", port=port, log_level="warning"
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


def test_crawling_every_page_stays_within_each_share(share_store: Store, base_url: str) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    budget = QuoteBudget(permitted=share_store.has_permission)
    ids = [a["id"] for a in share_store.list_articles(limit=1000, include_duplicates=True)]
    records = share_store.get_records(ids)
    meter = RevealMeter(
        {i: r.article.text for i, r in records.items()},
        quotable={i: budget.shown_offsets(r.article) for i, r in records.items()},
        public={i for i, r in records.items() if budget.allowance(r.article) is None},
    )
    dialogs: list[str] = []
    bad_links: list[tuple[str, str]] = []
    seen: set[str] = set()
    queue = ["/", "/articles", "/facts", "/graph", "/?q=Алматы", "/?q=Италия"]
    queue += [f"/articles/{i}" for i in ids]
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(base_url=base_url)
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        while queue and len(seen) < MAX_PAGES:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            if urlsplit(path).path.endswith("/export"):  # a list's download, not a page
                if "format=csv" in path:  # the same text as its JSONL and Parquet
                    meter.feed(page.request.get(base_url + path).text())
                continue
            page.goto(path)
            meter.feed(page.inner_text("body"))
            for title in page.eval_on_selector_all("[title]", "els => els.map(e => e.title)"):
                meter.feed(title)
            hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
            for href in hrefs:
                scheme = urlsplit(href).scheme.lower()
                if scheme not in ("http", "https"):
                    bad_links.append((path, href))
                elif href.startswith(base_url) and not any(
                    p in href for p in ("/api/", "/static/", "/export")
                ):  # exports are downloads, measured by the API crawl
                    queue.append(href[len(base_url) :] or "/")
        browser.close()
    assert len(seen) >= 20
    assert not bad_links and not dialogs
    for aid, record in records.items():
        allowance = budget.allowance(record.article)
        if allowance is not None:
            assert meter.revealed(aid) <= allowance, (aid, record.article.source)
