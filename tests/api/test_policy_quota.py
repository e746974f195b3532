"""The reuse policy: registry fallbacks and the per-response quote budget."""

from __future__ import annotations

from math import floor

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfacts.model import Article, Policy
from newsfacts.policy.quota import QuoteBudget
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


def test_quotes_are_cut_when_the_share_is_spent() -> None:
    art = article()
    budget = QuoteBudget(REGISTRY)
    allowed = floor(0.3 * len(TEXT))
    first = budget.quote(art, 0, 28)
    assert first is not None and first.text == TEXT[:28] and not first.truncated
    assert first.url == "https://kapital.kz/a/1"
    second = budget.quote(art, 84, len(TEXT))
    assert second is not None and second.truncated
    assert TEXT[second.start : second.end] == second.text
    assert allowed - 15 < budget.used(art) <= allowed
    # Repeats count too, and a stub shorter than MIN_QUOTE is withheld, not shown.
    assert budget.quote(art, 0, 28) is None
    assert budget.quote(art, 160, len(TEXT)) is None


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


def test_link_required_without_any_link_withholds_the_quote() -> None:
    anonymous = article(source=None, url=None)
    assert QuoteBudget(REGISTRY).quote(anonymous, 0, 20) is None
    homepage = QuoteBudget(REGISTRY).quote(article(url=None), 0, 20)
    assert homepage is not None and homepage.url == "https://kapital.kz/"


spans = st.lists(st.tuples(st.integers(-20, 260), st.integers(-20, 260)), max_size=30)


@settings(max_examples=200, deadline=None, database=None)
@given(
    spans=spans,
    share=st.floats(0.0, 1.0),
    text=st.text(alphabet="абв где ", min_size=0, max_size=240),
)
def test_no_response_quotes_more_than_the_allowed_share(spans, share, text) -> None:
    policy = Policy(max_share=share, link_required=True, full_text="permission", origin="footer")
    art = article(policy=policy, text=text)
    budget = QuoteBudget(REGISTRY)
    quoted = 0
    for a, b in spans:
        q = budget.quote(art, a, b)
        if q is None:
            continue
        assert text[q.start : q.end] == q.text and q.url
        quoted += len(q.text)
    assert quoted <= floor(share * len(text))
