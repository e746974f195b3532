"""The cleaner over the shared evaluation corpora: Russian news it must keep intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsfacts.ingest.clean import clean
from newsfacts.ingest.language import detect_language
from newsfacts.model import RawDocument

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.mark.slow
def test_dev_corpora_clean_as_russian_with_only_real_glue_repaired() -> None:
    files = sorted((DATA / "factrueval-2016" / "devset").glob("book_*.txt"))
    files += sorted((DATA / "nerel-1.1" / "dev").glob("*.txt"))
    if not files:
        pytest.skip("../shared/data is not available")
    repaired = 0
    for f in files:
        text = f.read_text("utf-8-sig")
        assert detect_language(text) == "ru", f.name
        article = clean(RawDocument(text=text, origin=str(f)))
        for r in article.repairs:
            if r.kind != "split_glued_sentence":
                continue
            repaired += 1
            # Every repair sits between a lower-case word and a capitalised one.
            before, after = article.text[: r.at], article.text[r.at + 2 :]
            assert re.search(r"[а-яё]{3}$", before) and re.match(r"[А-ЯЁ][а-яё]", after), f.name
    assert repaired <= len(files) // 20  # glue is rare in edited corpora
