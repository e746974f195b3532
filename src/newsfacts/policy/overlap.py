"""Text that articles share, and what all quotable sets together reveal of each one.

Retellings of one story share sentences, and a run shown as article A's quote also
reveals article B wherever B holds the same characters. A client combining every
response reads the union over all articles' sets, so the guarantee is per article
over that union: the *exposure* of B (its own set, plus every run of any other
article's set that occurs in B) stays within B's allowance (issue 12).

`SharedText` finds, for a group of texts, every countable run (`verbatim.windows`)
that occurs more than once, within one text or across texts. `Exposure` keeps each
article's revealed offsets and answers whether showing one more span keeps every
article it touches within its allowance. The chooser of `policy.quotable` takes a
span only when it does, so sets chosen one after another, each against the
exposure left by those before, keep the union within every share.
"""

from __future__ import annotations

from collections.abc import Iterable

from newsfacts.policy.verbatim import MIN_RUN, Coverage, Span, windows

Reveal = dict[str, list[Span]]


class SharedText:
    """Every countable run occurring more than once in a group of texts."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts
        places: dict[str, list[tuple[str, int]]] = {}
        for aid, text in texts.items():
            for i, size in windows(text):
                places.setdefault(text[i : i + size], []).append((aid, i))
        self.groups: list[tuple[int, list[tuple[str, int]]]] = []
        self.at: dict[str, dict[int, list[int]]] = {}
        self.linked: set[str] = set()
        for window, where in places.items():
            if len(where) < 2:
                continue
            gid = len(self.groups)
            self.groups.append((len(window), where))
            owners = {aid for aid, _ in where}
            if len(owners) > 1:
                self.linked.update(owners)
            for aid, i in where:
                self.at.setdefault(aid, {}).setdefault(i, []).append(gid)

    def neighbours(self, aid: str) -> set[str]:
        """The other articles sharing at least one countable run with `aid`."""
        out: set[str] = set()
        for gids in self.at.get(aid, {}).values():
            for gid in gids:
                out.update(other for other, _ in self.groups[gid][1])
        out.discard(aid)
        return out

    def reveals(self, aid: str, span: Span) -> Reveal:
        """What showing `span` of `aid` reveals: the span itself, and every occurrence
        (in `aid` or any other text) of each countable run inside it."""
        a, b = span
        out: Reveal = {aid: [span]}
        at = self.at.get(aid)
        if not at or b - a < MIN_RUN:
            return out
        # Each run's occurrences once per call: a run repeated all along a long word
        # ("жжж…", 2,000 letters) is one group of ~2,000 places met at each of ~2,000
        # offsets, and listing them at every offset made saving that article cost
        # minutes (issue 12). The spans are a union, so listing a run once is the same.
        listed: set[int] = set()
        for i in range(a, b - MIN_RUN + 1):
            for gid in at.get(i, ()):
                size, where = self.groups[gid]
                if i + size > b or gid in listed:
                    continue
                listed.add(gid)
                for other, j in where:
                    out.setdefault(other, []).append((j, j + size))
        return out


class Exposure:
    """The offsets of each article revealed so far, against its allowance."""

    def __init__(self, shared: SharedText, allowances: dict[str, int | None]) -> None:
        self.shared = shared
        self.allowances = allowances
        self.cov = {aid: Coverage(len(text)) for aid, text in shared.texts.items()}

    def room(self, aid: str) -> int:
        allowance = self.allowances.get(aid)
        if allowance is None:
            return len(self.shared.texts[aid])
        return allowance - self.cov[aid].size()

    def fits(self, reveal: Reveal) -> bool:
        for aid, spans in reveal.items():
            if self.allowances.get(aid) is None:
                continue
            if self.cov[aid].cost(spans) > self.room(aid):
                return False
        return True

    def add(self, reveal: Reveal) -> None:
        for aid, spans in reveal.items():
            cov = self.cov[aid]
            for span in spans:
                cov.add(span)

    def show(self, aid: str, spans: Iterable[Span]) -> None:
        """Count pieces already chosen (a stored set) as revealed."""
        for span in spans:
            self.add(self.shared.reveals(aid, span))

    def over(self, aid: str) -> bool:
        allowance = self.allowances.get(aid)
        return allowance is not None and self.cov[aid].size() > allowance


def single(aid: str, text: str, allowance: int | None) -> Exposure:
    """The exposure of one article alone (its own repeated runs still count twice)."""
    return Exposure(SharedText({aid: text}), {aid: allowance})
