"""Issue 12: whatever GET calls a client combines, it reads at most each source's share.

Hypothesis draws sequences of calls over every JSON endpoint that returns text
(articles, facts, search, entities, dossiers, events and their sources, quantities,
meetings, export in every format) on the in-process app over our hand-made store, and checks the
union of what they reveal of each article (verbatim runs of its text, 12 characters
over three words or 20 characters, mapped back to its offsets,
`policy.measure.RevealMeter`) against its allowance. The count is strict: a run
counts for every article holding it, wherever it was shown (the stories share
sentences; the store weighs their sets together).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfacts.model import FACT_TYPES
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quota import QuoteBudget
from newsfacts.store import Store


def _paths(store: Store, client: TestClient) -> list[str]:
    ids = [a["id"] for a in store.list_articles(limit=1000, include_duplicates=True)]
    keys: set[str] = set()
    for q in ("а", "е", "и", "о", "у"):
        r = client.get("/api/entities", params={"q": q, "limit": 500})
        keys |= {e["key"] for e in r.json()["items"]} if r.status_code == 200 else set()
    out = ["/api/articles?limit=500", "/api/facts?limit=500", "/api/events?limit=500"]
    out += ["/api/quantities", "/api/meetings", "/api/search?q=Алматы", "/api/search?q=посол"]
    out += [f"/api/facts?type={t}&limit=500" for t in FACT_TYPES]
    out += [f"/api/articles/{i}" for i in ids]
    out += [f"/api/export?format={f}&limit=100000" for f in ("jsonl", "csv", "parquet")]
    # the list pages' own exports (issue 11): every row of the view, titles included
    out += [f"/facts/export?format={f}&min_confidence=0" for f in ("jsonl", "csv", "parquet")]
    out += [f"/articles/export?format={f}" for f in ("jsonl", "csv", "parquet")]
    for key in sorted(keys):
        k = quote(key, safe=":")
        out += [f"/api/entities/{k}", f"/api/facts?entity={k}&limit=500"]
        if key.startswith("location:"):
            out.append(f"/api/dossiers/{k}")
    # each merged event and every page of its sources (issue 13)
    r = client.get("/api/events", params={"limit": 500})
    for event in r.json()["items"] if r.status_code == 200 else []:
        out.append(f"/api/events/{event['id']}")
        for offset in range(0, event["n_sources"], 3):
            out.append(f"/api/events/{event['id']}/sources?limit=3&offset={offset}")
    for word in ("Италия", "центра", "товарооборот", "завод"):
        out += [f"/api/articles?q={quote(word)}", f"/api/facts?q={quote(word)}"]
    return out


class Setup:
    def __init__(self, store: Store, client: TestClient) -> None:
        self.client = client
        self.paths = _paths(store, client)
        budget = QuoteBudget(permitted=store.has_permission)
        ids = [a["id"] for a in store.list_articles(limit=1000, include_duplicates=True)]
        self.records = store.get_records(ids)
        self.allowance = {i: budget.allowance(r.article) for i, r in self.records.items()}
        self.texts = {i: r.article.text for i, r in self.records.items()}
        self.masks = {i: budget.shown_offsets(r.article) for i, r in self.records.items()}
        self.cache: dict[str, tuple[str, bytes]] = {}

    def fetch(self, path: str) -> tuple[str, bytes]:
        if path not in self.cache:
            r = self.client.get(path)
            assert r.status_code in (200, 404, 422), (path, r.status_code)
            self.cache[path] = (r.headers.get("content-type", ""), r.content)
        return self.cache[path]

    def meter(self) -> RevealMeter:
        public = {i for i, allowance in self.allowance.items() if allowance is None}
        return RevealMeter(self.texts, quotable=self.masks, public=public)


_SETUP: dict[str, Setup] = {}


@pytest.fixture(scope="module")
def setup(store: Store, client: TestClient) -> Setup:
    if "s" not in _SETUP:
        _SETUP["s"] = Setup(store, client)
    return _SETUP["s"]


def _check(setup: Setup, meter: RevealMeter, *, strict: bool = True) -> list[Any]:
    over = []
    for aid, allowance in setup.allowance.items():
        if allowance is not None and meter.revealed(aid, strict=strict) > allowance:
            over.append((aid, meter.revealed(aid, strict=strict), allowance))
    return over


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_sequence_of_calls_stays_within_the_share(setup: Setup, data: st.DataObject) -> None:
    calls = data.draw(st.lists(st.sampled_from(setup.paths), min_size=1, max_size=25))
    meter = setup.meter()
    for path in calls:
        media, body = setup.fetch(path)
        if media:
            meter.feed_body(media, body)
    assert not _check(setup, meter), calls


def test_all_calls_together(setup: Setup) -> None:
    """Every path at once: the union over the whole API is within every allowance."""
    meter = setup.meter()
    for path in setup.paths:
        media, body = setup.fetch(path)
        if media:
            meter.feed_body(media, body)
    assert not _check(setup, meter)
    assert any(meter.revealed(a, strict=False) for a, v in setup.allowance.items() if v)
    pages = [p for p in setup.paths if p.startswith(("/facts/export", "/articles/export"))]
    assert pages and all(setup.client.get(p).status_code == 200 for p in pages)
