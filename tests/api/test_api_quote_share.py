"""Property: no API response quotes more of any article than its policy allows.

Quotes are counted as distinct text: a sentence quoted for several facts is one
sentence of the article (issue 12); tests/api/test_api_share_union.py checks the
union over whole sequences of calls."""

from __future__ import annotations

import io
import json
from math import floor
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from api_stores import store_location
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quota import QuoteBudget
from newsfacts.server import create_app
from newsfacts.store import Store

WORDS = ["аким", "посол", "товарооборот", "Алматы", "инвестиции", "встреча", "заявил", "2022"]

_APP: dict[str, Any] = {}


def app() -> tuple[Store, TestClient]:
    """One store for all examples (in memory, or a new PostgreSQL database under
    NEWSFACTS_API_ON_PG); each example adds a new article."""
    if not _APP:
        store = Store.open(store_location(Path(":memory:")))
        _APP["store"] = store
        _APP["client"] = TestClient(create_app(store, token="t"))
    return _APP["store"], _APP["client"]


@st.composite
def records(draw: st.DrawFn) -> Record:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=8, max_size=80))
    nonce = draw(st.integers(0, 10**9))
    text = " ".join(words) + f". Номер {nonce}."
    n = len(text)
    share = draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.5, 0.9]))
    policy = Policy(
        max_share=share,
        link_required=draw(st.booleans()),
        full_text=draw(st.sampled_from(["permission", "forbidden"])),
        origin="footer",
    )
    start = draw(st.integers(0, n - 1))
    city = Entity("E1", "location", "Алматы", [(start, min(n, start + 6))], subtype="city")
    spans = st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda p: (min(p), max(p)))
    facts = [
        Fact(
            type=draw(st.sampled_from(["meeting", "intent", "quantity", "plan"])),
            args={"place": "E1", "participants": ["E1"], "indicator": "товарооборот", "value": 1},
            evidence=draw(st.lists(spans, min_size=1, max_size=4)),
        )
        for _ in range(draw(st.integers(1, 8)))
    ]
    art = Article(
        id=article_id(text),
        text=text,
        source="unknown-outlet.kz",
        url=draw(st.sampled_from([None, "https://unknown-outlet.kz/a"])),
        published="2022-05-01",
        policy=policy,
    )
    return Record(art, [city], facts, "prop-1")


def quotes_in(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if {"article_id", "text", "start", "end", "truncated"} <= value.keys():
            return [value]
        return [q for v in value.values() for q in quotes_in(v)]
    if isinstance(value, list):
        return [q for v in value for q in quotes_in(v)]
    return []


def check(record: Record, quotes: list[dict[str, Any]]) -> None:
    art = record.article
    seen = bytearray(len(art.text))  # the union of quoted offsets (issue 12)
    for q in quotes:
        if q["article_id"] == art.id:
            assert art.text[q["start"] : q["end"]] == q["text"]
            if art.policy.link_required:
                assert q["url"]
            seen[q["start"] : q["end"]] = b"\x01" * (q["end"] - q["start"])
    assert seen.count(1) <= floor(art.policy.max_share * len(art.text))


def _joint_example() -> Record:
    """Two facts' pieces overlapping (31..43, 35..69): a quote spanning both showed
    runs across the joint that repeat elsewhere, 50 of 39 characters on the page."""
    text = (
        "2022 аким аким товарооборот заявил заявил аким Алматы аким заявил заявил заявил "
        "заявил аким товарооборот встреча. Номер 159147326."
    )
    args = {"place": "E1", "participants": ["E1"], "indicator": "товарооборот", "value": 1}
    art = Article(
        id=article_id(text),
        text=text,
        source="unknown-outlet.kz",
        url="https://unknown-outlet.kz/a",
        published="2022-05-01",
        policy=Policy(max_share=0.3, link_required=False, full_text="forbidden", origin="footer"),
    )
    facts = [
        Fact(type="plan", args=args, evidence=[(55, 100), (48, 107), (35, 69)]),
        Fact(type="meeting", args=args, evidence=[(0, 73), (31, 43), (19, 117)]),
    ]
    city = Entity("E1", "location", "Алматы", [(108, 114)], subtype="city")
    return Record(art, [city], facts, "prop-1")


# A fixed sample, so a CI run is reproducible. A random run on 2026-12-07 found a
# page revealing 45 of 39 allowed characters of a text of a few repeated words: a
# quote spanning two touching pieces of the set showed runs across their joint that
# the text repeats elsewhere, never weighed (fixed in `policy.quotable`, issue 12;
# the explicit example is one such text). Explore with `pytest --hypothesis-seed=N`
# and a larger max_examples.
@example(record=_joint_example())
@settings(
    max_examples=30,
    database=None,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking over HTTP is slow
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(record=records())
def test_no_response_quotes_more_than_the_allowed_share(record: Record) -> None:
    store, client = app()
    store.save(record)
    aid = record.article.id
    # Check against what is stored: an example repeated while searching keeps the
    # policy it was first saved with.
    record = store.get_record(aid)
    assert record is not None
    detail = client.get(f"/api/articles/{aid}").json()
    assert detail["text"] is None
    check(record, quotes_in(detail))
    facts = client.get("/api/facts", params={"limit": 500}).json()
    check(record, quotes_in(facts))
    for path in ("/api/entities/location:алматы", "/api/dossiers/location:алматы"):
        check(record, quotes_in(client.get(path).json()))
    limit = floor(record.article.policy.max_share * len(record.article.text))
    for page in (f"/articles/{aid}", "/entities/location:алматы", "/dossiers/location:алматы"):
        meter = attributed_meter(store)
        meter.feed_html(client.get(page).text)
        assert meter.revealed(aid, strict=False) <= limit, page
    jsonl = client.get("/api/export", params={"format": "jsonl", "limit": 100000}).text
    rows = [json.loads(line) for line in jsonl.splitlines()]
    assert exported_chars(rows, store, record) <= limit
    parquet = client.get("/api/export", params={"format": "parquet"}).content
    assert exported_chars(pq.read_table(io.BytesIO(parquet)).to_pylist(), store, record) <= limit


def attributed_meter(store: Store) -> RevealMeter:
    """A meter over every stored article, each with its quotable set.

    These articles are made of the same eight words, so they share many runs: a
    run shown as another article's quote (inside that article's set, with its
    link) is counted for that article only (`RevealMeter`, "attributed")."""
    budget = QuoteBudget(permitted=store.has_permission)
    ids = [a["id"] for a in store.list_articles(limit=100_000, include_duplicates=True)]
    records = store.get_records(ids)
    return RevealMeter(
        {i: r.article.text for i, r in records.items()},
        quotable={i: budget.shown_offsets(r.article) for i, r in records.items()},
    )


def exported_chars(rows: list[dict[str, Any]], store: Store, record: Record) -> int:
    """Article characters an export reveals: every cell, runs of 20+ characters, as a union."""
    meter = attributed_meter(store)
    for row in rows:
        meter.feed_json(row)
    return meter.revealed(record.article.id, strict=False)
