"""Issue 12: a fact argument its own text does not hold may repeat another stored text.

A hand-built record (or a normalized position) can carry an argument that is no
substring of its article: «председатель правления холдинга» here, where the story
says «возглавил правление». It used to be checked against its own article's set
only, so every page, API answer and export showed it whole, and with it a run of a
short 20% note that says «председатель правления холдинга» word for word. Now such an
argument is checked on the other texts, as composed wording is, and clipped where it
would reveal one beyond its share; an argument that reveals no stored text stays whole.
Runs on PostgreSQL too (NEWSFACTS_API_ON_PG=1).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from api_stores import store_location
from fastapi.testclient import TestClient

from newsfacts.model import Entity, Fact, Record
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quotable import allowance_of
from newsfacts.policy.verbatim import clip
from newsfacts.server import create_app
from newsfacts.store import Store
from policy_articles import footer_article

STORY = (
    "Новое руководство холдинга\n"
    "Марат Сериков возглавил правление холдинга в Астане, сообщили в пресс-службе. "
    "Ранее он руководил региональным банком, а до того работал в министерстве финансов."
)
NOTE = "В Таразе председатель правления холдинга встретился с фермерами области."
COPIED = "председатель правления холдинга"  # in NOTE, not in STORY
ALONE = "глава наблюдательного совета"  # in no stored text


def _records() -> list[Record]:
    person, city = STORY.index("Марат Сериков"), STORY.index("Астане")
    evidence = [(person, STORY.index(", сообщили"))]
    facts = [
        Fact(
            type="occupation",
            args={"person": "E1", "position": COPIED, "where": "E2", "phase": "start"},
            evidence=evidence,
            confidence=0.9,
        ),
        Fact(
            type="occupation",
            args={"person": "E1", "position": ALONE, "where": "E2"},
            evidence=evidence,
            confidence=0.8,
        ),
    ]
    story = Record(
        article=footer_article(STORY, "kursiv.media", 0.2),
        entities=[
            Entity(id="E1", type="person", name="Марат Сериков", mentions=[(person, person + 13)]),
            Entity(id="E2", type="location", name="Астана", mentions=[(city, city + 6)]),
        ],
        facts=facts,
        extractor_version="test-1",
    )
    note = Record(article=footer_article(NOTE, "taraz-news.kz", 0.2), extractor_version="test-1")
    return [story, note]


def _paths(story: str) -> list[str]:
    person, place = quote("person:марат сериков", safe=":"), "location:астана"
    return [
        "/facts",
        "/facts?type=occupation",
        "/?q=" + quote("Сериков"),
        f"/articles/{story}",
        f"/entities/{person}",
        f"/dossiers/{place}",
        f"/api/articles/{story}",
        "/api/facts?limit=500",
        f"/api/entities/{person}",
        f"/api/dossiers/{place}",
        "/api/search?q=" + quote("Сериков"),
        "/facts/export?format=csv",
        "/facts/export?format=jsonl",
        "/api/export?format=csv",
        "/api/export?format=jsonl",
    ]


def test_an_argument_copied_from_another_text_is_clipped_everywhere(tmp_path: Path) -> None:
    records = _records()
    story, note = records[0].article, records[1].article
    allowance = allowance_of(note.policy, len(NOTE))
    assert COPIED not in STORY and COPIED in NOTE  # premise
    assert allowance is not None and allowance < len(COPIED)
    meter = RevealMeter({r.article.id: r.article.text for r in records})
    with Store.open(store_location(tmp_path / "a.db")) as store:
        for r in records:
            store.save(r)
        client = TestClient(create_app(store, token=None), base_url="http://127.0.0.1")
        for path in _paths(story.id):
            r = client.get(path)
            assert r.status_code == 200, path
            body = r.content.decode("utf-8")
            assert COPIED not in body, path
            meter.feed_body(r.headers.get("content-type", ""), r.content)
        api = client.get("/api/facts", params={"type": "occupation"}).json()["items"]
        shown = sorted(f["args"]["position"] for f in api)
        assert shown == sorted([clip(COPIED), ALONE])  # the other one is kept whole
        assert ALONE in client.get(f"/articles/{story.id}").text
        rows = client.get("/api/export", params={"format": "jsonl"}).text.splitlines()
        assert sorted(json.loads(x)["args"]["position"] for x in rows) == shown
    assert meter.revealed(note.id) <= allowance
