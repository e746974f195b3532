"""An entity page's card sections show their latest `MAX_CARDS` cards and say how
many there are; the chronology and `/facts` still list every fact (issue 13).

The hand-made store gives Марко Альберти 2 meetings and 2 statements, so the tests
shrink the sections to 1 card."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN

from newsfacts.server import create_app
from newsfacts.store import Store
from newsfacts.web import cardgroups

ENTITY = "/entities/person:марко альберти"


@pytest.fixture()
def client(web_store: Store) -> TestClient:
    # no response cache: a page cached with another section size would answer
    return TestClient(create_app(web_store, token=TOKEN, response_cache=0))


def section(html: str, name: str) -> str:
    return html.split(f'<section id="{name}">')[1].split("</section>")[0]


def cards(html: str, name: str) -> list[str]:
    """The section's cards, less the curation forms' way back (the page's address)."""
    found = re.findall(r'<article class="fact.*?</article>', section(html, name), re.S)
    return [re.sub(r'name="back" value="[^"]*"', "", card) for card in found]


def test_sections_show_their_latest_cards_and_link_to_every_fact(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = client.get(ENTITY).text
    assert len(cards(whole, "meetings")) == 2 and 'class="more"' not in section(whole, "meetings")
    monkeypatch.setattr(cardgroups, "MAX_CARDS", 1)
    cut = client.get(ENTITY).text
    for name in ("meetings", "statements"):
        assert cards(cut, name) == cards(whole, name)[-1:]  # the latest, as the whole page has it
        assert re.search(r'<h2>[^<]*<span class="count">\(2\)</span></h2>', section(cut, name))
        assert "Показаны последние 1 из 2" in section(cut, name)
    link = re.search(r'<a href="(/facts\?[^"]+)">странице фактов</a>', section(cut, "meetings"))
    assert link is not None and "type=meeting" in link.group(1)
    listed = client.get(link.group(1).replace("&amp;", "&")).text
    assert listed.count('action="/curate/fact"') == 2  # both meetings, each can be judged
    # the chronology still holds every fact, the other sections are unchanged
    assert section(cut, "timeline") == section(whole, "timeline")
    assert section(cut, "positions") == section(whole, "positions")


def test_a_section_within_the_bound_is_unchanged(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = client.get(ENTITY).text
    monkeypatch.setattr(cardgroups, "MAX_CARDS", 2)
    assert client.get(ENTITY).text == whole
