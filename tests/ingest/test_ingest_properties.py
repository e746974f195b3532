"""Properties the cleaner must keep on any input, not just our fixtures."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.ingest.clean import GLUE_BREAK, Rejected, clean, repair_glued_sentences
from newsfacts.ingest.dedupe import similarity
from newsfacts.model import RawDocument, article_id

WORDS = st.sampled_from(
    [
        "аким",
        "встретился",
        "с",
        "послом",
        "Италии",
        "сотрудничества",
        "Аким",
        "КазМунайГаз",
        "региона",
        "Посол",
        "13,5",
        "млн",
        "долларов",
        ".",
        "года.Посол",
        "г.Алматы",
        "\n",
        "\u00a0",
        "iPhone",
        "тенге",
    ]
)
INSERTED = {"split_glued_sentence": GLUE_BREAK, "space_after_punctuation": " "}
GLUED = st.lists(WORDS, min_size=1, max_size=40).map(
    lambda ws: "".join(w + " " * (i % 3 != 0) for i, w in enumerate(ws))
)


@settings(max_examples=200, deadline=None)
@given(GLUED)
def test_repairs_only_insert_breaks(text: str) -> None:
    repaired, repairs = repair_glued_sentences(text)
    undone = repaired
    for r in reversed(repairs):
        inserted = INSERTED[r.kind]
        assert undone[r.at : r.at + len(inserted)] == inserted
        undone = undone[: r.at] + undone[r.at + len(inserted) :]
    assert undone == text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | GLUED)
def test_clean_never_crashes_and_is_idempotent_on_text(text: str) -> None:
    try:
        article = clean(RawDocument(text=text, published="не дата"))
    except Rejected:
        return
    assert article.text and article.text == article.text.strip()
    assert article.id == article_id(article.text)
    assert article.published is None
    assert all(0 < r.at < len(article.text) for r in article.repairs)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    s = similarity(a, b)
    assert 0.0 <= s <= 1.0 and s == similarity(b, a)
