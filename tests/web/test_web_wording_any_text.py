"""Issue 12: a page's composed wording may not repeat any stored text, related or not.

A statement joins a template word and a fact's arguments («Планируется» + «проведение»).
Together they can repeat a run of an article that shares no sentence with the fact's
own (so is not among its retellings, `QuotableSet.near`): here a short 20% note
holds «планируется проведение» (22 characters, more than its allowance leaves). The
pages, fed to one strict meter, must keep that note within its share.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from newsfacts.model import Entity, Fact, Record
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quotable import allowance_of
from newsfacts.server import create_app
from newsfacts.store import Store
from policy_articles import footer_article

STORY = (
    "Шымкент готовит городской праздник\n"
    "В Шымкенте к осени планируется открытие нового рынка и проведение ярмарки "
    "ремёсел, сообщили в акимате города. На ярмарку пригласят мастеров из соседних "
    "областей, а вход для посетителей будет свободным."
)
NOTE = "В Таразе планируется проведение турнира по шахматам среди школьников."


def _records() -> list[Record]:
    city = STORY.index("Шымкенте")
    plan = Fact(
        type="plan",
        args={"agent": None, "action": "проведение", "object": "ярмарка ремёсел", "place": "E1"},
        evidence=[(STORY.index("В Шымкенте"), STORY.index(" На ярмарку"))],
        confidence=0.8,
    )
    story = Record(
        article=footer_article(STORY, "kapital.kz", 0.3),
        entities=[Entity(id="E1", type="location", name="Шымкент", mentions=[(city, city + 8)])],
        facts=[plan],
        extractor_version="test-1",
    )
    note = Record(article=footer_article(NOTE, "taraz-news.kz", 0.2), extractor_version="test-1")
    return [story, note]


def test_composed_wording_keeps_an_unrelated_note_within_its_share(tmp_path: Path) -> None:
    records = _records()
    note = records[1].article
    allowance = allowance_of(note.policy, len(NOTE))
    assert allowance is not None and allowance < len("планируется проведение")  # premise
    meter = RevealMeter({r.article.id: r.article.text for r in records})
    with Store.open(str(tmp_path / "w.db")) as store:
        for r in records:
            store.save(r)
        assert not store.get_records([note.id])[note.id].article.quotable.near()  # unrelated
        client = TestClient(create_app(store, token=None), base_url="http://127.0.0.1")
        story = records[0].article.id
        pages = ["/", "/facts", "/facts?type=plan", f"/articles/{story}", "/articles"]
        pages += [f"/articles/{note.id}", "/entities/location:шымкент"]
        for page in pages:
            r = client.get(page)
            assert r.status_code == 200, page
            meter.feed_body(r.headers.get("content-type", ""), r.content)
        assert "ярмарка ремёсел" in client.get("/facts?type=plan").text  # the fact is shown
    assert meter.revealed(note.id) <= allowance
