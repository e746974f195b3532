"""One deal per signed document: a title line and an anaphoric repeat are not new deals.

News reports a signing once and then returns to it: the title line repeats the lead
(«Узбекистан и Китай подписали 15 документов» over «… подписаны 15 документов»), and
a later sentence names the signatories of the same document («Документ подписали
генеральный директор завода X и член правления концерна Y»). An analyst wants one
deal with its signatories, not three, so:

- a deal found in the title line folds into the first body deal of a compatible kind;
- a deal whose document is a bare noun (no subject of its own, «Документ», «Контракт»)
  folds into the latest deal of a compatible kind up to `WINDOW` sentences before it,
  adding its signatories (and its parties where the first statement had fewer than two).

Kinds are compatible when equal or when either is the generic «документ».
"""

from __future__ import annotations

from newsfacts.model import Fact
from newsfacts.pipeline import Doc

WINDOW = 3  # sentences between a deal and its anaphoric repeat


def title_end(doc: Doc) -> int:
    """Where a title line ends (the first line break after a line with no full stop),
    or 0 when the text has no title line."""
    text = doc.text
    nl = text.find("\n", 0, 400)
    if nl <= 0 or text[:nl].rstrip().endswith((".", "!", "?", "…")):
        return 0
    return nl


def _compatible(a: Fact, b: Fact) -> bool:
    ka, kb = a.args.get("kind"), b.args.get("kind")
    return ka == kb or "документ" in (ka, kb)


def _anaphoric(fact: Fact) -> bool:
    """«Документ подписали …»: the document phrase is the bare noun."""
    obj = str(fact.args.get("object") or "")
    return "subject" not in fact.args and len(obj.split()) == 1


def _sentence_index(doc: Doc, offset: int) -> int:
    return sum(1 for s, _e in doc.sentences() if s <= offset)


def _fold(into: Fact, other: Fact, *, parties: bool) -> None:
    for key in ("signatories",) + (("parties",) if parties else ()):
        have = into.args.setdefault(key, [])
        have += [p for p in other.args.get(key, []) if p not in have]
    for key in ("subject", "value", "unit"):
        if key in other.args and key not in into.args:
            into.args[key] = other.args[key]
    for span in other.evidence:
        if span not in into.evidence:
            into.evidence.append(span)
    into.confidence = max(into.confidence, other.confidence)


def merge_repeats(doc: Doc, facts: list[Fact]) -> list[Fact]:
    """`facts` (deals in text order) without title and anaphoric repeats."""
    deals = sorted((f for f in facts if f.type == "deal"), key=lambda f: f.evidence[0][0])
    others = [f for f in facts if f.type != "deal"]
    cut = title_end(doc)
    kept: list[Fact] = []
    title: list[Fact] = []
    for fact in deals:
        start = fact.evidence[0][0]
        if cut and start < cut:
            title.append(fact)
            continue
        here = _sentence_index(doc, start)
        prior = [
            k
            for k in kept
            if _compatible(k, fact) and here - _sentence_index(doc, k.evidence[0][0]) <= WINDOW
        ]
        if _anaphoric(fact) and prior:
            target = prior[-1]
            _fold(target, fact, parties=len(target.args.get("parties", [])) < 2)
            continue
        kept.append(fact)
    for fact in title:
        target = next((k for k in kept if _compatible(k, fact)), None)
        if target is None:
            kept.insert(0, fact)
        else:
            _fold(target, fact, parties=False)
            target.evidence = [s for s in target.evidence if s[0] >= cut] or target.evidence
    return others + kept
