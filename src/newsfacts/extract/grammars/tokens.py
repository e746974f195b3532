"""Small views over the natasha layer that the relation extractors share.

natasha gives flat token lists with string ids ("3_7") and string head ids; the
extractors need per-sentence indexes, children and the entity behind a token, so
those lookups are built once per sentence here.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from newsfacts.model import Entity
from newsfacts.pipeline import Doc, TimeExpr

PUNCT_BREAK = frozenset(",.;:!?()—–")


@dataclass
class Sent:
    """One natasha sentence with id lookups and the entity mentions inside it."""

    start: int
    stop: int
    tokens: list[Any]
    index: dict[str, int] = field(default_factory=dict)
    mentions: list[tuple[int, int, Entity, str]] = field(default_factory=list)

    kids: dict[str, list[Any]] = field(default_factory=dict)

    def children(self, token: Any) -> list[Any]:
        # built once per sentence: extractors ask for children of every token, and a
        # scan per call is quadratic on the run-on "sentences" of tables and lists
        if not self.kids and self.tokens:
            for t in self.tokens:
                self.kids.setdefault(t.head_id, []).append(t)
        return list(self.kids.get(token.id, ()))

    def head(self, token: Any) -> Any | None:
        i = self.index.get(token.head_id)
        return self.tokens[i] if i is not None else None

    def ancestors(self, token: Any, limit: int = 12) -> list[Any]:
        out: list[Any] = []
        cur = self.head(token)
        while cur is not None and len(out) < limit and cur not in out:
            out.append(cur)
            cur = self.head(cur)
        return out

    def entity_at(self, token: Any, types: tuple[str, ...] | None = None) -> Entity | None:
        """The entity whose mention covers the token, preferring the longest mention."""
        best: tuple[int, Entity] | None = None
        for start, stop, ent, _kind in self.mentions:
            if start <= token.start and token.stop <= stop:
                if types and ent.type not in types:
                    continue
                if best is None or stop - start > best[0]:
                    best = (stop - start, ent)
        return best[1] if best else None

    def mentions_between(
        self, start: int, stop: int, types: tuple[str, ...] | None = None
    ) -> list[tuple[int, int, Entity, str]]:
        return [
            m
            for m in self.mentions
            if m[0] >= start and m[1] <= stop and (types is None or m[2].type in types)
        ]


def sentences(doc: Doc) -> list[Sent]:
    """Per-sentence views, with the doc's entity mentions distributed into them."""
    if doc.nlp is None:
        return []
    by_id = {e.id: e for e in doc.entities}
    mentions = sorted(
        (m.start, m.end, by_id[m.entity_id], m.kind) for m in doc.mentions if m.entity_id in by_id
    )
    starts = [m[0] for m in mentions]
    out: list[Sent] = []
    for s in doc.nlp.sents:
        toks = list(s.tokens)
        sent = Sent(start=s.start, stop=s.stop, tokens=toks)
        sent.index = {t.id: i for i, t in enumerate(toks)}
        # The mentions inside the sentence, in sorted order: found from the first one
        # starting in it (bisection), not by scanning every mention of the text for
        # every sentence, which made this quadratic in the text (issue 12).
        inside = []
        for i in range(bisect_left(starts, s.start), len(mentions)):
            m = mentions[i]
            if m[0] > s.stop:
                break
            if m[1] <= s.stop:
                inside.append(m)
        sent.mentions = inside
        out.append(sent)
    return out


def lemma(token: Any) -> str:
    return (token.lemma or token.text).lower().replace("ё", "е")


def is_break(token: Any) -> bool:
    return token.pos == "PUNCT" and token.text in PUNCT_BREAK


def is_finite_verb(token: Any) -> bool:
    feats = token.feats or {}
    return token.pos in ("VERB", "AUX") and feats.get("VerbForm") in ("Fin", None)


def time_args(te: TimeExpr | None) -> dict[str, Any]:
    """`time` is ISO when resolved, else the text with `time_resolved: false`.

    Same convention as the statement facts, so the store and the API read one shape.
    """
    if te is None:
        return {}
    out: dict[str, Any] = {"time": te.value if te.resolved and te.value else te.text}
    if te.kind and te.kind != "point":
        out["time_kind"] = te.kind
    if not te.resolved or not te.value:
        out["time_resolved"] = False
    return out
