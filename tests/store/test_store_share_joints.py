"""Issue 12: the cross-article pass weighs a set's touching pieces as one stretch.

The first report quotes «встреча » for one fact and «посол встреча» for another,
one piece ending where the other starts: alone neither holds a countable run, but a
quote spanning both (its evidence covers both) shows «встреча посол встреча», the
opening of the second, short report, which allows 18 characters. Saving the second
must take that from the first report's set (`store.quotable._last_revealing` looks
at the stretch a piece belongs to). Runs on SQLite and, with NEWSFACTS_TEST_PG, on
PostgreSQL (the `db_url` fixture).
"""

from __future__ import annotations

from newsfacts.model import Article, Fact, Policy, Record, article_id
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quota import QuoteBudget
from newsfacts.policy.quotable import allowance_of
from newsfacts.store import Store

FIRST = "Аким заявил: встреча посол встреча прошла в Алматы, затем делегации обсудили планы."
SECOND = "встреча посол встреча 2022 аким заявил это Номер 7 и Номер 8."


def _record(text: str, share: float, spans: list[tuple[int, int]], n: int) -> Record:
    art = Article(
        id=article_id(text),
        text=text,
        source=f"outlet{n}.kz",
        url=f"https://outlet{n}.kz/a",
        published="2022-05-01",
        policy=Policy(max_share=share, link_required=True, full_text="forbidden", origin="footer"),
    )
    facts = [Fact(type="meeting", args={}, evidence=[span]) for span in spans]
    return Record(art, [], facts, "test-1")


def _records() -> list[Record]:
    at = FIRST.index("встреча")
    joint = FIRST.index("посол")
    end = joint + len("посол встреча")
    first = _record(FIRST, 0.5, [(at, joint), (joint, end), (at, end)], 1)
    return [first, _record(SECOND, 0.3, [(len(SECOND) - 10, len(SECOND))], 2)]


def test_a_stretch_across_two_pieces_counts_for_the_other_article(db_url: str) -> None:
    records = _records()
    with Store.open(db_url) as store:
        for r in records:  # one after another: the second is weighed against the first
            store.save(r)
        stored = store.get_records([r.article.id for r in records])
        budget = QuoteBudget(permitted=store.has_permission)
        meter = RevealMeter({aid: rec.article.text for aid, rec in stored.items()})
        quoted = 0
        for rec in stored.values():
            for fact in rec.facts:
                for span in fact.evidence:
                    q = budget.quote(rec.article, *span)
                    if q is not None:
                        meter.feed(q.text)
                        quoted += 1
    assert quoted  # the first report still quotes something
    for r in records:
        allowance = allowance_of(r.article.policy, len(r.article.text))
        assert allowance is not None
        assert meter.revealed(r.article.id) <= allowance, r.article.source
