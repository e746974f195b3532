"""Curation from the pages: «неверно» / «исправить» on facts and entity links.

Each test builds its own small store, because verdicts change what every page shows.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from webapi_fixtures import TOKEN, all_records, almaty_record

from newsfacts import kb
from newsfacts.server import create_app
from newsfacts.store import Store


@pytest.fixture()
def store(tmp_path) -> Iterator[Store]:
    s = Store.open(str(tmp_path / "curate.db"))
    for record in all_records():
        s.save(record)
    kb.sync(s)
    yield s
    s.close()


@pytest.fixture()
def client(store: Store) -> TestClient:
    return TestClient(create_app(store, token=TOKEN))


AID = almaty_record().article.id
OCCUPATION = 1  # «Ерболат Досаев — аким Алматы» in almaty_record


def _post(client: TestClient, path: str, **form: object) -> object:
    return client.post(path, data={"token": TOKEN, **form}, follow_redirects=False)


def _fact_rows(client: TestClient, **params: str) -> list[dict[str, str]]:
    body = client.get("/facts/export", params={"format": "csv", "min_confidence": "0", **params})
    assert body.status_code == 200
    return list(csv.DictReader(io.StringIO(body.text)))


def test_a_verdict_needs_the_token(client: TestClient) -> None:
    form = {"article_id": AID, "seq": OCCUPATION, "verdict": "wrong"}
    assert client.post("/curate/fact", data=form, follow_redirects=False).status_code == 401
    bad = client.post("/curate/fact", data={**form, "token": "nope"}, follow_redirects=False)
    assert bad.status_code == 401
    assert "Аналитик отметил" not in client.get(f"/articles/{AID}").text


def test_writes_are_off_without_a_configured_token(store: Store) -> None:
    closed = TestClient(create_app(store, token=""))
    form = {"article_id": AID, "seq": OCCUPATION, "verdict": "wrong", "token": "x"}
    assert closed.post("/curate/fact", data=form, follow_redirects=False).status_code == 403


def test_wrong_fact_leaves_lists_exports_and_the_kb_and_is_marked_on_its_article(
    client: TestClient, store: Store
) -> None:
    before = _fact_rows(client, type="occupation")
    assert any(r["arg_position"] == "аким" for r in before)
    assert kb.who_held(store, "аким", "Алматы", "2022-05-01").holder_name == "Ерболат Досаев"
    answer = _post(
        client,
        "/curate/fact",
        article_id=AID,
        seq=OCCUPATION,
        verdict="wrong",
        back="//evil.example/x",
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/articles/{AID}#facts"  # no open redirect
    assert (
        "nf_token" in answer.headers["set-cookie"]
        and "samesite=strict" in answer.headers["set-cookie"].lower()
    )
    after = _fact_rows(client, type="occupation")
    assert len(after) == len(before) - 1 and all(r["arg_position"] != "аким" for r in after)
    api = client.get("/api/facts", params={"type": "occupation"}).json()
    assert all(f["args"].get("position") != "аким" for f in api["items"])
    assert kb.who_held(store, "аким", "Алматы", "2022-05-01").holder_name is None
    article = client.get(f"/articles/{AID}").text
    assert "Аналитик отметил факт как неверный" in article and "<s>" in article
    review = client.get("/review").text
    assert "неверный" in review and f"/articles/{AID}" in review
    entity = client.get("/entities/person:ерболат досаев").text  # his page marks the post
    assert 'class=" judged-wrong"' in entity and "<s>аким</s>" in entity


def test_verdicts_survive_re_extraction_with_renumbered_facts(
    client: TestClient, store: Store
) -> None:
    _post(client, "/curate/fact", article_id=AID, seq=OCCUPATION, verdict="wrong")
    _post(
        client, "/curate/fact", article_id=AID, seq=2, verdict="fix", field="place", value="Милан"
    )
    record = almaty_record()
    facts = list(reversed(record.facts))  # a new extractor numbers the facts differently
    redone = dataclasses.replace(record, facts=facts, extractor_version="9999.0")
    assert store.save(redone)
    kb.sync(store)
    assert all(r["arg_position"] != "аким" for r in _fact_rows(client, type="occupation"))
    meetings = _fact_rows(client, type="meeting", source="kapital.kz")
    assert [r["arg_place"] for r in meetings] == ["Милан"]
    assert "Исправлено аналитиком: место — «Милан»" in client.get(f"/articles/{AID}").text


def test_a_correction_shows_on_pages_and_in_the_export(client: TestClient) -> None:
    answer = _post(
        client,
        "/curate/fact",
        article_id=AID,
        seq=OCCUPATION,
        verdict="fix",
        field="position",
        value="бывший аким",
    )
    assert answer.status_code == 303
    html = client.get("/facts", params={"type": "occupation"}).text
    assert "бывший аким" in html and "Исправлено аналитиком" in html
    rows = _fact_rows(client, type="occupation")
    assert "бывший аким" in {r["arg_position"] for r in rows}
    refused = _post(
        client, "/curate/fact", article_id=AID, seq=OCCUPATION, verdict="fix", field="position"
    )
    assert refused.status_code == 422


def test_undo_brings_the_fact_back(client: TestClient, store: Store) -> None:
    _post(client, "/curate/fact", article_id=AID, seq=OCCUPATION, verdict="wrong")
    review = client.get("/review").text
    verdict_id = re.search(r'name="verdict_id" value="(\d+)"', review).group(1)  # type: ignore[union-attr]
    assert _post(client, "/curate/undo", verdict_id=verdict_id).status_code == 303
    assert any(r["arg_position"] == "аким" for r in _fact_rows(client, type="occupation"))
    assert kb.who_held(store, "аким", "Алматы", "2022-05-01").holder_name == "Ерболат Досаев"
    assert _post(client, "/curate/undo", verdict_id=verdict_id).status_code == 422


def test_link_verdicts_move_one_mention_and_hold_after_relinking(
    client: TestClient, store: Store
) -> None:
    from newsfacts.kb.verdicts import links_of

    with store._read() as conn:
        linked = links_of(conn, AID)["E4"]["kb_id"]
    page = client.get(f"/articles/{AID}").text
    assert 'action="/curate/link"' in page and "связь верна?" in page
    assert (
        _post(client, "/curate/link", article_id=AID, local_id="E4", verdict="wrong").status_code
        == 303
    )
    with store._read() as conn:
        moved = links_of(conn, AID)["E4"]
    assert moved["kb_id"] != linked and moved["method"] == "curated-verdict" and moved["own"]
    assert "отдельная сущность" in client.get(f"/articles/{AID}").text
    kb.link_article(store, AID)  # what re-extraction does
    with store._read() as conn:
        assert links_of(conn, AID)["E4"]["kb_id"] == moved["kb_id"]
    # «исправить»: the mention is someone the KB knows
    fixed = _post(
        client,
        "/curate/link",
        article_id=AID,
        local_id="E4",
        verdict="fix",
        target="Ерболат Досаев",
    )
    assert fixed.status_code == 303
    with store._read() as conn:
        assert links_of(conn, AID)["E4"]["kb_name"] == "Ерболат Досаев"
    unknown = _post(
        client, "/curate/link", article_id=AID, local_id="E4", verdict="fix", target="Никто"
    )
    assert unknown.status_code == 422
    assert "Марко Альберти" in client.get("/review").text


def test_the_cookie_replaces_the_token_field(client: TestClient) -> None:
    _post(
        client, "/curate/fact", article_id=AID, seq=0, verdict="fix", field="object", value="центр"
    )
    assert 'name="token"' not in client.get(f"/articles/{AID}").text  # the client keeps the cookie
    again = client.post(
        "/curate/fact",
        data={"article_id": AID, "seq": 3, "verdict": "wrong"},
        follow_redirects=False,
    )
    assert again.status_code == 303


def test_confirming_the_linked_entity_settles_an_ambiguous_link(
    client: TestClient, store: Store
) -> None:
    import sqlalchemy as sa

    from newsfacts.kb.tables import kb_links
    from newsfacts.kb.verdicts import links_of

    with store._write() as conn:  # as the linker leaves a mention it cannot decide
        conn.execute(
            kb_links.update()
            .where(kb_links.c.article_id == AID, kb_links.c.local_id == "E4")
            .values(status="ambiguous", score=0.5)
        )
        same = links_of(conn, AID)["E4"]["kb_id"]
    assert "Марко Альберти" in client.get("/review").text.split('id="ambiguous"')[1]
    answer = _post(
        client, "/curate/link", article_id=AID, local_id="E4", verdict="fix", target=same
    )
    assert answer.status_code == 303
    with store._read() as conn:
        row = conn.execute(
            sa.select(kb_links).where(kb_links.c.article_id == AID, kb_links.c.local_id == "E4")
        ).one()
    assert (row.kb_id, row.status, row.method) == (same, "linked", "curated-verdict")
    assert "Марко Альберти" not in client.get("/review").text.split('id="ambiguous"')[1]


def test_a_meeting_marked_wrong_leaves_the_graph(client: TestClient) -> None:
    def pairs() -> set[tuple[str, str]]:
        return {(e["source"], e["target"]) for e in client.get("/api/meetings").json()["edges"]}

    pair = ("person:ерболат досаев", "person:марко альберти")
    assert pair in pairs()
    _post(client, "/curate/fact", article_id=AID, seq=2, verdict="wrong")
    assert pair not in pairs()


def test_review_words_each_verdict_with_its_own_fact(client: TestClient) -> None:
    _post(client, "/curate/fact", article_id=AID, seq=OCCUPATION, verdict="wrong")
    _post(
        client, "/curate/fact", article_id=AID, seq=2, verdict="fix", field="place", value="Милан"
    )
    rows = re.findall(r'<tr class="verdict-row.*?</tr>', client.get("/review").text, re.S)
    fixed = next(r for r in rows if "исправлено" in r)
    wrong = next(r for r in rows if "неверный" in r)
    assert "Встреча" in fixed and "аким" not in fixed
    assert "аким" in wrong and "Встреча" not in wrong
