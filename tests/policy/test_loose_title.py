"""Issue 12: a title its text does not hold (a hand-built record) is weighed like text.

Such a title was shown whole and weighed against no text (`NOT_IN_TEXT`): a headline
paraphrasing the lead, or copied from another article, read that text beyond its
share. `policy.title` weighs it as a text of its own and elides the words that do
not fit."""

from __future__ import annotations

from newsfacts.model import Article, Policy, Record, article_id
from newsfacts.policy import title as loose
from newsfacts.policy.choose import choose
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quotable import NOT_IN_TEXT, Piece, QuotableSet, allowance_of

TEXT = (
    "Аким Алматы Бакытжан Сагинтаев провёл совещание по подготовке городских сетей к "
    "морозам. Коммунальщики доложили о ремонте теплотрасс."
)
PARAPHRASE = "Сагинтаев провёл совещание по отопительному сезону"
TINY = Policy(max_share=0.2, link_required=True, full_text="forbidden", origin="footer")


def _record(text: str, title: str) -> Record:
    art = Article(article_id(text), text, title=title, source="zakon.kz", policy=TINY)
    return Record(art, extractor_version="t-1")


def _revealed(text: str, shown: str | None) -> int:
    meter = RevealMeter({"a": text})
    if shown:
        meter.feed(shown)
    return meter.revealed("a")


def test_a_paraphrasing_title_is_elided_within_the_share() -> None:
    record = _record(TEXT, PARAPHRASE)
    chosen = choose(record, TINY, has_url=False)
    shown = chosen.title(PARAPHRASE)
    allowance = allowance_of(TINY, len(TEXT))
    assert allowance is not None
    assert _revealed(TEXT, PARAPHRASE) > allowance  # whole, as it was shown before
    assert shown and shown != PARAPHRASE and "…" in shown
    assert _revealed(TEXT, shown) <= allowance
    assert shown.startswith("Сагинтаев провёл")  # what reveals nothing stays


def test_a_title_revealing_nothing_stays_whole() -> None:
    title = "Город готовится к зиме"
    chosen = choose(_record(TEXT, title), TINY, has_url=False)
    assert chosen.title(title) == title


def test_a_title_that_is_its_own_text_stays_whole() -> None:
    text = "Коммунальщики Алматы готовы к зиме\n" + TEXT + " " + TEXT
    title = "Коммунальщики Алматы готовы к зиме"
    chosen = choose(_record(text, title), TINY, has_url=False)
    assert chosen.title(title) == title
    assert not any(loose.decode(p.ref) for p in chosen.pieces)  # a span of the text


def test_an_old_unweighed_piece_shows_only_a_title_without_text() -> None:
    old = QuotableSet(len(TEXT), 20, [Piece("title", 0, 0, NOT_IN_TEXT)])
    assert old.title(PARAPHRASE) is None
    assert old.title("Итоги дня") == "Итоги дня"


def test_a_stricter_serving_policy_elides_further() -> None:
    lax = Policy(max_share=0.9, link_required=True, full_text="forbidden", origin="footer")
    chosen = choose(_record(TEXT, PARAPHRASE), lax, has_url=False)
    assert chosen.title(PARAPHRASE) == PARAPHRASE
    stricter = chosen.within(allowance_of(TINY, len(TEXT)), TEXT, PARAPHRASE)
    shown = stricter.title(PARAPHRASE)
    assert shown != PARAPHRASE
    assert _revealed(TEXT, shown) <= (allowance_of(TINY, len(TEXT)) or 0)


def test_elide_and_render() -> None:
    title = "один два три четыре пять"
    banned = title.index("три")

    def fits(span: tuple[int, int]) -> bool:
        return not (span[0] <= banned < span[1])

    spans = loose.elide(title, fits, lambda s: None)
    assert loose.render(title, spans) == "один два … четыре пять"
    assert loose.decode(loose.encode(spans)) == spans
    assert loose.decode(NOT_IN_TEXT) is None
    assert loose.render("короче", spans) is None  # spans of another title
    tail = loose.elide(title, lambda s: s[1] <= banned, lambda s: None)
    assert loose.render(title, tail) == "один два…"
