"""Test articles under a footer policy, shared by the share tests of tests/api and tests/web.

Importable from every test folder because pytest's `pythonpath` puts tests/ on the path.
"""

from __future__ import annotations

from newsfacts.model import Article, Policy, article_id


def footer_article(text: str, source: str, share: float) -> Article:
    """An article of `source` whose footer allows `share` of its text, with a link; its
    first line is its title when the text has more than one."""
    return Article(
        id=article_id(text),
        text=text,
        title=text.split("\n", 1)[0] if "\n" in text else None,
        source=source,
        url=f"https://{source}/{article_id(text)}",
        published="2024-04-02",
        policy=Policy(max_share=share, link_required=True, full_text="permission", origin="footer"),
    )
