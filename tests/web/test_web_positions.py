"""An entity page's «Должности» lists each post once, with its reports counted.

At 200,000 articles «Путин»'s page had 188 rows, 130 of them «президент · Россия»
(issue 13, seventh session); the table now groups reports by holder, post and place.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsfacts.web import positions
from newsfacts.web.curation import curated

KEY = "person:владимир путин"
RU = {"id": "E2", "key": "location:RU", "type": "location", "name": "Россия"}
ME = {"id": "E1", "key": KEY, "type": "person", "name": "Владимир Путин"}


def _fact(article: str, seq: int, position: str, time: str | None, conf: float = 0.5) -> dict:
    args: dict[str, Any] = {"person": ME, "position": position, "where": RU}
    return {"article_id": article, "seq": seq, "args": args, "confidence": conf, "time": time}


def test_reports_of_one_post_form_one_row_in_the_order_of_their_first_report() -> None:
    facts = [
        _fact("a1", 0, "премьер-министр", "1999", 0.4),
        _fact("a2", 0, "президент", "2000-05-07", 0.6),
        _fact("a3", 1, "президент", "2012", 0.9),
        _fact("a4", 0, "премьер-министр", "2008", 0.3),
        _fact("a5", 2, "президент", "2024-03-17", 0.5),
    ]
    shown, total = positions.posts(facts, KEY, lambda f: None, curated)
    assert total == 2
    assert [(p.position, p.reports) for p in shown] == [("премьер-министр", 2), ("президент", 3)]
    president = shown[1]
    assert (president.first, president.last) == ("2000-05-07", "2024-03-17")
    assert president.confidence == 0.9 and president.article_id == "a5"
    assert president.holder is None  # the page's own entity is not repeated in a column
    assert president.where == RU


def test_wrong_reports_stand_apart_and_corrections_count_as_the_corrected_post() -> None:
    facts = [_fact("a1", 0, "президент", "2000"), _fact("a2", 0, "президент", "2001")]
    facts.append(_fact("a3", 0, "премьер", "2002"))
    verdicts = {
        ("a2", 0): {"verdict": "wrong"},
        ("a3", 0): {"verdict": "fix", "fixes": {"position": "президент"}},
    }
    shown, total = positions.posts(
        facts, KEY, lambda f: verdicts.get((f["article_id"], f["seq"])), curated
    )
    assert total == 2
    assert [(p.position, p.wrong, p.reports) for p in shown] == [
        ("президент", False, 2),
        ("президент", True, 1),
    ]


def test_other_holders_have_their_own_rows_and_the_table_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    duma = {"id": "E3", "key": "organization:госдума", "type": "organization", "name": "Госдума"}
    people = [
        {"id": f"E{i}", "key": f"person:p{i}", "type": "person", "name": f"P{i}"} for i in range(3)
    ]
    facts = [
        {
            "article_id": f"a{i}",
            "seq": 0,
            "confidence": 0.5,
            "time": f"200{i}",
            "args": {"person": people[i % 3], "position": "депутат", "where": duma},
        }
        for i in range(6)
    ]
    shown, total = positions.posts(facts, duma["key"], lambda f: None, curated)
    assert total == 3 and [p.holder["key"] for p in shown] == [
        "person:p0",
        "person:p1",
        "person:p2",
    ]
    assert [p.reports for p in shown] == [2, 2, 2]
    monkeypatch.setattr(positions, "MAX_POSTS", 2)
    shown, total = positions.posts(facts, duma["key"], lambda f: None, curated)
    assert len(shown) == 2 and total == 3


def test_the_page_shows_posts_and_links_to_every_report(web_client: TestClient) -> None:
    html = web_client.get("/entities/person:ерболат досаев").text
    table = html.split('<section id="positions">')[1].split("</section>")[0]
    assert re.search(r'<h2>Должности <span class="count">\(1\)</span></h2>', table)
    rows = re.findall(r"<tr class.*?</tr>", table, re.S)
    assert len(rows) == 1 and "<td>аким</td>" in rows[0] and '<td class="num">1</td>' in rows[0]
    assert "<th>Кто</th>" not in table  # every post is his own
    link = re.search(r'<a href="(/facts\?[^"]+)">Все сообщения о должностях</a>', table)
    assert link is not None
    facts = web_client.get(link.group(1).replace("&amp;", "&")).text
    assert "аким" in facts and 'action="/curate/fact"' in facts  # each report, judged there
