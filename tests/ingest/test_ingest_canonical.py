"""Issue 12: of two near-duplicates, the copy with the article's URL is canonical.

The demo kept a URL-less copy as canonical and marked the copy that names its
source as the duplicate, so quotes of the story could carry no link.
"""

from __future__ import annotations

import json
from pathlib import Path

from newsfacts.ingest.runner import ingest_paths
from newsfacts.model import Record
from newsfacts.store import Store

STORY = (
    "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти. Стороны "
    "обсудили создание в городе центра дизайна, прямые авиарейсы Алматы – Милан и "
    "участие итальянских компаний в строительстве индустриальной зоны. По словам акима, "
    "город готов предоставить инвесторам земельные участки с подведённой инфраструктурой."
)


class FakePipeline:
    version = "fake-1"

    def __call__(self, article) -> Record:
        return Record(article=article, extractor_version=self.version)


def _jsonl(path: Path, url: str | None, tail: str) -> Path:
    row = {"title": "Италия и Алматы", "text": STORY + tail, "source": "kapital.kz"}
    if url:
        row["url"] = url
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def test_the_copy_with_a_url_becomes_canonical(tmp_path: Path) -> None:
    bare = _jsonl(tmp_path / "a.jsonl", None, " Встреча прошла в акимате.")
    linked = _jsonl(tmp_path / "b.jsonl", "https://kapital.kz/a/1", " Встреча прошла вчера.")
    with Store.open(str(tmp_path / "s.db")) as store:
        first = ingest_paths([bare], store, pipeline=FakePipeline(), link=False)
        second = ingest_paths([linked], store, pipeline=FakePipeline(), link=False)
        assert first.added == 1 and second.duplicates == 1
        rows = store.list_articles(limit=10, include_duplicates=True)
        by_url = {r["url"]: r for r in rows}
        assert by_url["https://kapital.kz/a/1"]["duplicate_of"] is None
        assert by_url[None]["duplicate_of"] == by_url["https://kapital.kz/a/1"]["id"]
        # A third copy without a URL stays a duplicate of the linked one.
        third = _jsonl(tmp_path / "c.jsonl", None, " Встреча прошла сегодня.")
        assert ingest_paths([third], store, pipeline=FakePipeline(), link=False).duplicates == 1
