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

The pieces, one job each: `nerel_gold` reads the corpus, `nerel_predictions` maps our
output (and natasha's) onto NEREL types, `nerel_scoring` matches and scores; this
module is the command, and re-exports the names scripts and tests use.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.eval.metrics import (
    DOC_TIMEOUT,
    Score,
    add_doc_timeout,
    add_into,
    format_table,
    print_totals,
    time_limit,
)
from newsfacts.eval.nerel_gold import (
    ENTITY_TYPES,
    LOC_TYPES,
    RELATION_TYPES,
    Annotation,
    Mention,
    NerelError,
    Relation,
    Span,
    read_ann,
)
from newsfacts.eval.nerel_predictions import (
    locate,
    natasha_predictions,
    position_span,
    predictions,
)
from newsfacts.eval.nerel_scoring import (
    match_count,
    score_mentions,
    score_relations,
    with_loc_group,
)

__all__ = [
    "ENTITY_TYPES",
    "LOC_TYPES",
    "RELATION_TYPES",
    "Annotation",
    "Mention",
    "NerelError",
    "Relation",
    "Span",
    "Totals",
    "add_arguments",
    "evaluate",
    "locate",
    "main",
    "match_count",
    "natasha_predictions",
    "position_span",
    "predictions",
    "read_ann",
    "run",
    "score_mentions",
    "score_relations",
    "with_loc_group",
]


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
    log = (lambda line: print(line, file=sys.stderr)) if verbose else None
    totals = evaluate(data_dir, limit=limit, log=log, doc_timeout=doc_timeout)
    print(f"NEREL: {totals.docs} documents from {data_dir}")
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        json_out = json_out or out_dir / "nerel-scores.json"
    return print_totals(totals, json_out)


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
