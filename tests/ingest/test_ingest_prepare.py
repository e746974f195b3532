"""clean_each: every input item becomes exactly one article, skip or error."""

from __future__ import annotations

from newsfacts.ingest.prepare import clean_each
from newsfacts.ingest.readers import IngestError
from newsfacts.model import RawDocument

RUSSIAN = (
    "Аким Шымкента встретился с делегацией деловых кругов Турции. "
    "Стороны обсудили строительство логистического центра."
)


def test_articles_skips_and_errors_keep_their_order_and_origin() -> None:
    items = [
        RawDocument(text=RUSSIAN, origin="a.txt"),
        IngestError("b.bin", "binary file, not text"),
        RawDocument(
            text="The mayor met a delegation from Turkey to discuss logistics.", origin="c.txt"
        ),
        RawDocument(text="   ", origin=None),
    ]
    out = list(clean_each(items, default_origin="feed.jsonl"))
    assert [c.origin for c in out] == ["a.txt", "b.bin", "c.txt", "feed.jsonl"]
    assert out[0].article is not None and "Шымкента" in out[0].article.text
    assert out[1].article is None and out[1].error == "binary file, not text"
    assert out[2].article is None and out[2].skipped and out[2].skipped.startswith("c.txt:")
    assert "not Russian" in out[2].skipped
    assert out[3].article is None and out[3].skipped and out[3].skipped.startswith("feed.jsonl")
