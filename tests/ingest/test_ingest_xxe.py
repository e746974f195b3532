"""What held in the probe and must stay so (issue 12): no reader expands an XML entity,
so no file leaks through XXE and no entity bomb blows up; junk left by either is
dropped (tests/ingest/test_ingest_junk.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.ingest.readers import read_path
from newsfacts.model import RawDocument

SECRET = "SECRET-7f3a9c-не-для-печати"
BODY = "Аким Шымкента встретился с послом Турции. Стороны обсудили строительство фабрики."


def _texts(path: Path) -> str:
    docs = [i for i in read_path(path) if isinstance(i, RawDocument)]
    return "\n".join(f"{d.title}\n{d.text}\n{d.url}\n{d.source}" for d in docs)


@pytest.mark.parametrize("name", ["feed.xml", "atom.atom", "page.html", "page.xml"])
def test_external_entities_are_never_read(tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    dtd = f'<!DOCTYPE x [ <!ENTITY xxe SYSTEM "file://{secret}"> <!ENTITY % p SYSTEM "file://{secret}"> %p; ]>'
    if name.endswith(".html"):
        doc = f"{dtd}<html><head><title>&xxe;</title></head><body><article><p>{BODY} &xxe;</p></article></body></html>"
    elif name.endswith(".atom"):
        doc = (
            f'<?xml version="1.0"?>{dtd}<feed xmlns="http://www.w3.org/2005/Atom"><title>&xxe;</title>'
            f"<entry><title>&xxe;</title><link href='https://x.kz/1'/><content>{BODY} &xxe;</content></entry></feed>"
        )
    else:
        doc = (
            f'<?xml version="1.0"?>{dtd}<rss version="2.0"><channel><title>&xxe;</title>'
            f"<item><title>&xxe;</title><link>https://x.kz/1</link><description>{BODY} &xxe;"
            "</description></item></channel></rss>"
        )
    path = tmp_path / name
    path.write_text(doc, encoding="utf-8")
    assert SECRET not in _texts(path)


def test_entity_bomb_is_not_expanded(tmp_path: Path) -> None:
    levels = ['<!ENTITY l0 "lollollollollollollollollollol">']
    levels += [f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)]
    feed = (
        f'<?xml version="1.0"?><!DOCTYPE b [{"".join(levels)}]><rss version="2.0"><channel>'
        f"<item><title>Бомба</title><link>https://b.kz/1</link><description>{BODY} &l9;"
        "</description></item></channel></rss>"
    )
    path = tmp_path / "bomb.xml"
    path.write_text(feed, encoding="utf-8")
    text = _texts(path)
    assert "lollol" not in text and len(text) < 10_000  # expanded, it would be 3*10^10
