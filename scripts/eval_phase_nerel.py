"""Occupation phase (current / start / end / past) against NEREL's annotation.

    .venv/bin/python scripts/eval_phase_nerel.py --data ../shared/data/nerel-1.1/dev

NEREL has no phase on WORKS_AS. Its START_TIME / END_TIME relations link an EVENT
(or a work, a penalty) to a date; they are counted here against occupation facts, but
on NEREL 1.1 none concerns a post. What NEREL does annotate is the change itself: an
EVENT mention ("назначен", "отставку", "уволил") with the appointee in
PARTICIPANT_IN (the appointer is AGENT; for a resignation the leaver may be AGENT).
So the gold phase of a WORKS_AS (person, profession) pair is

- start: the person is PARTICIPANT_IN an appointment/election event in the sentence
  of the profession mention (or the event has a START_TIME);
- end: the person is PARTICIPANT_IN a dismissal/resignation event there, or AGENT of a
  resignation (or the event has an END_TIME);
- none: neither (current or past: NEREL does not tell them apart).

Each occupation fact that matches a gold WORKS_AS (person and post spans overlap, as
`newsfacts eval nerel` counts) is compared with that pair's gold phase; the script
prints the confusion table and the accuracy on start/end pairs. The event words that
decide start or end are the patterns below, applied to NEREL's event mentions, not
to our text.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

START = re.compile(r"назнач|избра|избер|возглав|вступ|утвер|занял|заступ|переизбра|инаугур")
END = re.compile(r"отставк|уволь|уволи|увольн|освобо|покину|покида|сложи|сняли|снят|отре|отрёк")
SELF_END = re.compile(r"отставк|сложи|покину|покида|отре|отрёк")

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def gold_phases(text: str, ann_path: Path) -> tuple[list[tuple[Span, Span, str]], Counter]:
    """(person span, profession span, gold phase) per WORKS_AS, and counts of the
    START_TIME/END_TIME relations by what their first argument is."""
    ents: dict[str, tuple[str, Span]] = {}
    rels: list[tuple[str, str, str]] = []
    for line in ann_path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            etype, _, frags = cols[1].partition(" ")
            bounds = [tuple(map(int, f.split())) for f in frags.split(";")]
            ents[cols[0]] = (etype, (min(b[0] for b in bounds), max(b[1] for b in bounds)))
        elif line.startswith("R") and len(cols) >= 2:
            r, a1, a2 = cols[1].split()[:3]
            rels.append((r, a1.partition(":")[2], a2.partition(":")[2]))
    timed = {a1: r for r, a1, _ in rels if r in ("START_TIME", "END_TIME")}
    kinds = Counter(
        f"{r} of {ents[a1][0]}"
        for r, a1, _ in rels
        if r in ("START_TIME", "END_TIME") and a1 in ents
    )

    def sentence(span: Span) -> Span:
        lo = max(text.rfind(".", 0, span[0]), text.rfind("\n", 0, span[0])) + 1
        hi = min(
            [x for x in (text.find(".", span[1]), text.find("\n", span[1])) if x >= 0]
            or [len(text)]
        )
        return lo, hi

    changes: list[tuple[str, Span, str]] = []  # (person id, event span, phase)
    for r, a1, a2 in rels:
        if r not in ("PARTICIPANT_IN", "AGENT") or a2 not in ents or a1 not in ents:
            continue
        etype, espan = ents[a2]
        if etype != "EVENT" or ents[a1][0] != "PERSON":
            continue
        words = text[espan[0] : espan[1]].lower()
        phase = None
        if timed.get(a2) == "START_TIME" or (r == "PARTICIPANT_IN" and START.search(words)):
            phase = "start"
        if timed.get(a2) == "END_TIME" or (
            END.search(words) and (r == "PARTICIPANT_IN" or SELF_END.search(words))
        ):
            phase = "end"
        if phase:
            changes.append((a1, espan, phase))
    out = []
    for r, a1, a2 in rels:
        if r != "WORKS_AS" or a1 not in ents or a2 not in ents:
            continue
        pspan = ents[a2][1]
        sent = sentence(pspan)
        # the same person mention, or another mention of the same name in the sentence
        same = {a1} | {
            k
            for k, (t, s) in ents.items()
            if t == "PERSON" and text[s[0] : s[1]] == text[ents[a1][1][0] : ents[a1][1][1]]
        }
        phase = "none"
        for who, espan, ph in changes:
            if who in same and sent[0] <= espan[0] < sent[1]:
                phase = ph
        out.append((ents[a1][1], pspan, phase))
    return out, kinds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="a NEREL split folder")
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    from newsfacts.eval.nerel_predictions import _mention_near, position_span
    from newsfacts.model import Article
    from newsfacts.pipeline import default_pipeline

    pipe = default_pipeline()
    files = sorted(args.data.glob("*.txt"))[: args.limit]
    table: Counter = Counter()
    timed: Counter = Counter()
    gold_counts: Counter = Counter()
    for txt in files:
        ann = txt.with_suffix(".ann")
        if not ann.exists():
            continue
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        gold, kinds = gold_phases(text, ann)
        timed.update(kinds)
        gold_counts.update(g[2] for g in gold)
        doc = pipe.make_doc(Article(id=txt.stem, text=text))
        for f in doc.facts:
            if f.type != "occupation":
                continue
            ev = [tuple(e) for e in f.evidence] or [(0, len(text))]
            pos = position_span(text, f.args, ev)
            who = _mention_near(doc, f.args.get("person"), pos or ev[0], ev)
            if not pos or not who:
                continue
            hits = [g for g in gold if _overlap(g[0], who) and _overlap(g[1], pos)]
            if hits:
                phases = {g[2] for g in hits}
                gphase = "start" if "start" in phases else "end" if "end" in phases else "none"
                table[(gphase, f.args.get("phase", "-"))] += 1
    print(f"{len(files)} documents; gold WORKS_AS by phase: {dict(gold_counts)}")
    print(
        f"START_TIME/END_TIME relations by first argument: {dict(timed)} "
        "(none links a post or a WORKS_AS)"
    )
    cols = ("start", "end", "current", "past", "-")
    print("gold \\ ours  " + "  ".join(f"{c:>7}" for c in cols))
    for g in ("start", "end", "none"):
        print(f"{g:>11}  " + "  ".join(f"{table[(g, c)]:>7}" for c in cols))
    changes = sum(table[(g, c)] for g in ("start", "end") for c in cols)
    right = table[("start", "start")] + table[("end", "end")]
    none = sum(table[("none", c)] for c in cols)
    false = table[("none", "start")] + table[("none", "end")]
    print(
        f"start/end pairs: {right}/{changes} right ({right / max(1, changes):.3f}); "
        f"pairs with no change marked start or end: {false}/{none} ({false / max(1, none):.3f})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
