"""Entity and dossier chronologies come in slices of `CARDS_PER_PAGE` cards.

The hand-made store holds 7 timeline cards for Italy's dossier and 2 chronology
entries for Досаев, so the tests shrink the slice to 3 (and 1) cards.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN

from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.web import timeline

DOSSIER = "/dossiers/location:IT"
ENTITY = "/entities/person:ерболат досаев"


@pytest.fixture()
def client(web_store: Store) -> TestClient:
    # no response cache: a page cached with another slice size would answer
    return TestClient(create_app(web_store, token=TOKEN, response_cache=0))


def chronology(html: str) -> str:
    return html.split('<section id="timeline">')[1].split("</section>")[0]


def cards(html: str) -> list[str]:
    """The cards, less the curation forms' way back (the page's own address)."""
    found = re.findall(r'<article class="fact.*?</article>', chronology(html), re.S)
    return [re.sub(r'name="back" value="[^"]*"', "", card) for card in found]


def nav(html: str) -> str:
    found = re.search(r'<nav class="pager slices">.*?</nav>', chronology(html), re.S)
    return found.group(0) if found else ""


def test_dossier_slices_cover_the_whole_chronology_once(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = cards(client.get(DOSSIER).text)
    assert len(whole) == 7 and not nav(client.get(DOSSIER).text)  # one slice, no links
    monkeypatch.setattr(timeline, "CARDS_PER_PAGE", 3)
    first = client.get(DOSSIER).text
    assert len(cards(first)) == 3
    assert "1–3 из 7" in nav(first) and 'Хронология <span class="count">(7)</span>' in first
    assert 'href="?cards=3#timeline" rel="next">Позже' in nav(first)
    assert "Ранее" not in nav(first) and 'href="?cards=6#timeline">последние' in nav(first)
    middle = client.get(DOSSIER, params={"cards": 3}).text
    assert "4–6 из 7" in nav(middle) and 'href="?cards=0#timeline" rel="prev"' in middle
    last = client.get(DOSSIER, params={"cards": 6}).text
    assert len(cards(last)) == 1 and "7–7 из 7" in nav(last) and "Позже" not in nav(last)
    # the slices, in order, are the whole chronology: nothing lost, nothing twice
    assert cards(first) + cards(middle) + cards(last) == whole
    # the summary blocks do not depend on the slice
    assert first.split('<section id="timeline">')[0] == last.split('<section id="timeline">')[0]


def test_slice_links_keep_the_other_parameters(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "CARDS_PER_PAGE", 3)
    html = client.get(DOSSIER, params={"cards": 3, "lang": "ru"}).text
    assert 'href="?lang=ru&amp;cards=6#timeline" rel="next"' in nav(html)
    assert 'href="?lang=ru&amp;cards=0#timeline" rel="prev"' in nav(html)


def test_offsets_past_the_end_show_the_last_slice_and_bad_ones_a_422_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline, "CARDS_PER_PAGE", 3)
    far = client.get(DOSSIER, params={"cards": 1000})
    assert far.status_code == 200 and "7–7 из 7" in nav(far.text)
    for bad in ("-1", "abc", "99999999999"):
        page = client.get(DOSSIER, params={"cards": bad})
        assert page.status_code == 422, bad
        assert page.headers["content-type"].startswith("text/html") and "cards" in page.text


def test_a_slice_shows_only_quotes_the_whole_page_shows(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slicing only leaves cards out: every quote a slice shows, with its source link,
    is one the unsliced page (checked by the same QuoteBudget) shows too."""
    quote = re.compile(r'<blockquote class="quote".*?</blockquote>', re.S)
    whole = set(quote.findall(chronology(client.get(DOSSIER).text)))
    monkeypatch.setattr(timeline, "CARDS_PER_PAGE", 3)
    for offset in (0, 3, 6):
        shown = quote.findall(chronology(client.get(DOSSIER, params={"cards": offset}).text))
        assert set(shown) <= whole
        assert all('class="src" href="http' in q for q in shown if "<mark>" in q)


def test_entity_chronology_slices(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    events = re.compile(r'<li class="event.*?</li>', re.S)
    whole = events.findall(chronology(client.get(ENTITY).text))
    assert len(whole) == 2
    monkeypatch.setattr(timeline, "CARDS_PER_PAGE", 1)
    first = client.get(ENTITY).text
    second = client.get(ENTITY, params={"cards": 1}).text
    assert "1–1 из 2" in nav(first) and 'href="?cards=1#timeline" rel="next"' in nav(first)
    assert "2–2 из 2" in nav(second) and "Позже" not in nav(second)
    assert events.findall(chronology(first)) + events.findall(chronology(second)) == whole
    # the positions table and the other sections are not sliced
    assert "<td>аким</td>" in second
