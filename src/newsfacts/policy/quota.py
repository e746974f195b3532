"""Every piece of article text leaves the system through a `QuoteBudget`.

Since issue 12 the budget no longer decides per response what may be quoted: each
article carries its `QuotableSet` (chosen once, at ingest, within the source's
share) and the budget shows text only from inside it. Any number of responses
together therefore reveal at most the set. The budget still applies what is known
only when serving: a grant (`newsfacts policy grant`) opens the full text, and a
stricter registry than the one used at ingest keeps only a prefix of the set.

When a quote is withheld the budget says why (`reason`), so pages and the API can
tell "no link to the article" from "share used up".
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from newsfacts.model import Article, Policy
from newsfacts.policy.neighbours import NeighbourFilter
from newsfacts.policy.quotable import MIN_QUOTE, QuotableSet, allowance_of
from newsfacts.policy.registry import PolicyRegistry, default_registry, source_key
from newsfacts.policy.verbatim import Coverage, TextIndex
from newsfacts.policy.wording import WordingChecks
from newsfacts.urls import http_url

WITHHELD = "quote withheld by the source's reuse policy"
# Why a quote is not shown: a code for programs, a line for readers.
REASONS = {
    "no_link": "нет ссылки на статью: источник разрешает цитаты только со ссылкой",
    "forbidden": "источник не разрешает цитировать текст",
    "too_short": "доля источника меньше минимальной цитаты",
    "share_exhausted": "доля источника исчерпана: цитата не вошла в допустимую часть текста",
}
__all__ = ["MIN_QUOTE", "REASONS", "WITHHELD", "Quote", "QuoteBudget"]
# The budget of the response being built, for wording composed after the presenters
# ran (the pages' statements), which must not repeat text outside the set either.
_CURRENT: ContextVar[QuoteBudget | None] = ContextVar("newsfacts_quote_budget", default=None)


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


class QuoteBudget(WordingChecks):
    """Serves article text from each article's quotable set, one instance per response;
    other strings taken from the text (titles, arguments, names, composed wording) go
    through its `WordingChecks` (`policy.wording`).

    `permitted(source_key)` says whether the editors granted full-text use (the
    store's `has_permission`); it is asked once per source per budget.
    """

    def __init__(
        self,
        registry: PolicyRegistry | None = None,
        permitted: Callable[[str], bool] | None = None,
        articles: Callable[[list[str]], dict[str, Article]] | None = None,
        holding: Callable[[str], list[str]] | None = None,
        holding_many: Callable[[list[str]], dict[str, list[str]]] | None = None,
        unseen: Callable[[list[str], list[str]], set[str]] | None = None,
        texts: Callable[[list[str]], dict[str, str]] | None = None,
    ) -> None:
        """`articles(ids)` loads stored articles with their sets (the neighbours that
        `wording_reveals` checks); without it only the fact's own article is checked.
        `holding(value)`: the stored articles whose text holds a run of `value`, which
        `wording_reveals` checks too (composed wording can match any text);
        `holding_many(values)` the same for many values in one read (`prefetch`).
        `unseen(ids, strings)`: those of `ids` that `holding` may miss (no indexed
        runs, or holding one of `strings`: `store.unseen`); with it the neighbours
        `holding` does not name are loaded only if unseen (issue 13); `texts(ids)`
        the neighbours' texts, searched in Python for edge strings (`policy.neighbours`)."""
        self.registry = registry or default_registry()
        self._permitted = permitted
        self._load = articles
        self._holding = holding
        self._holding_many = holding_many
        self._neighbours = NeighbourFilter(unseen, texts) if unseen is not None else None
        self._held: dict[str, list[str]] = {}  # statement -> texts holding a run of it
        self._grants: dict[str, bool] = {}  # by source key; the next one by article id
        self._granted: dict[str, bool] = {}
        self._sets: dict[str, QuotableSet] = {}
        self._indexes: dict[str, TextIndex] = {}
        self._shown: dict[tuple[str, str], str] = {}
        self._quoted: dict[str, Coverage] = {}
        self._articles: dict[str, Article] = {}
        # Per response, so a page checking 250 statements against ~40 neighbours each
        # resolves each article's allowance and each statement's windows once (issue 13).
        self._allowances: dict[str, int | None] = {}
        self._policies: dict[str, Policy] = {}
        self._windows: dict[str, list[tuple[int, int]]] = {}
        self._reveals: dict[tuple[str, str], bool] = {}
        self._wordings: dict[tuple[str, str], bool] = {}  # `wording_reveals`' verdicts
        self._titles: dict[str, str | None] = {}
        # Articles remembered (those the response quotes or shows strings of), and
        # those whose neighbours `prefetch` has taught the neighbour filter.
        self._subjects: dict[str, None] = {}
        self._taught: set[str] = set()

    def activate(self) -> QuoteBudget:
        """Make this the budget of the response being built (`current`)."""
        _CURRENT.set(self)
        return self

    @staticmethod
    def current() -> QuoteBudget | None:
        return _CURRENT.get()

    def remember(self, article: Article) -> None:
        """Keep `article` at hand for `reveals_beyond` checks by id later in the response."""
        self._articles[article.id] = article
        self._subjects.setdefault(article.id, None)

    def article(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    # --- policy -----------------------------------------------------------------
    def policy(self, article: Article) -> Policy:
        """Resolved once per article and response: a page asks for each quote."""
        found = self._policies.get(article.id)
        if found is None:
            found = self._policies[article.id] = self.registry.resolve(article)
        return found

    def granted(self, article: Article) -> bool:
        if article.id not in self._granted:
            key = source_key(article.source, article.url)
            self._granted[article.id] = key is not None and self._grant(key)
        return self._granted[article.id]

    def _grant(self, key: str) -> bool:
        if self._permitted is None:
            return False
        if key not in self._grants:
            try:
                self._grants[key] = bool(self._permitted(key))
            except Exception:  # a failing permission lookup must never widen access
                self._grants[key] = False
        return self._grants[key]

    def full_text_allowed(self, article: Article) -> bool:
        return self.allowance(article) is None

    def allowance(self, article: Article) -> int | None:
        """Characters of `article` that may ever be shown in total; None: no limit."""
        if article.id not in self._allowances:
            self._allowances[article.id] = allowance_of(
                self.policy(article), len(article.text), self.granted(article)
            )
        return self._allowances[article.id]

    def link(self, article: Article) -> str | None:
        """The article's own http(s) URL; never a home page standing in for it."""
        return http_url(article.url)

    def quotable(self, article: Article) -> QuotableSet:
        """The article's stored set, cut to the serving policy (empty when none is stored)."""
        found = self._sets.get(article.id)
        if found is None:
            stored = article.quotable or QuotableSet(len(article.text), 0)
            found = stored.within(self.allowance(article), article.text, article.title)
            if found.allowance is None and stored.allowance is not None:
                found = stored  # a set is never widened; the grant opens full text instead
            self._sets[article.id] = found
        return found

    def shown_offsets(self, article: Article) -> bytearray:
        """Every offset of the text that may be shown (1), over all responses."""
        if self.full_text_allowed(article):
            return bytearray(b"\x01" * len(article.text))
        return bytearray(self.quotable(article).coverage().mask)

    def used(self, article: Article | str) -> int:
        """Characters of the article quoted in this response (a repeat counts once)."""
        cov = self._quoted.get(article if isinstance(article, str) else article.id)
        return cov.size() if cov else 0

    # --- quoting ----------------------------------------------------------------
    def reason(self, article: Article) -> str | None:
        """Why quotes of `article` may be withheld before looking at a span; None: may quote."""
        policy = self.policy(article)
        if self.full_text_allowed(article):
            return None
        if policy.link_required and not self.link(article):
            return "no_link"
        allowance = self.allowance(article) or 0
        if allowance <= 0:
            return "forbidden"
        if allowance < MIN_QUOTE:
            return "too_short"
        return None

    def quote(self, article: Article, start: int, end: int) -> Quote | None:
        q = self.quote_or_reason(article, start, end)
        return q if isinstance(q, Quote) else None

    def quote_or_reason(self, article: Article, start: int, end: int) -> Quote | str:
        """The span, or its longest part inside the quotable set; else the reason code."""
        text = article.text
        start, end = max(0, int(start)), min(len(text), int(end))
        if end <= start:
            return "share_exhausted"
        if self.full_text_allowed(article):
            return self._note(article, start, end, end)
        why = self.reason(article)
        if why is not None:
            return why
        part = self.quotable(article).coverage().longest_covered(start, end)
        if part is None:
            return "share_exhausted"
        a, b = part
        if (a, b) != (start, end) and b - a < MIN_QUOTE:
            return "share_exhausted"
        return self._note(article, a, b, end)

    def _note(self, article: Article, start: int, cut: int, end: int) -> Quote:
        cov = self._quoted.get(article.id)
        if cov is None:  # not `setdefault`: that built a mask per quote (~1,300 a page)
            cov = self._quoted[article.id] = Coverage(len(article.text))
        cov.add((start, cut))
        text = article.text[start:cut]
        return Quote(article.id, start, cut, text, self.link(article), truncated=cut < end)

    def full_text(self, article: Article) -> str | None:
        """The whole text when the policy or a grant allows it, else None."""
        if not self.full_text_allowed(article):
            return None
        self._note(article, 0, len(article.text), len(article.text))
        return article.text

    def title(self, article: Article) -> str | None:
        """The title as the quotable set holds it (whole, cut short, or None); once
        per article and response: a dossier shows it on each of an article's cards."""
        if article.id in self._titles:
            return self._titles[article.id]
        if self.full_text_allowed(article):
            found = article.title
        else:
            found = self.quotable(article).title(article.title)
        self._titles[article.id] = found
        return found
