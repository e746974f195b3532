"""Every quote of article text leaves the system through a `QuoteBudget`.

A source's reuse policy limits how much of one article may be quoted *in total*:
ten short evidence quotes on one page can add up to more than the 30% an outlet
allows, so the limit is kept per response rather than per quote. Make one budget
per HTTP response, page or export file and pass every quote through it.

The budget counts every quoted character, repeats included: quoting the same
sentence twice costs it twice. That is stricter than counting only the distinct
text revealed, and it is the reading of "in total" nobody can dispute. Where the
source allows the full text (or the editors granted it) there is no limit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from math import floor
from typing import Any

from newsfacts.model import Article, Policy
from newsfacts.policy.registry import PolicyRegistry, default_registry, source_key

WITHHELD = "quote withheld by the source's reuse policy"
# A cut-down quote shorter than this says nothing; better withheld than a stub.
MIN_QUOTE = 24


@dataclass(frozen=True)
class Quote:
    """An exact substring of `article.text` ([start, end)) cleared for output."""

    article_id: str
    start: int
    end: int
    text: str
    url: str | None
    truncated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "url": self.url,
            "truncated": self.truncated,
        }


class QuoteBudget:
    """How much of each article one response may still quote.

    `permitted(source_key)` says whether the editors granted full-text use (the
    store's `has_permission`); it is asked once per source per budget.
    """

    def __init__(
        self,
        registry: PolicyRegistry | None = None,
        permitted: Callable[[str], bool] | None = None,
    ) -> None:
        self.registry = registry or default_registry()
        self._permitted = permitted
        self._grants: dict[str, bool] = {}
        self._used: dict[str, int] = {}

    # --- policy -----------------------------------------------------------------
    def policy(self, article: Article) -> Policy:
        return self.registry.resolve(article)

    def granted(self, article: Article) -> bool:
        key = source_key(article.source, article.url)
        if key is None or self._permitted is None:
            return False
        if key not in self._grants:
            try:
                self._grants[key] = bool(self._permitted(key))
            except Exception:  # a failing permission lookup must never widen access
                self._grants[key] = False
        return self._grants[key]

    def full_text_allowed(self, article: Article) -> bool:
        policy = self.policy(article)
        if policy.full_text == "allowed":
            return True
        return policy.full_text == "permission" and self.granted(article)

    def allowance(self, article: Article) -> int | None:
        """Characters of `article` one response may quote in total; None: no limit."""
        if self.full_text_allowed(article):
            return None
        share = min(max(self.policy(article).max_share, 0.0), 1.0)
        return floor(share * len(article.text))

    def link(self, article: Article) -> str | None:
        """The URL quotes carry; a bare domain home page when the article has none."""
        if article.url:
            return article.url
        key = source_key(article.source)
        return f"https://{key}/" if key and "." in key else None

    def used(self, article: Article | str) -> int:
        """Characters of the article quoted so far in this response (repeats count)."""
        return self._used.get(article if isinstance(article, str) else article.id, 0)

    def remaining(self, article: Article) -> int:
        allowance = self.allowance(article)
        if allowance is None:
            return len(article.text)  # no limit: any span of the text fits
        return max(0, allowance - self.used(article))

    # --- quoting ----------------------------------------------------------------
    def quote(self, article: Article, start: int, end: int) -> Quote | None:
        """The span as a quote, cut short if the budget runs out; None if nothing fits.

        A quote that must carry a link but has none to carry is withheld, since
        the source allowed quoting only on that condition.
        """
        text = article.text
        start, end = max(0, int(start)), min(len(text), int(end))
        if end <= start:
            return None
        url = self.link(article)
        if self.policy(article).link_required and url is None:
            return None
        room = self.remaining(article)
        cut = end
        if end - start > room:
            cut = start + room
            space = text.rfind(" ", start, cut)
            if space > start + (cut - start) // 2:
                cut = space  # end on a word boundary when that costs little
            cut = start + len(text[start:cut].rstrip())
        if cut <= start or (cut < end and cut - start < MIN_QUOTE):
            return None
        self._used[article.id] = self.used(article) + (cut - start)
        return Quote(article.id, start, cut, text[start:cut], url, truncated=cut < end)

    def full_text(self, article: Article) -> str | None:
        """The whole text when the policy or a grant allows it, else None."""
        if not self.full_text_allowed(article):
            return None
        self._used[article.id] = self.used(article) + len(article.text)
        return article.text
