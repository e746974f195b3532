"""Helpers for the KB tests: our own corpus as hand-annotated records in a store.

`examples/kb_corpus/articles.jsonl` holds 33 short articles (several outlets
re-telling the same events over two years, two people sharing a surname, the
Almaty akim's post changing hands) with a `gold` annotation: entities in the
fact-record shape plus a `kb` label (the real-world identity) and their surface
forms, facts plus an `event` label. Building records from the gold annotation
tests the cross-article layer on its own; the slow test runs the real pipeline.
"""

from __future__ import annotations

import json
import os
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from backend_db import empty_pg_tables
from newsfacts.ingest.dedupe import NEAR_DUPLICATE, similarity
from newsfacts.model import Article, Entity, Fact, Record, article_id
from newsfacts.store import Store

# PostgreSQL tests run only where NEWSFACTS_TEST_PG names a server.
PG_MARKS = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("NEWSFACTS_TEST_PG"),
        reason="NEWSFACTS_TEST_PG is not set (tests/store/start_postgres.sh)",
    ),
]
BACKENDS = ["sqlite", pytest.param("postgresql", marks=PG_MARKS)]


def needs_pg(test: Any) -> Any:
    """A test that runs on PostgreSQL alone (`PG_MARKS`)."""
    for mark in reversed(PG_MARKS):
        test = mark(test)
    return test


CORPUS = Path(__file__).resolve().parents[2] / "examples" / "kb_corpus" / "articles.jsonl"


def load_corpus() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


def gold_record(item: dict[str, Any], version: str = "1") -> Record:
    """The record an ideal extractor would produce, from the gold annotation."""
    text = item["text"]
    article = Article(
        id=article_id(text),
        text=text,
        title=item["title"],
        source=item["source"],
        url=item["url"],
        published=item["published"],
    )
    ents = []
    for e in item["gold"]["entities"]:
        spans = []
        for surface in e["surface"]:
            start = text.index(surface)
            spans.append((start, start + len(surface)))
        ents.append(
            Entity(
                id=e["id"],
                type=e["type"],
                name=e["name"],
                mentions=spans,
                subtype=e.get("subtype"),
                code=e.get("code"),
                country=e.get("country"),
                aliases=list(e["surface"]),
            )
        )
    facts = [
        Fact(type=f["type"], args=f["args"], evidence=[(0, len(text))], confidence=0.9)
        for f in item["gold"]["facts"]
    ]
    return Record(article=article, entities=ents, facts=facts, extractor_version=version)


def save_corpus(store: Store, records: list[Record]) -> None:
    """Save like ingest does: a near-duplicate of an earlier article gets `duplicate_of`."""
    saved: list[Record] = []
    for rec in records:
        dup = next(
            (
                s.article.id
                for s in saved
                if similarity(rec.article.text, s.article.text) >= NEAR_DUPLICATE
            ),
            None,
        )
        store.save(rec, duplicate_of=dup)
        saved.append(rec)


def pairwise(pred: dict[Any, str], gold: dict[Any, str]) -> tuple[float, float]:
    """Pairwise precision and recall of a clustering against gold labels (same keys)."""
    keys = sorted(set(pred) & set(gold), key=str)
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        same_pred, same_gold = pred[a] == pred[b], gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall


def db_url(store: Store) -> str:
    """What `--db` takes to reopen this store from the CLI (a file or a PG URL)."""
    return store.engine.url.render_as_string(hide_password=False)


def open_empty(backend: str, tmp_path: Path) -> Store:
    """An empty store: a SQLite file under tmp_path, or NEWSFACTS_TEST_PG emptied."""
    import os

    if backend == "sqlite":
        return Store.open(str(tmp_path / "kb.db"))
    store = Store.open(os.environ["NEWSFACTS_TEST_PG"])
    with store.engine.begin() as conn:
        empty_pg_tables(conn)
    return store
