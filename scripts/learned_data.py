"""Training examples for `scripts/train_learned.py`, from NEREL brat files.

One pass of the full extraction pipeline over each document gives the rules'
decisions and every candidate's features, computed by the same code the extractor
runs (`newsfacts.extract.learned.*`); gold labels come from the `.ann` file:

- tagger: each token O / B-POST / I-POST / B-EVENT / I-EVENT (outermost PROFESSION
  and EVENT spans);
- places: each (rule post chunk, ORG/LOC mention) pair, positive when NEREL has
  WORKPLACE from the profession the chunk heads, or from a person holding it
  (WORKS_AS), to a span the mention overlaps;
- events: each (person/org/place mention, gold EVENT span) pair, positive when NEREL
  has PARTICIPANT_IN or AGENT from a span the mention overlaps to that event.

The result is cached (gzip JSON) per split; the test split is never read.
"""

from __future__ import annotations

import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

Span = tuple[int, int]


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def outermost(spans: list[Span]) -> list[Span]:
    """Spans not inside another one (NEREL nests professions and events)."""
    out = []
    for s in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if out and s[0] < out[-1][1]:
            continue
        out.append(s)
    return out


def posts_of(profs: list[Span], start: int, stop: int) -> set[Span]:
    """The PROFESSION spans a post word heads (see train_occupation_pairs.posts_of)."""
    inside = [p for p in profs if p[0] <= start and stop <= p[1]]
    if not inside:
        return set()
    inner = min(inside, key=lambda p: p[1] - p[0])
    return {p for p in inside if p[0] == inner[0]}


def bio(sent: Any, spans: list[Span], label: str, tags: list[str]) -> None:
    for s in spans:
        inside = [k for k, t in enumerate(sent.tokens) if t.start >= s[0] and t.stop <= s[1]]
        if not inside or any(tags[k] != "O" for k in inside):
            continue
        tags[inside[0]] = f"B-{label}"
        for k in inside[1:]:
            tags[k] = f"I-{label}"


def process(doc: Any, ann: Any) -> dict[str, Any]:
    from newsfacts.extract import occupation as occ
    from newsfacts.extract.learned.events import event_candidates, event_kind, rule_roles
    from newsfacts.extract.learned.places import place_candidates
    from newsfacts.extract.learned.relfeats import sent_info, token_span
    from newsfacts.extract.learned.tagger import sentence_features

    profs = [(m.start, m.end) for m in ann.mentions if m.type == "PROFESSION"]
    events = [(m.start, m.end) for m in ann.mentions if m.type == "EVENT"]
    rel = {
        t: [(r.arg1, r.arg2) for r in ann.relations if r.type == t]
        for t in ("WORKS_AS", "WORKPLACE", "PARTICIPANT_IN", "AGENT")
    }
    works, places_gold = rel["WORKS_AS"], rel["WORKPLACE"]
    parts = rel["PARTICIPANT_IN"] + rel["AGENT"]
    rules = occ.rule_facts(doc)
    # the rule facts' (post head start -> place id) to mark the rules' own choice
    roles = rule_roles(doc.facts)
    tag_rows, place_rows, event_rows = [], [], []
    for sent, chunks in rules.chunks:
        tags = ["O"] * len(sent.tokens)
        bio(sent, outermost([p for p in profs if sent.start <= p[0] < sent.stop]), "POST", tags)
        sent_events = [e for e in events if sent.start <= e[0] and e[1] <= sent.stop]
        bio(sent, outermost(sent_events), "EVENT", tags)
        tag_rows.append({"x": sentence_features(sent, chunks), "y": tags})
        info = sent_info(sent)
        starts = {c.first: c for c in chunks}
        for chunk in chunks:
            head = sent.tokens[chunk.head]
            where, doc_level = occ.place_of(doc, sent, chunk, None, starts, rules.main_country)
            mine = posts_of(profs, head.start, head.stop)
            holders = [w for w, p in works if p in mine]
            for c in place_candidates(info, chunk, where, doc_level):
                m = (c.mention[0], c.mention[1])
                label = any(
                    _overlap(b, m) and (a in mine or any(_overlap(a, h) for h in holders))
                    for a, b in places_gold
                )
                place_rows.append(
                    {
                        "x": c.features,
                        "y": label,
                        "chunk": f"{sent.start}:{chunk.head}",
                        "rule": "rule_place" in c.features,
                    }
                )
        for ev in sent_events:
            span = token_span(sent, ev[0], ev[1])
            if span is None:
                continue
            for c in event_candidates(info, span, roles):
                m = (c.mention[0], c.mention[1])
                label = any(b == ev and _overlap(a, m) for a, b in parts)
                event_rows.append(
                    {
                        "x": c.features,
                        "y": label,
                        "kind": event_kind(sent, span),
                        "rule": any(k.startswith("rule_") and k != "rule_none" for k in c.features),
                    }
                )
    return {"tags": tag_rows, "places": place_rows, "events": event_rows}


def extract_split(folder: Path, cache: Path, limit: int | None = None) -> list[dict[str, Any]]:
    if cache.exists():
        with gzip.open(cache, "rt", encoding="utf-8") as fh:
            return json.load(fh)
    from newsfacts.eval.metrics import time_limit
    from newsfacts.eval.nerel import read_ann
    from newsfacts.model import Article
    from newsfacts.pipeline import default_pipeline

    pipe = default_pipeline()
    files = sorted(folder.glob("*.txt"))[:limit]
    out = []
    t0 = time.time()
    for n, txt in enumerate(files, 1):
        ann_path = txt.with_suffix(".ann")
        if not ann_path.exists():
            continue
        with open(txt, encoding="utf-8", newline="") as fh:
            text = fh.read()
        try:
            with time_limit(120):
                doc = pipe.make_doc(Article(id=txt.stem, text=text))
                rec = process(doc, read_ann(ann_path))
        except Exception as exc:  # one bad document must not end the run
            print(f"  {txt.name}: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
            continue
        rec["name"] = txt.name
        out.append(rec)
        if n % 50 == 0:
            print(f"  {folder.name}: {n}/{len(files)}, {time.time() - t0:.0f} s", file=sys.stderr)
    cache.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(cache, "wt", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)
    return out
