"""`newsfacts eval nerel`: entity and relation P/R/F1 on NEREL (brat `.txt` + `.ann`).

NEREL annotates far more than we extract (29 entity types, nested), so the command
maps what our record has onto NEREL's types and reports every type it was asked
about, including those we do not emit yet (recall 0), instead of quietly leaving
them out:

- entities: person → PERSON, organization → ORGANIZATION, location → COUNTRY / CITY /
  STATE_OR_PROVINCE / LOCATION by subtype; LOC is the union of the four, so our
  locations and natasha's LOC compare on equal terms;
- occupation facts: the position, found inside the fact's evidence → PROFESSION;
  WORKS_AS (person → position) and WORKPLACE (person → `where`);
- ownership facts → OWNER_OF; dates the pipeline found → DATE;
- quantity facts → MONEY (ISO currency unit), PERCENT (`%`) or NUMBER, placed where
  the fact gives the number's span (`value_span`) and otherwise not emitted.

Like the FactRuEval command, the pipeline runs on the file's own text, uncleaned,
so offsets match the annotation. Matching is exact (same type, same start and end)
and relaxed (same type, overlapping spans, one-to-one).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.eval.metrics import (
    DOC_TIMEOUT,
    Score,
    add_doc_timeout,
    add_into,
    format_table,
    time_limit,
)

ENTITY_TYPES = (
    "PERSON",
    "PROFESSION",
    "ORGANIZATION",
    "COUNTRY",
    "CITY",
    "MONEY",
    "PERCENT",
    "NUMBER",
    "DATE",
)
LOC_TYPES = {"COUNTRY", "CITY", "STATE_OR_PROVINCE", "LOCATION", "DISTRICT"}
RELATION_TYPES = ("WORKS_AS", "WORKPLACE", "OWNER_OF")
LOCATION_SUBTYPES = {"country": "COUNTRY", "city": "CITY", "region": "STATE_OR_PROVINCE"}

Span = tuple[int, int]


class NerelError(Exception):
    """A folder or file the command cannot use: reported as one line."""


@dataclass(frozen=True)
class Mention:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Relation:
    type: str
    arg1: Span
    arg2: Span


@dataclass
class Annotation:
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def read_ann(path: Path) -> Annotation:
    """Entities (T) and relations (R) of a brat file; other lines are not ours to score.

    A discontinuous entity ("1647 1658;1674 1704") is scored by its outer extent.
    """
    ann = Annotation()
    spans: dict[str, Span] = {}
    rels: list[tuple[str, str, str]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        try:
            if line.startswith("T"):
                etype, _, frags = cols[1].partition(" ")
                bounds = [tuple(map(int, f.split())) for f in frags.split(";")]
                span = (min(b[0] for b in bounds), max(b[1] for b in bounds))
                spans[cols[0]] = span
                ann.mentions.append(Mention(etype, *span))
            elif line.startswith("R"):
                rtype, a1, a2 = cols[1].split()[:3]
                rels.append((rtype, a1.partition(":")[2], a2.partition(":")[2]))
        except (IndexError, ValueError) as exc:
            raise NerelError(f"{path}:{n}: not a brat entity or relation line ({exc})") from exc
    for rtype, a1, a2 in rels:
        if a1 in spans and a2 in spans:
            ann.relations.append(Relation(rtype, spans[a1], spans[a2]))
    return ann


# ---------------------------------------------------------------------------- matching


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_count(gold: Sequence[Any], pred: Sequence[Any], same: Any) -> int:
    """Greedy one-to-one pairing under `same`; exact matches are unique, so greedy
    is exact for them and close to optimal for overlaps."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        for j, p in enumerate(pred):
            if j not in used and same(g, p):
                used.add(j)
                hits += 1
                break
    return hits


def score_mentions(
    gold: Iterable[Mention], pred: Iterable[Mention], types: Iterable[str], *, relaxed: bool
) -> dict[str, Score]:
    gold_l = list(set(gold))
    pred_l = list(set(pred))
    out = {}
    for t in types:
        g = [m for m in gold_l if m.type == t]
        p = [m for m in pred_l if m.type == t]
        if relaxed:
            hits = match_count(g, p, lambda a, b: _overlap((a.start, a.end), (b.start, b.end)))
        else:
            hits = len(set(g) & set(p))
        out[t] = Score.simple(hits, len(g), len(p))
    return out


def score_relations(
    gold: Iterable[Relation], pred: Iterable[Relation], types: Iterable[str], *, relaxed: bool
) -> dict[str, Score]:
    gold_l = list(set(gold))
    pred_l = list(set(pred))
    out = {}
    for t in types:
        g = [r for r in gold_l if r.type == t]
        p = [r for r in pred_l if r.type == t]
        if relaxed:
            hits = match_count(
                g, p, lambda a, b: _overlap(a.arg1, b.arg1) and _overlap(a.arg2, b.arg2)
            )
        else:
            hits = len(set(g) & set(p))
        out[t] = Score.simple(hits, len(g), len(p))
    return out


def with_loc_group(mentions: Iterable[Mention]) -> list[Mention]:
    """Every location-like mention once more as LOC, for the comparison with natasha."""
    out = list(mentions)
    out += [Mention("LOC", m.start, m.end) for m in out if m.type in LOC_TYPES]
    return out


# ---------------------------------------------------------------------------- our output


def locate(text: str, span: Span, phrase: str) -> Span | None:
    """Where `phrase` (a normalized form, e.g. "аким") is written inside `span`.

    Each word is matched by its stem, so an inflected form in the text ("акима",
    "министром") is found too.
    """
    words = re.findall(r"\w+", phrase.lower())
    if not words:
        return None
    parts = [re.escape(w[: max(3, len(w) - 2)]) + r"\w*" for w in words]
    pattern = re.compile(r"(?<!\w)" + r"[\s\-]+".join(parts), re.IGNORECASE)
    m = pattern.search(text, span[0], span[1])
    return (m.start(), m.end()) if m else None


def position_span(text: str, args: dict[str, Any], evidence: list[Span]) -> Span | None:
    """Where the occupation's post is written: an explicit span, else the surface
    text the extractor saw (`position_text`), else the normalized post by its stems."""
    given = args.get("position_span")
    if isinstance(given, list | tuple) and len(given) == 2:
        return (int(given[0]), int(given[1]))
    surface = args.get("position_text")
    if isinstance(surface, str) and surface:
        for lo, hi in evidence:
            at = text.find(surface, lo, hi)
            if at >= 0:
                return (at, at + len(surface))
    if isinstance(args.get("position"), str):
        return next((s for e in evidence if (s := locate(text, e, args["position"]))), None)
    return None


def _entity_type(entity: Any) -> str | None:
    if entity.type == "person":
        return "PERSON"
    if entity.type == "organization":
        return "ORGANIZATION"
    if entity.type == "location":
        return LOCATION_SUBTYPES.get(entity.subtype or "", "LOCATION")
    return None


def _named(doc: Any) -> list[tuple[Any, Span]]:
    """(entity, span) of every named mention; nominal ones ("посол") are not NEREL names."""
    ents = {e.id: e for e in doc.entities}
    if doc.mentions:
        return [
            (ents[m.entity_id], (m.start, m.end))
            for m in doc.mentions
            if m.entity_id in ents and getattr(m, "kind", "name") == "name"
        ]
    return [(e, (s[0], s[1])) for e in doc.entities for s in e.mentions]


def _mention_near(doc: Any, entity_id: Any, near: Span, within: list[Span]) -> Span | None:
    """The entity's mention inside the fact's evidence closest to `near`."""
    if not isinstance(entity_id, str):
        return None
    mine = [m for m in doc.mentions if m.entity_id == entity_id]
    # NEREL's arguments are names: a post phrase coreference resolved to the person
    # ("директор компании") is no argument span while a name of it is in reach
    ent = doc.entity(entity_id)
    person = ent is not None and ent.type == "person"
    named = [m for m in mine if person and getattr(m, "kind", "name") == "name"]
    spans = [(m.start, m.end) for m in (named or mine)]
    if not spans:
        ent = doc.entity(entity_id)
        spans = [tuple(s) for s in ent.mentions] if ent else []
    inside = [s for s in spans if any(e[0] <= s[0] and s[1] <= e[1] for e in within)]
    pool = inside or spans
    if not pool:
        return None
    return min(pool, key=lambda s: abs(s[0] - near[0]))


def _quantity_type(unit: Any) -> str:
    if unit == "%":
        return "PERCENT"
    if isinstance(unit, str) and re.fullmatch(r"[A-Z]{3}", unit):
        return "MONEY"
    return "NUMBER"


def predictions(doc: Any) -> Annotation:
    ann = Annotation()
    for ent, span in _named(doc):
        etype = _entity_type(ent)
        if etype:
            ann.mentions.append(Mention(etype, *span))
    for d in getattr(doc, "dates", []):
        ann.mentions.append(Mention("DATE", d.start, d.end))
    for f in doc.facts:
        evidence = [tuple(e) for e in f.evidence] or [(0, len(doc.text))]
        if f.type == "occupation":
            pos = position_span(doc.text, f.args, evidence)
            person = _mention_near(doc, f.args.get("person"), pos or evidence[0], evidence)
            where = _mention_near(doc, f.args.get("where"), pos or evidence[0], evidence)
            if pos:
                ann.mentions.append(Mention("PROFESSION", *pos))
                if person:
                    ann.relations.append(Relation("WORKS_AS", person, pos))
            if person and where:
                ann.relations.append(Relation("WORKPLACE", person, where))
        elif f.type == "ownership":
            owner = _mention_near(doc, f.args.get("owner"), evidence[0], evidence)
            prop = _mention_near(doc, f.args.get("property"), evidence[0], evidence)
            if owner and prop:
                ann.relations.append(Relation("OWNER_OF", owner, prop))
        elif f.type == "quantity":
            vspan = f.args.get("value_span")
            if isinstance(vspan, list | tuple) and len(vspan) == 2:
                ann.mentions.append(Mention(_quantity_type(f.args.get("unit")), *map(int, vspan)))
    return ann


def natasha_predictions(text: str) -> list[Mention]:
    from natasha import Doc as NatashaDoc

    from newsfacts.nlp.natasha_pipe import models

    m = models()
    nd = NatashaDoc(text)
    nd.segment(m.segmenter)
    nd.tag_ner(m.ner_tagger)
    types = {"PER": "PERSON", "ORG": "ORGANIZATION", "LOC": "LOC"}
    return [Mention(types[s.type], s.start, s.stop) for s in nd.spans if s.type in types]


# ---------------------------------------------------------------------------- the command


@dataclass
class Totals:
    docs: int = 0
    exact: dict[str, Score] = field(default_factory=dict)
    relaxed: dict[str, Score] = field(default_factory=dict)
    rel_exact: dict[str, Score] = field(default_factory=dict)
    rel_relaxed: dict[str, Score] = field(default_factory=dict)
    base_exact: dict[str, Score] = field(default_factory=dict)
    base_relaxed: dict[str, Score] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def tables(self) -> list[str]:
        return [
            format_table("NEREL entities, exact spans", self.exact),
            format_table("NEREL entities, overlapping spans", self.relaxed),
            format_table("NEREL relations, exact argument spans", self.rel_exact),
            format_table("NEREL relations, overlapping argument spans", self.rel_relaxed),
            format_table("natasha NER baseline, exact spans", self.base_exact),
            format_table("natasha NER baseline, overlapping spans", self.base_relaxed),
        ]

    def as_dict(self) -> dict[str, Any]:
        keys = ("exact", "relaxed", "rel_exact", "rel_relaxed", "base_exact", "base_relaxed")
        out: dict[str, Any] = {"documents": self.docs, "errors": self.errors}
        for k in keys:
            out[k] = {t: s.as_dict() for t, s in getattr(self, k).items()}
        return out


def _extract(text: str, name: str) -> Any:
    from newsfacts.model import Article, article_id
    from newsfacts.pipeline import default_pipeline

    return default_pipeline().make_doc(Article(id=article_id(text), text=text, source=name))


def evaluate(
    data_dir: Path,
    *,
    limit: int | None = None,
    log: Any = None,
    doc_timeout: float | None = DOC_TIMEOUT,
) -> Totals:
    if not data_dir.is_dir():
        raise NerelError(f"{data_dir}: not a directory")
    pairs = [(p, p.with_suffix(".ann")) for p in sorted(data_dir.glob("*.txt"))]
    pairs = [(t, a) for t, a in pairs if a.exists()]
    if not pairs:
        raise NerelError(f"{data_dir}: no .txt files with a matching .ann")
    if limit:
        pairs = pairs[:limit]
    ent_types = (*ENTITY_TYPES, "LOC")
    base_types = ("PERSON", "ORGANIZATION", "LOC")
    totals = Totals()
    for txt, ann_path in pairs:
        try:
            with open(txt, encoding="utf-8", newline="") as fh:
                text = fh.read()
            gold = read_ann(ann_path)
        except (OSError, UnicodeDecodeError, NerelError) as exc:
            totals.errors.append(f"{txt.name}: skipped: {exc}")
            continue
        totals.docs += 1
        try:
            with time_limit(doc_timeout):
                pred = predictions(_extract(text, txt.name))
        except Exception as exc:  # one bad document must not end a corpus run
            totals.errors.append(f"{txt.name}: extraction failed: {type(exc).__name__}: {exc}")
            pred = Annotation()
        g = with_loc_group(gold.mentions)
        add_into(
            totals.exact, score_mentions(g, with_loc_group(pred.mentions), ent_types, relaxed=False)
        )
        add_into(
            totals.relaxed,
            score_mentions(g, with_loc_group(pred.mentions), ent_types, relaxed=True),
        )
        add_into(
            totals.rel_exact,
            score_relations(gold.relations, pred.relations, RELATION_TYPES, relaxed=False),
        )
        add_into(
            totals.rel_relaxed,
            score_relations(gold.relations, pred.relations, RELATION_TYPES, relaxed=True),
        )
        base = natasha_predictions(text)
        add_into(totals.base_exact, score_mentions(g, base, base_types, relaxed=False))
        add_into(totals.base_relaxed, score_mentions(g, base, base_types, relaxed=True))
        if log:
            log(f"{txt.name}: {len(pred.mentions)} mentions, {len(pred.relations)} relations")
    for d in (totals.rel_exact, totals.rel_relaxed):
        d["overall"] = sum(d.values(), Score())
    return totals


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="folder of brat .txt + .ann")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per document")
    add_doc_timeout(parser)


def run(
    data_dir: Path,
    out_dir: Path | None = None,
    *,
    limit: int | None = None,
    json_out: Path | None = None,
    verbose: bool = False,
    doc_timeout: float | None = DOC_TIMEOUT,
) -> int:
    """Print the tables; `out_dir`, if given, receives scores.json."""
    import json

    log = (lambda line: print(line, file=sys.stderr)) if verbose else None
    totals = evaluate(data_dir, limit=limit, log=log, doc_timeout=doc_timeout)
    print(f"NEREL: {totals.docs} documents from {data_dir}")
    for err in totals.errors:
        print(f"warning: {err}", file=sys.stderr)
    for table in totals.tables():
        print()
        print(table)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        json_out = json_out or out_dir / "nerel-scores.json"
    if json_out:
        json_out.write_text(
            json.dumps(totals.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0 if totals.docs else 1


def main(args: argparse.Namespace) -> int:
    """CLI entry: `newsfacts eval nerel`."""
    try:
        return run(
            args.data,
            limit=args.limit,
            json_out=args.json,
            verbose=args.verbose,
            doc_timeout=getattr(args, "doc_timeout", DOC_TIMEOUT),
        )
    except NerelError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 1
