"""`BatchSaver` decides each article as `save_extracted` does one at a time:
near-duplicates inside one batch, repeats, re-extractions and canonical swaps."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from store_samples import TEXT_A, record_a, record_b, record_c, wipe_articles

from newsfacts.ingest.bulksave import BatchSaver
from newsfacts.ingest.runner import Extracted, IngestReport, save_extracted
from newsfacts.model import Article, Record, article_id
from newsfacts.store import Store, shown


def copy_of(record: Record, *, url: str | None, extra: str) -> Record:
    """The same story re-published: a credit line more, its own id and URL."""
    text = record.article.text + extra
    art = replace(record.article, id=article_id(text), text=text, url=url)
    return Record(article=art, entities=[], facts=[], extractor_version="0.1")


def stream() -> list[Extracted]:
    a, b, c = record_a(), record_b(), record_c()
    no_url = copy_of(a, url=None, extra=" Фото: пресс-служба.")
    # An original published after a URL-less copy was stored: the swap of issue 12.
    orig_c = replace(c.article, url=None)
    c_first = Record(article=orig_c, entities=c.entities, facts=c.facts, extractor_version="0.1")
    c_later = copy_of(c, url="https://zakon.kz/original", extra=" Источник: zakon.kz.")
    items = [a, no_url, b, record_a(), c_first, c_later, record_a("0.2")]
    return [Extracted(r.article, f"feed:{i}", record=r) for i, r in enumerate(items)] + [
        Extracted(Article(id="bad", text=TEXT_A), "feed:bad", error="unreadable")
    ]


def outcome(store: Store, report: IngestReport) -> tuple[object, ...]:
    with store.engine.connect() as conn:
        rows = sorted(
            tuple(r)
            for r in conn.execute(
                sa.text("SELECT id, duplicate_of, extractor_version FROM articles")
            )
        )
        facts = conn.execute(sa.text("SELECT count(*) FROM facts")).scalar()
    counts = (report.added, report.unchanged, report.duplicates, len(report.errors))
    return rows, facts, counts


def test_a_batch_decides_as_one_save_each(store: Store, tmp_path: object) -> None:
    one = IngestReport()
    for done in stream():
        save_extracted(store, done, one)
    expected = outcome(store, one)
    wipe_articles(store)

    batched = IngestReport()
    with BatchSaver(store, batched, size=100) as saver:
        for done in stream():
            saver.add(done)
    assert outcome(store, batched) == expected
    # The stream did exercise each case: a copy linked to its original, the URL-less
    # first copy demoted under the original found later, a repeat left unchanged.
    rows = {aid: dup for aid, dup, _ in expected[0]}  # type: ignore[union-attr]
    c_first, c_later = stream()[4].article.id, stream()[5].article.id
    assert rows[stream()[1].article.id] == record_a().article.id
    assert rows[c_first] == c_later and rows[c_later] is None
    assert expected[2][1] == 1 and expected[2][3] == 1  # type: ignore[index]


def runs_rows(store: Store) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with store.engine.connect() as conn:
        shown_rows = conn.execute(sa.text("SELECT hash, article_id, kind FROM shown_runs"))
        text_rows = conn.execute(sa.text("SELECT hash, article_id FROM text_runs"))
        return sorted(tuple(r) for r in shown_rows), sorted(tuple(r) for r in text_rows)


def test_runs_the_saver_wrote_stay_those_of_the_stored_articles(store: Store) -> None:
    """The bulk saver writes new articles' text and shown runs itself and the pass
    skips them; an article changed after (re-extracted, demoted under an original
    found later in the same load) must be hashed again: rewriting every article's
    runs from what is stored changes nothing."""
    with store.deferred_sets(), BatchSaver(store, IngestReport(), size=100) as saver:
        for done in stream():
            saver.add(done)
    before = runs_rows(store)
    assert before[0] and before[1]
    with store._write() as conn:
        ids = [r[0] for r in conn.execute(sa.text("SELECT id FROM articles"))]
        shown.refresh(conn, ids)
    assert runs_rows(store) == before
