"""Every quote of article text leaves the system through a `QuoteBudget`.

A source's reuse policy limits how much of one article may be quoted *in total*:
ten short evidence quotes on one page can add up to more than the 30% an outlet
allows, so the limit is kept per response rather than per quote. Make one budget
per HTTP response, page or export file and pass every quote through it.

The budget counts the characters of the article that the response reveals (the
union of quoted spans), so quoting the same sentence twice costs it once.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from math import floor
from typing import Any

from newsfacts.model import Article, Policy
from newsfacts.policy.registry import PolicyRegistry, default_registry, source_key

WITHHELD = "quote withheld by the source's reuse policy"


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
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "url": self.url,
            "truncated": self.truncated,
        }


class _Spans:
    """Disjoint, sorted character intervals already revealed for one article."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int]] = []

    def total(self) -> int:
        return sum(e - s for s, e in self.items)

    def overlap(self, start: int, end: int) -> int:
        i = max(0, bisect_left(self.items, (start, start)) - 1)
        covered = 0
        for s, e in self.items[i:]:
            if s >= end:
                break
            covered += max(0, min(e, end) - max(s, start))
        return covered

    def fresh(self, start: int, end: int) -> int:
        return (end - start) - self.overlap(start, end)

    def add(self, start: int, end: int) -> None:
        merged: list[tuple[int, int]] = []
        for s, e in sorted([*self.items, (start, end)]):
            if merged and s <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], e))
            else:
                merged.append((s, e))
        self.items = merged


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
        self._spans: dict[str, _Spans] = {}

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

    def allowance(self, article: Article) -> int:
        """Characters of `article` one response may reveal in total."""
        if self.full_text_allowed(article):
            return len(article.text)
        share = min(max(self.policy(article).max_share, 0.0), 1.0)
        return floor(share * len(article.text))

    def link(self, article: Article) -> str | None:
        """The URL quotes carry; a bare domain home page when the article has none."""
        if article.url:
            return article.url
        key = source_key(article.source)
        return f"https://{key}/" if key and "." in key else None

    def used(self, article: Article | str) -> int:
        article_id = article if isinstance(article, str) else article.id
        spans = self._spans.get(article_id)
        return spans.total() if spans else 0

    def remaining(self, article: Article) -> int:
        return max(0, self.allowance(article) - self.used(article))

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
        spans = self._spans.setdefault(article.id, _Spans())
        room = self.remaining(article)
        cut = end
        if spans.fresh(start, end) > room:
            lo, hi = start, end  # the longest prefix whose fresh characters fit
            while lo < hi:
                mid = (lo + hi + 1) // 2
                if spans.fresh(start, mid) <= room:
                    lo = mid
                else:
                    hi = mid - 1
            cut = lo
            space = text.rfind(" ", start, cut)
            if space > start + (cut - start) // 2:
                cut = space  # end on a word boundary when that costs little
            cut = len(text[start:cut].rstrip()) + start
        if cut <= start:
            return None
        spans.add(start, cut)
        return Quote(article.id, start, cut, text[start:cut], url, truncated=cut < end)

    def full_text(self, article: Article) -> str | None:
        """The whole text when the policy or a grant allows it, else None."""
        if not self.full_text_allowed(article):
            return None
        self._spans.setdefault(article.id, _Spans()).add(0, len(article.text))
        return article.text
