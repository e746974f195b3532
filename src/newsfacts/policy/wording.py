"""Strings other than quotes that a response takes from article text, checked so
that none reveals text outside a quotable set: titles, fact arguments, names, and
wording composed from them (a statement joining names, a verb and a topic).

A string is shown as it is only when every verbatim run in it (`verbatim.windows`)
lies inside its article's set; composed wording is also checked on every stored text
sharing text with the article (`QuotableSet.near`) and on every text holding a run of
it (`holding`), because a template word and an argument can together repeat an
unrelated article (issue 12). `WordingChecks` is the part of `policy.quota.QuoteBudget`
that does this; the budget holds the state it reads (sets, grants, loaded articles
and the per-response memos, set up in `QuoteBudget.__init__`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsfacts.model import Article
from newsfacts.policy.neighbours import NeighbourFilter
from newsfacts.policy.quotable import QuotableSet
from newsfacts.policy.verbatim import (
    ARG_RUN,
    TextIndex,
    clip,
    lacks_own_run,
    safe_form,
    windows,
)

# Neighbours `wording_reveals` loads in its first batch (later batches double).
_LOAD_FIRST = 16


class WordingChecks:
    """`shown`, `reveals_beyond`, `wording_reveals` and their batched look-ups
    (`prefetch`, `prefetch_shown`); mixed into `QuoteBudget`, which provides
    `full_text_allowed`, `quotable` and `remember` and the state below."""

    _load: Callable[[list[str]], dict[str, Article]] | None
    _holding: Callable[[str], list[str]] | None
    _holding_many: Callable[[list[str]], dict[str, list[str]]] | None
    _neighbours: NeighbourFilter | None
    _held: dict[str, list[str]]
    _indexes: dict[str, TextIndex]
    _shown: dict[tuple[str, str], str]
    _articles: dict[str, Article]
    _windows: dict[str, list[tuple[int, int]]]
    _reveals: dict[tuple[str, str], bool]
    _wordings: dict[tuple[str, str], bool]
    _subjects: dict[str, None]
    _taught: set[str]
    full_text_allowed: Callable[[Article], bool]
    quotable: Callable[[Article], QuotableSet]
    remember: Callable[[Article], None]

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
