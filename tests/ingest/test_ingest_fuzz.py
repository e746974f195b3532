"""Fuzzing the readers, the pipeline and a whole ingest batch (issue 12).

Random Unicode and random structure (nested HTML, feeds with markup and entities,
JSON Lines of any shape, bytes that are no text) must never crash, hang or lose an
input: every document read ends stored or reported, and the store stays intact.

Each example runs under a time limit, so a hang fails the test instead of stalling
the suite. The example counts are small by default; set NEWSFACTS_FUZZ_EXAMPLES for
a longer run (BENCHMARKS.md, issue 12, records one):

    NEWSFACTS_FUZZ_EXAMPLES=500 pytest -q tests/ingest/test_ingest_fuzz.py
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfacts.ingest.clean import Rejected, clean
from newsfacts.ingest.readers import IngestError, read_path
from newsfacts.ingest.runner import ingest_paths, iter_raw
from newsfacts.model import RawDocument
from newsfacts.store import Store
from newsfacts.timebudget import time_limit

# Unset: a small fixed set of examples (derandomized, the same on every CI run);
# set: that many fresh random examples per test.
LONG_RUN = os.environ.get("NEWSFACTS_FUZZ_EXAMPLES")
EXAMPLES = int(LONG_RUN or "10")
HANG = float(
    os.environ.get("NEWSFACTS_FUZZ_HANG", "60")
)  # seconds one example may take before it counts as a hang

FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not LONG_RUN,
    deadline=None,  # the time limit below bounds an example; a loaded CI machine is slow
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

WORDS = [
    "Аким", "Алматы", "Ерболат", "Досаев", "встретился", "с", "послом", "Италии", "Марко",
    "Альберти", "Стороны", "обсудили", "строительство", "завода", "в", "2022", "году",
    "млн", "тенге", "13,5", "%", "«", "»", "ООН", ",", ".", "—", "\n", "\n\n", "назначен",
    "министром", "перепечатка", "материалов", "гиперссылка", "обязательна", "©", "&amp;",
    "<", ">", "&", "\u00a0", "\t", "\x00", "\u202e", "😀", "ё", "Ё",
]  # fmt: skip
word = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.from_regex(r"[0-9]{1,400}", fullmatch=True),
    st.integers(1, 400).map(lambda n: "ж" * n),
)
text = st.lists(word, max_size=60).map(" ".join)
russian = st.lists(st.sampled_from(WORDS[:35]), min_size=8, max_size=60).map(" ".join)

TAGS = ["div", "p", "span", "article", "main", "section", "script", "style", "title", "h1",
        "a", "b", "nav", "footer", "table", "td", "br", "img", "meta", "time", "noscript"]  # fmt: skip
ATTRS = ["", ' class="content"', ' id="x"', " href='javascript:alert(1)'", ' lang="ru"', " hidden"]


def _element(tag: str, attr: str, kids: list[str], closed: bool) -> str:
    return f"<{tag}{attr}>{''.join(kids)}" + (f"</{tag}>" if closed else "")


html_tree = st.recursive(
    text,
    lambda kids: st.builds(
        _element, st.sampled_from(TAGS), st.sampled_from(ATTRS), st.lists(kids, max_size=4),
        st.booleans(),
    ),
    max_leaves=25,
)  # fmt: skip
deep_html = st.tuples(st.integers(1, 5000), st.sampled_from(TAGS), russian).map(
    lambda t: f"<{t[1]}>" * t[0] + t[2] + f"</{t[1]}>" * t[0]
)
html = st.one_of(
    st.tuples(text, html_tree).map(
        lambda t: f"<html><head><title>{t[0]}</title></head><body>{t[1]}</body></html>"
    ),
    deep_html.map(lambda b: f"<html><body>{b}</body></html>"),
    text,
)


def _item(title: str, body: str, cdata: bool, date: str) -> str:
    body = f"<![CDATA[{body}]]>" if cdata else body
    return f"<item><title>{title}</title><description>{body}</description><pubDate>{date}</pubDate></item>"


feed_item = st.builds(
    _item, text, st.one_of(russian, text, html_tree), st.booleans(),
    st.sampled_from(["", "Mon, 06 Jun 2022 10:00:00 +0000", "вчера", "9" * 50]),
)  # fmt: skip
DTD = '<!DOCTYPE rss [<!ENTITY a "ааааааааа"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
feed = st.tuples(st.booleans(), st.lists(feed_item, max_size=5), st.booleans()).map(
    lambda t: (
        '<?xml version="1.0" encoding="utf-8"?>'
        + (DTD if t[0] else "")
        + f"<rss><channel><title>Лента</title>{''.join(t[1])}"
        + ("<item><title>&b;</title></item>" if t[0] else "")
        + ("</channel></rss>" if t[2] else "")
    )
)

json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text),
    lambda kids: st.one_of(st.lists(kids, max_size=3), st.dictionaries(text, kids, max_size=3)),
    max_leaves=10,
)
json_line = st.one_of(
    st.builds(
        lambda body, title, extra: json.dumps({"text": body, "title": title, **extra}),
        st.one_of(russian, text, json_value),
        st.one_of(text, json_value),
        st.dictionaries(st.sampled_from(["url", "published", "source", "lang"]), json_value),
    ),
    text,
    st.integers(1, 3000).map(lambda n: "[" * n),
    st.just('{"text": "\\ud800 Аким встретился с послом Италии в 2022 году, обсудили завод"}'),
)
jsonl = st.lists(json_line, max_size=6).map("\n".join)


def _encode(content: str, how: str) -> bytes:
    if how == "cp1251":
        return content.encode("cp1251", "replace")
    if how == "garbage":
        return content.encode("utf-8", "surrogatepass")[:50] + b"\xff\xfe\x00\x80" * 3
    return content.encode("utf-8", "surrogatepass")


encoding = st.sampled_from(["utf-8", "utf-8", "utf-8", "cp1251", "garbage"])
document = st.one_of(
    st.tuples(st.just(".txt"), st.one_of(russian, text), encoding),
    st.tuples(st.just(".html"), html, encoding),
    st.tuples(st.just(".xml"), feed, st.just("utf-8")),
    st.tuples(st.just(".jsonl"), jsonl, st.just("utf-8")),
    st.tuples(st.just(".txt"), st.binary(max_size=300), st.just("bytes")),
)


def _write(folder: Path, index: int, doc: tuple[str, Any, str]) -> Path:
    suffix, content, how = doc
    path = folder / f"doc{index}{suffix}"
    path.write_bytes(content if how == "bytes" else _encode(content, how))
    return path


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="newsfacts-fuzz-") as tmp:
        yield Path(tmp)


@FUZZ
@given(doc=document)
def test_readers_never_crash_or_hang(folder: Path, doc: tuple[str, Any, str]) -> None:
    path = _write(folder, 0, doc)
    with time_limit(HANG):
        items = list(read_path(path))
    assert items  # a file is always either read or reported
    for item in items:
        assert isinstance(item, RawDocument | IngestError)
        if isinstance(item, IngestError):
            assert "\n" not in item.message and item.message


@FUZZ
@given(body=st.one_of(russian, text), title=st.one_of(st.none(), text))
def test_pipeline_never_crashes_or_hangs(body: str, title: str | None) -> None:
    from newsfacts.pipeline import default_pipeline

    raw = RawDocument(text=body, title=title, origin="fuzz", published="2022-06-01")
    with time_limit(HANG):
        try:
            article = clean(raw)
        except Rejected:
            return
        record = default_pipeline()(article)
    size = len(record.article.text)
    assert json.loads(record.to_json())["article"]["text"] == record.article.text
    for entity in record.entities:
        assert all(0 <= s < e <= size for s, e in entity.mentions)
    for fact in record.facts:
        assert all(0 <= s < e <= size for s, e in fact.evidence)


@pytest.fixture(scope="module")
def store(folder: Path) -> Iterator[Store]:
    with Store.open(str(folder / "fuzz.db")) as s:
        yield s


@settings(FUZZ, max_examples=EXAMPLES if LONG_RUN else 5)
@given(docs=st.lists(document, min_size=1, max_size=4))
def test_a_batch_loses_nothing_and_the_store_stays_intact(
    folder: Path, store: Store, docs: list[tuple[str, Any, str]]
) -> None:
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        batch = Path(tmp)
        for i, doc in enumerate(docs):
            _write(batch, i, doc)
        read = sum(1 for _ in iter_raw([batch]))  # documents and reader errors
        before = store.stats()["articles"]
        with time_limit(HANG * 4):
            report = ingest_paths([batch], store, link=False)
    accounted = (
        report.added + report.unchanged + report.duplicates + len(report.skipped)
        + len(report.errors)
    )  # fmt: skip
    assert accounted == read, report.summary()
    assert store.stats()["articles"] - before == report.added + report.duplicates
    assert all("\n" not in message for _, message in report.errors + report.skipped)
    with sqlite3.connect(folder / "fuzz.db") as conn:
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
