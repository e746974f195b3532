"""Placeholder cleaner (replaced by the ingest work): strips whitespace only."""

from __future__ import annotations

from newsfacts.model import Article, RawDocument, article_id


def clean(raw: RawDocument) -> Article:
    text = raw.text.strip()
    return Article(id=article_id(text), text=text, title=raw.title, url=raw.url,
                   published=raw.published, source=raw.source)
