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

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from newsfacts.model import Article, Policy
from newsfacts.policy.neighbours import NeighbourFilter
from newsfacts.policy.quotable import MIN_QUOTE, QuotableSet, allowance_of
from newsfacts.policy.registry import PolicyRegistry, default_registry, source_key
from newsfacts.policy.verbatim import (
    ARG_RUN,
    Coverage,
    TextIndex,
    clip,
    lacks_own_run,
    safe_form,
    windows,
)
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
# Neighbours `wording_reveals` loads in its first batch (later batches double).
_LOAD_FIRST = 16
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


class QuoteBudget:
    """Serves article text from each article's quotable set, one instance per response.

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

    # --- other strings taken from the text -----------------------------------------
    def shown(self, article: Article, value: str) -> str:
        """`value` (a title, an argument, a name) as it may be shown with `article`.

        Unchanged when every verbatim run in it lies inside the quotable set;
        otherwise its lemmas, or it cut short, so nothing outside the set is revealed.
        A form holding a run its own text lacks (a hand-built argument, a normalized
        position) may repeat another stored text: it is checked as composed wording
        is (`wording_reveals`) and clipped if it reveals one beyond its share. The
        other forms' runs lie in the article's own set, already counted for every
        text sharing them (issue 12). `prefetch_shown` batches those look-ups."""
        if len(value) < ARG_RUN:
            return value
        key = (article.id, value)
        if key not in self._shown:
            out = self._own_form(article, value)
            if lacks_own_run(article.text, out) and self.wording_reveals(article, out):
                out = clip(out)
            self._shown[key] = out
        return self._shown[key]

    def _own_form(self, article: Article, value: str) -> str:
        """`value` cut to the article's own quotable set (`verbatim.safe_form`)."""
        if self.full_text_allowed(article):
            return value
        index = self._indexes.get(article.id)
        if index is None:
            index = self._indexes[article.id] = TextIndex(article.text, table=False)
        return safe_form(value, index, self.quotable(article).coverage())

    def prefetch_shown(self, pairs: Iterable[tuple[Article, str]]) -> None:
        """Get ready to show many strings (a page's fact arguments) with their
        articles: the few that `shown` must check on other texts are looked up
        together, the texts holding their runs in one read and the first neighbours
        each may reveal in one more, instead of reads per argument (issue 13). Only a
        cache: `shown` decides, and asks alone for what this did not fill."""
        todo: dict[str, dict[str, Article]] = {}
        for article, value in pairs:
            if len(value) < ARG_RUN or (article.id, value) in self._shown:
                continue
            out = self._own_form(article, value)
            if not lacks_own_run(article.text, out):
                self._shown[(article.id, value)] = out  # `shown`'s answer, found here
                continue
            self.remember(article)
            todo.setdefault(out, {})[article.id] = article
        if not todo or self._load is None:
            return
        self.prefetch(todo)
        first: list[str] = []
        for out, arts in todo.items():
            for article in arts.values():
                first += (self._others(article, out) or [])[:_LOAD_FIRST]
        ids = [i for i in dict.fromkeys(first) if i not in self._articles]
        if ids:
            try:
                self._articles.update(self._load(ids))
            except Exception:  # `wording_reveals` loads them itself (and fails closed)
                return

    def reveals_beyond(self, article: Article, value: str) -> bool:
        """Whether `value` holds a verbatim run (`verbatim.windows`) of the article's
        text outside its quotable set: for wording built from several fields (a
        statement joining names, a verb and a topic), each checked alone."""
        if self.full_text_allowed(article):
            return False
        found = self._reveals.get((article.id, value))
        if found is None:
            index = self._indexes.get(article.id)
            if index is None:
                index = self._indexes[article.id] = TextIndex(article.text, table=False)
            wins = self._windows.get(value)
            if wins is None:
                wins = self._windows[value] = list(windows(value))
            found = not self.quotable(article).coverage().covers(index.revealed(value, wins))
            self._reveals[(article.id, value)] = found
        return found

    def prefetch(self, values: Iterable[str]) -> None:
        """Look up the texts holding each of `values` (statements a page is about to
        compose) in one read instead of one per statement (~150 on a dossier page,
        issue 13). Only a cache: what it fails to fill, `wording_reveals` asks alone."""
        if self._holding_many is None or self._load is None:
            return
        todo = [v for v in dict.fromkeys(values) if v not in self._held]
        if not todo:
            return
        try:
            found = self._holding_many(todo)
        except Exception:  # the per-statement look-up decides (and fails closed)
            return
        for value in todo:
            if value in found:
                self._held[value] = list(found[value])
        if self._neighbours is not None:
            # The neighbours of the articles the page quotes, each article's once:
            # the loaded neighbours' own neighbours (a dossier's ~10,000 ids, asked
            # again at each prefetch) are never the ones `_others` filters (issue 13).
            new = [i for i in self._subjects if i not in self._taught]
            self._taught.update(new)
            self._neighbours.learn(n for i in new for n in self.quotable(self._articles[i]).near())

    def wording_reveals(self, article: Article, value: str) -> bool:
        """`reveals_beyond` on the article, on every stored article sharing text
        with it (`QuotableSet.near`: a statement built from one retelling's fact can
        repeat another retelling's sentence word for word) and on every stored text
        holding a run of `value` (`holding`: a template word and an argument can
        together repeat an unrelated article).

        The others are loaded a batch at a time and the first one the wording
        reveals decides: a phrase common to many stories (hundreds of holders at
        20k articles) was loaded whole before any was checked (issue 13). The
        verdict is the same: True as soon as any text is revealed, False only
        after every one was checked. Each (article, wording) is decided once per
        response: an entity page checks each statement twice (its card, the
        timeline), and the list of others cost as much again (issue 13)."""
        found = self._wordings.get((article.id, value))
        if found is None:
            found = self._wordings[(article.id, value)] = self._wording_reveals(article, value)
        return found

    def _wording_reveals(self, article: Article, value: str) -> bool:
        if self.reveals_beyond(article, value):
            return True
        others = self._others(article, value)
        if others is None:  # a failing lookup must never widen what is shown
            return True
        done, step = 0, _LOAD_FIRST
        while done < len(others):
            batch = others[done : done + step]
            done, step = done + len(batch), step * 2
            near = [i for i in batch if i not in self._articles]
            if near and self._load is not None:
                try:
                    self._articles.update(self._load(near))
                except Exception:  # a failing lookup must never widen what is shown
                    return True
            for nid in batch:
                other = self._articles.get(nid)
                if other is not None and self.reveals_beyond(other, value):
                    return True
        return False

    def _others(self, article: Article, value: str) -> list[str] | None:
        """The stored texts besides `article` that `value` may reveal: its neighbours
        and the texts holding a run of it, in the order `wording_reveals` checks
        them; None when the look-up failed."""
        others = list(self.quotable(article).near())
        if self._holding is not None and self._load is not None:
            held = self._held.get(value)
            if held is None:
                try:  # wording of one story can match an unrelated text («планируется …»)
                    held = self._held[value] = list(self._holding(value))
                except Exception:
                    return None
            others = self._maybe_holding(others, held, value)
            others += [i for i in held if i != article.id]
        return list(dict.fromkeys(others))

    def _maybe_holding(self, near: list[str], held: list[str], value: str) -> list[str]:
        """The neighbours that may hold a run of `value` though `holding` did not name
        them (`policy.neighbours`); the others hold none, so `value` reveals nothing of
        them and they need not be loaded. All of `near` without `unseen`."""
        if self._neighbours is None:
            return near
        named = set(held)
        return self._neighbours.candidates(
            [i for i in dict.fromkeys(near) if i not in named], value
        )

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
