"""The reuse policy: registry fallbacks and the per-response quote budget."""

from __future__ import annotations

from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.model import Article, Fact, Policy, Record
from newsfacts.policy.choose import choose
from newsfacts.policy.quota import REASONS, QuoteBudget
from newsfacts.policy.registry import PolicyRegistry, PolicyRegistryError, source_key

TEXT = (
    "Министр торговли Узбекистана Лазиз Кудратов провел переговоры с делегацией Турции. "
    "Стороны обсудили запуск совместного текстильного производства в Намангане. "
    "Товарооборот двух стран в 2023 году превысил 3 млрд долларов США."
)

REGISTRY = PolicyRegistry.from_toml(
    """
[default]
max_share = 0.1
link_required = true
full_text = "permission"

[domains."kapital.kz"]
max_share = 0.3
link_required = true
full_text = "permission"

[domains."wikinews.org"]
max_share = 1.0
link_required = true
full_text = "allowed"
"""
)


def article(
    source: str | None = "kapital.kz",
    url: str | None = "https://kapital.kz/a/1",
    policy: Policy | None = None,
    text: str = TEXT,
) -> Article:
    return Article(id="a1", text=text, source=source, url=url, policy=policy or Policy())


def test_source_key_normalises_domains_and_urls() -> None:
    assert source_key("Kapital.KZ") == "kapital.kz"
    assert source_key(None, "https://www.kapital.kz/economic/1.html") == "kapital.kz"
    assert source_key("www.inform.kz:443/ru") == "inform.kz"
    assert source_key(None, None) is None


def test_registry_prefers_footer_then_domain_then_default() -> None:
    footer = Policy(max_share=0.5, link_required=False, full_text="forbidden", origin="footer")
    assert REGISTRY.resolve(article(policy=footer)) is footer
    by_domain = REGISTRY.resolve(article(source="www.kapital.kz"))
    assert (by_domain.max_share, by_domain.origin) == (0.3, "registry")
    sub = REGISTRY.resolve(article(source=None, url="https://ru.wikinews.org/wiki/X"))
    assert sub.full_text == "allowed"
    unknown = REGISTRY.resolve(article(source="example.uz", url=None))
    assert (unknown.max_share, unknown.origin) == (0.1, "default")


def test_packaged_registry_loads_and_rejects_bad_values(tmp_path) -> None:
    packaged = PolicyRegistry.load()
    assert packaged.lookup("kapital.kz").max_share == pytest.approx(0.3)
    bad = tmp_path / "bad.toml"
    bad.write_text('[domains."x.kz"]\nmax_share = 3\n', encoding="utf-8")
    with pytest.raises(PolicyRegistryError, match="max_share"):
        PolicyRegistry.load(bad)
    with pytest.raises(PolicyRegistryError):
        PolicyRegistry.load(tmp_path / "missing.toml")


def with_set(art: Article, facts: list[tuple[int, int]]) -> Article:
    """`art` with the quotable set ingest would choose for facts with these spans."""
    record = Record(art, facts=[Fact("plan", {}, evidence=[span]) for span in facts])
    art.quotable = choose(record, REGISTRY.resolve(art), has_url=bool(art.url))
    return art


def test_quotes_come_only_from_the_fixed_set() -> None:
    art = with_set(article(), [(0, 28), (84, len(TEXT))])
    allowed = floor(0.3 * len(TEXT))
    budget = QuoteBudget(REGISTRY)
    first = budget.quote(art, 0, 28)
    assert first is not None and first.text == TEXT[:28] and not first.truncated
    assert first.url == "https://kapital.kz/a/1"
    second = budget.quote(art, 84, len(TEXT))
    assert second is not None and second.truncated
    assert TEXT[second.start : second.end] == second.text
    # A new budget (another response) shows the same spans again, nothing more.
    again = QuoteBudget(REGISTRY)
    assert again.quote(art, 84, len(TEXT)) == second
    assert art.quotable.coverage().size() <= allowed
    assert again.used(art) <= budget.used(art) <= allowed


def test_repeated_quote_costs_nothing_more() -> None:
    art = with_set(article(), [(0, 28), (0, 28)])
    budget = QuoteBudget(REGISTRY)
    assert budget.quote(art, 0, 28) == budget.quote(art, 0, 28)
    assert budget.used(art) == 28


def test_full_text_needs_allowed_policy_or_a_grant() -> None:
    art = article()
    assert QuoteBudget(REGISTRY).full_text(art) is None
    granted = QuoteBudget(REGISTRY, permitted=lambda key: key == "kapital.kz")
    assert granted.full_text(art) == TEXT
    wiki = article(source="ru.wikinews.org", url="https://ru.wikinews.org/wiki/X")
    assert QuoteBudget(REGISTRY).full_text(wiki) == TEXT


def test_permission_lookup_failure_never_widens_access() -> None:
    def broken(_key: str) -> bool:
        raise RuntimeError("db down")

    assert QuoteBudget(REGISTRY, permitted=broken).full_text(article()) is None


def test_link_required_without_the_article_url_withholds_the_quote() -> None:
    # Issue 12: never the outlet's home page in place of the article's own URL.
    art = with_set(article(url=None), [(0, 83)])
    budget = QuoteBudget(REGISTRY)
    assert budget.link(art) is None
    assert budget.quote_or_reason(art, 0, 83) == "no_link"
    assert "нет ссылки" in REASONS["no_link"]
    assert art.quotable.quoted_facts() == set()


def test_reasons_tell_a_tiny_share_from_a_spent_one() -> None:
    tiny = Policy(max_share=0.05, link_required=True, full_text="forbidden", origin="footer")
    art = with_set(article(policy=tiny), [(0, 83)])
    assert QuoteBudget(REGISTRY).quote_or_reason(art, 0, 83) == "too_short"
    art = with_set(article(), [(0, 28), (84, len(TEXT))])
    assert QuoteBudget(REGISTRY).quote_or_reason(art, 180, len(TEXT)) == "share_exhausted"


spans = st.lists(st.tuples(st.integers(-20, 260), st.integers(-20, 260)), max_size=30)


@settings(max_examples=200, deadline=None, database=None)
@given(
    spans=spans,
    share=st.floats(0.0, 1.0),
    text=st.text(alphabet="абв где ", min_size=0, max_size=240),
)
def test_no_sequence_of_responses_quotes_more_than_the_share(spans, share, text) -> None:
    policy = Policy(max_share=share, link_required=True, full_text="permission", origin="footer")
    art = with_set(article(policy=policy, text=text), spans)
    seen = bytearray(len(text))
    for a, b in spans:  # each span asked in a response of its own
        q = QuoteBudget(REGISTRY).quote(art, a, b)
        if q is None:
            continue
        assert text[q.start : q.end] == q.text and q.url
        seen[q.start : q.end] = b"\x01" * (q.end - q.start)
    assert seen.count(1) <= floor(share * len(text))
