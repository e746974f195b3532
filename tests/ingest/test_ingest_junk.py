"""Junk is skipped with a reason, never stored as an article (issue 12).

A probe stored an entity-bomb feed as «Бомба &lol9», a navigation-only page as
«Пусто Меню», a title-only file, and XXE feed entries holding the literal «&xxe».
The rule (README): an article needs a body of at least `MIN_BODY_WORDS` words
besides its title, and unexpanded XML entities are dropped from feed text.
Real short news, the examples and the seed still pass.
"""

from __future__ import annotations

from pathlib import Path

from newsfacts.ingest.clean import MIN_BODY_WORDS
from newsfacts.ingest.prepare import Cleaned, clean_each
from newsfacts.ingest.readers import read_path

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol9 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
]>
<rss version="2.0"><channel><title>Бомба</title><link>https://bomb.kz/</link>
<item><title>Бомба</title><link>https://bomb.kz/1</link><description>&lol9;</description></item>
</channel></rss>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>Лента</title><link>https://x.kz/</link>
<item><title>Новость</title><link>https://x.kz/1</link><description>&xxe;</description></item>
<item><title>Встреча</title><link>https://x.kz/2</link>
<description>Аким &xxe; Шымкента встретился с послом Турции в Казахстане.</description></item>
</channel></rss>
"""
NAV = (
    "<html><head><title>Пусто</title></head><body><nav><ul>"
    '<li><a href="/">Меню</a></li></ul></nav></body></html>'
)
SHORT_NEWS = "Аким Алматы встретился с послом Италии\nСтороны обсудили инвестиции в регион.\n"


def _clean_dir(root: Path) -> dict[str, Cleaned]:
    return {
        Path(c.origin.split("#")[0]).name + c.origin[len(c.origin.split("#")[0]) :]: c
        for c in clean_each(read_path(root))
    }


def test_junk_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "bomb.xml").write_text(BOMB, encoding="utf-8")
    (tmp_path / "xxe.xml").write_text(XXE, encoding="utf-8")
    (tmp_path / "nav.html").write_text(NAV, encoding="utf-8")
    (tmp_path / "title_only.txt").write_text("Заголовок без текста\n", encoding="utf-8")
    (tmp_path / "long_title_only.txt").write_text(
        "Аким Алматы встретился с послом Италии и обсудил инвестиции\n", encoding="utf-8"
    )
    (tmp_path / "short.txt").write_text(SHORT_NEWS, encoding="utf-8")
    got = _clean_dir(tmp_path)
    stored = {name: c.article for name, c in got.items() if c.article is not None}
    assert set(stored) == {"short.txt", "xxe.xml#2"}, got
    assert "&" not in stored["xxe.xml#2"].text and "xxe" not in stored["xxe.xml#2"].text
    assert "Аким Шымкента встретился" in stored["xxe.xml#2"].text
    for name in ("bomb.xml#1", "xxe.xml#1", "nav.html", "title_only.txt", "long_title_only.txt"):
        reason = got[name].skipped or got[name].error
        assert reason and "\n" not in reason, name
    assert "title" in (got["title_only.txt"].skipped or "")
    assert f"at least {MIN_BODY_WORDS} words" in (got["nav.html"].skipped or "")


def test_examples_and_seed_still_pass(examples_dir: Path, seed_path: Path) -> None:
    for root in (examples_dir, seed_path):
        for item in clean_each(read_path(root)):
            assert item.article is not None, (item.origin, item.skipped, item.error)
