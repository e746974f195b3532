"""Issue 12: wording composed from one article's fact is checked on its retellings too.

A page's statement («Стороны обсудили запуск прямого рейса») may repeat, word for
word, a sentence of another article that tells the same story, outside that
article's quotable set. The store names such neighbours in each set (`near`); the
budget loads them and checks the wording on each.
"""

from __future__ import annotations

from newsfacts.model import Article, Policy
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.quotable import Piece, QuotableSet

LIMITED = Policy(max_share=0.2, link_required=False, full_text="permission", origin="footer")


def _article(aid: str, text: str, near: list[str]) -> Article:
    art = Article(id=aid, text=text, title=None, url=f"https://example.kz/{aid}", policy=LIMITED)
    art.quotable = QuotableSet(len(text), 0, [Piece("near", 0, 0, n) for n in near])
    return art


A = _article("a", "Аким города провёл встречу с послом в понедельник.", ["b"])
B = _article("b", "Стороны обсудили запуск прямого рейса между двумя городами.", ["a"])
STATEMENT = "Аким и посол обсудили запуск прямого рейса"


def _budget(loader: bool) -> QuoteBudget:  # footer policies govern both articles
    return QuoteBudget(articles=(lambda ids: {"b": B}) if loader else None)


def test_the_statement_is_fine_for_its_own_article_alone() -> None:
    assert not _budget(loader=False).wording_reveals(A, STATEMENT)


def test_the_statement_repeats_a_neighbours_sentence() -> None:
    assert _budget(loader=True).wording_reveals(A, STATEMENT)


def test_near_pieces_survive_a_stricter_policy_and_cost_nothing() -> None:
    qs = QuotableSet(100, 30, [Piece("quote", 0, 30, 0), Piece("near", 0, 0, "b")])
    assert qs.within(10, "x" * 100).near() == ["b"]
    assert qs.coverage().size() == 30
