"""Which neighbours of an article a wording check must still load (issue 13).

`QuoteBudget.wording_reveals` tests a page's statement on the fact's article, on the
texts the text-runs index names as holding a run of it, and on the article's
neighbours (`QuotableSet.near`, up to 50). A neighbour the index does not name holds
no run of the statement, so the statement cannot reveal it, unless its text has no
indexed runs or holds a run with a hyphen at its edge (`verbatim.hyphen_edged`);
`unseen(ids, strings)` (`Store.texts_unseen`) finds exactly those. This filter asks
once per page which neighbours of the articles at hand have indexed runs (`learn`),
and per statement only for those it does not know. A statement with edge strings
(26 of 309 on a RU dossier) is searched for in its neighbours' texts, read once per
response (`texts`, ~300 of them) instead of once per statement in SQL (`instr`,
13 ms a statement at 200k under load); one page-wide SQL search of every statement's
strings in every neighbour's text cost more still (0.4 s against 0.16 s).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsfacts.policy.verbatim import hyphen_edged

# unseen(ids, strings): those of `ids` without indexed runs or holding one of `strings`
Unseen = Callable[[list[str], list[str]], set[str]]
# texts(ids): the stored texts of `ids`
Texts = Callable[[list[str]], dict[str, str]]


class NeighbourFilter:
    """Per response: which neighbours are known to have indexed runs, and which not."""

    def __init__(self, unseen: Unseen, texts: Texts | None = None) -> None:
        """Without `texts`, edge strings are searched for by `unseen` in SQL."""
        self._unseen = unseen
        self._texts = texts
        self._read: dict[str, str | None] = {}  # neighbour -> its text (None: not stored)
        self._indexed: set[str] = set()  # neighbours known to have indexed runs
        self._unindexed: set[str] = set()  # and known not to
        self._edged: dict[str, list[str]] = {}  # statement -> its hyphen-edge strings

    def learn(self, ids: Iterable[str]) -> None:
        """Look up at once which of `ids` (the neighbours of the articles a page
        shows) have indexed runs. Only a cache: `candidates` asks what it lacks."""
        ask = [i for i in dict.fromkeys(ids) if i not in self._indexed and i not in self._unindexed]
        if not ask:
            return
        try:
            unindexed = self._unseen(ask, [])
        except Exception:  # each statement then asks for its own neighbours
            return
        self._unindexed.update(unindexed)
        self._indexed.update(i for i in ask if i not in unindexed)

    def candidates(self, todo: list[str], value: str) -> list[str]:
        """Those of `todo` (neighbours the index did not name for `value`) that may
        still hold a run of it; all of them if the look-up fails (checking more
        never widens what is shown)."""
        edged = self._edged.get(value)
        if edged is None:  # asked again for each article the statement is checked on
            edged = self._edged[value] = hyphen_edged(value)
        if edged and self._texts is None:
            try:
                found = self._unseen(todo, edged) if todo else set()
            except Exception:
                return todo
            return [i for i in todo if i in found]
        ask = [i for i in todo if i not in self._indexed and i not in self._unindexed]
        if ask:
            try:
                found = self._unseen(ask, [])
            except Exception:
                return todo
            self._unindexed.update(found)
            self._indexed.update(i for i in ask if i not in found)
        if not edged:
            return [i for i in todo if i in self._unindexed]
        return self._holding_edges(todo, edged)

    def _holding_edges(self, todo: list[str], edged: list[str]) -> list[str]:
        """Those of `todo` without indexed runs or whose text holds one of `edged`
        (their indexing known by now), texts read once per response."""
        assert self._texts is not None
        need = [i for i in todo if i in self._indexed and i not in self._read]
        if need:
            try:
                found = self._texts(need)
            except Exception:
                return todo
            self._read.update({i: found.get(i) for i in need})
        return [
            i
            for i in todo
            if i in self._unindexed or any(s in (self._read.get(i) or "") for s in edged)
        ]
