"""`newsfacts eval factrueval`: FactRuEval-2016 responses and our own comparator.

Why the pipeline sees the raw file: the devset layers count characters of
`book_N.txt` as it is, while our cleaner may strip, re-join or repair text. For
evaluation the pipeline therefore runs on an `Article` built directly from the file's
text (read as UTF-8 with newlines untouched, no cleaning, no repairs), so every offset
we write is an offset into the original file.


The pieces, one job each: `factrueval_gold` reads the corpus and its gold layers,
`factrueval_files` writes and reads the response files, `factrueval_responses` turns
our output into responses and `factrueval_scoring` implements the published rules of
the official comparator. This module is the command that ties them together; the
names tests and callers use are re-exported here.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.eval import folds
from newsfacts.eval.factrueval_files import (
    RespEntity,
    RespFact,
    read_blocks,
    read_task1,
    write_blocks,
    write_task1,
)
from newsfacts.eval.factrueval_gold import (
    FACT_TAGS,
    TRACK1_TAGS,
    TRACK2_TAGS,
    FactRuEvalError,
    GoldDoc,
    book_files,
    load_gold,
    norm,
    read_text,
)
from newsfacts.eval.factrueval_responses import (
    entity_tag,
    named_mentions,
    person_parts,
    person_value,
    response_entities,
    response_facts,
)
from newsfacts.eval.factrueval_scoring import (
    best_matching,
    cluster_quality,
    score_facts,
    score_track1,
    score_track2,
    score_track3,
)
from newsfacts.eval.metrics import (
    DOC_TIMEOUT,
    Score,
    add_doc_timeout,
    add_into,
    format_table,
    print_totals,
    time_limit,
)

__all__ = [
    "FACT_TAGS",
    "TRACK1_TAGS",
    "TRACK2_TAGS",
    "FactRuEvalError",
    "GoldDoc",
    "RespEntity",
    "RespFact",
    "Totals",
    "add_arguments",
    "best_matching",
    "book_files",
    "cluster_quality",
    "entity_tag",
    "evaluate",
    "extract_raw",
    "load_gold",
    "main",
    "named_mentions",
    "natasha_mentions",
    "norm",
    "person_parts",
    "person_value",
    "read_blocks",
    "read_task1",
    "read_text",
    "response_entities",
    "response_facts",
    "run",
    "score_facts",
    "score_track1",
    "score_track2",
    "score_track3",
    "write_blocks",
    "write_task1",
]


# ---------------------------------------------------------------------------- the command


def natasha_mentions(text: str) -> list[tuple[str, int, int]]:
    """natasha NER alone (segmenter + NER tagger), the baseline of BENCHMARKS.md."""
    from natasha import Doc as NatashaDoc

    from newsfacts.nlp.natasha_pipe import models

    m = models()
    nd = NatashaDoc(text)
    nd.segment(m.segmenter)
    nd.tag_ner(m.ner_tagger)
    tags = {"PER": "per", "LOC": "loc", "ORG": "org"}
    return [(tags[s.type], s.start, s.stop) for s in nd.spans if s.type in tags]


def extract_raw(text: str, name: str) -> Any:
    """Run the pipeline on the file's own text (no cleaning: offsets must match)."""
    from newsfacts.model import Article, article_id
    from newsfacts.pipeline import default_pipeline

    article = Article(id=article_id(text), text=text, title=None, source=name)
    return default_pipeline().make_doc(article)


@dataclass
class Totals:
    t1: dict[str, Score] = field(default_factory=dict)
    t1_loc: dict[str, Score] = field(default_factory=dict)
    t2: dict[str, Score] = field(default_factory=dict)
    t3: dict[str, Score] = field(default_factory=dict)
    base_t1: dict[str, Score] = field(default_factory=dict)
    base_t1_loc: dict[str, Score] = field(default_factory=dict)
    docs: int = 0
    gold_docs: int = 0
    errors: list[str] = field(default_factory=list)

    def tables(self) -> list[str]:
        out = []
        order = ("per", "loc", "org", "locorg", "overall")
        fact_order = (*FACT_TAGS, "overall")

        def pick(d: dict[str, Score], keys: Sequence[str]) -> dict[str, Score]:
            return {k: d[k] for k in keys if k in d}

        if self.t1_loc:
            out.append(
                format_table("Track 1, LocOrg counted as Location", pick(self.t1_loc, order))
            )
            out.append(format_table("Track 1, LocOrg as its own class", pick(self.t1, order)))
        if self.base_t1_loc:
            out.append(
                format_table(
                    "natasha NER baseline, track 1, LocOrg as Location",
                    pick(self.base_t1_loc, order),
                )
            )
            out.append(
                format_table(
                    "natasha NER baseline, track 1, LocOrg as its own class",
                    pick(self.base_t1, order),
                )
            )
        if self.t2:
            out.append(format_table("Track 2 (entities)", pick(self.t2, order)))
        if self.t3:
            out.append(format_table("Track 3 (facts)", pick(self.t3, fact_order)))
        return out

    def as_dict(self) -> dict[str, Any]:
        def conv(d: dict[str, Score]) -> dict[str, Any]:
            return {k: v.as_dict() for k, v in d.items()}

        return {
            "documents": self.docs,
            "documents_with_gold": self.gold_docs,
            "track1_locorg_as_loc": conv(self.t1_loc),
            "track1_locorg": conv(self.t1),
            "track2": conv(self.t2),
            "track3": conv(self.t3),
            "natasha_track1_locorg_as_loc": conv(self.base_t1_loc),
            "natasha_track1_locorg": conv(self.base_t1),
            "errors": self.errors,
        }


def evaluate(
    data_dir: Path,
    out_dir: Path,
    *,
    baseline: str | None = None,
    limit: int | None = None,
    log: Any = None,
    doc_timeout: float | None = DOC_TIMEOUT,
    split: str = "all",
) -> Totals:
    """Write book_N.task1/2/3 into out_dir; score them where data_dir has gold.

    `split` picks the books (newsfacts.eval.folds): on 'blind' no per-document
    line is logged and errors are only counted, so the blind books stay unread.
    """
    if not data_dir.is_dir():
        raise FactRuEvalError(f"{data_dir}: not a directory")
    books = folds.select(book_files(data_dir), split)
    books = books[:limit] if limit else books
    if split == "blind":
        log = None
    if not books:
        raise FactRuEvalError(f"{data_dir}: no book_N.txt files")
    out_dir.mkdir(parents=True, exist_ok=True)
    totals = Totals()
    for path in books:
        name = path.stem
        try:
            text = read_text(path)
        except (OSError, UnicodeDecodeError) as exc:
            totals.errors.append(f"{path.name}: unreadable: {exc}")
            continue
        totals.docs += 1
        try:
            with time_limit(doc_timeout):
                doc = extract_raw(text, path.name)
            mentions = named_mentions(doc)
            ents = response_entities(doc)
            facts = response_facts(doc)
        except Exception as exc:  # one bad document must not end a corpus run
            totals.errors.append(f"{path.name}: extraction failed: {type(exc).__name__}: {exc}")
            mentions, ents, facts = [], [], []
        write_task1(out_dir / f"{name}.task1", mentions)
        write_blocks(out_dir / f"{name}.task2", ((e.tag, e.attrs) for e in ents))
        write_blocks(out_dir / f"{name}.task3", ((f.tag, f.args) for f in facts))
        if log:
            log(f"{path.name}: {len(mentions)} mentions, {len(ents)} entities, {len(facts)} facts")
        try:
            gold = load_gold(data_dir, name, text)
        except (FactRuEvalError, ValueError, KeyError, IndexError) as exc:
            totals.errors.append(f"{path.name}: gold layers unreadable, not scored: {exc}")
            continue
        if gold is None:
            continue
        totals.gold_docs += 1
        # Score what was written: the files are the answer, as for the official script.
        resp1 = read_task1(out_dir / f"{name}.task1")
        add_into(totals.t1, score_track1(gold, resp1, locorg=True))
        add_into(totals.t1_loc, score_track1(gold, resp1, locorg=False))
        if gold.entities is not None:
            resp2 = [RespEntity(t, a) for t, a in read_blocks(out_dir / f"{name}.task2")]
            add_into(totals.t2, score_track2(gold, resp2))
        if gold.facts is not None:
            resp3 = [RespFact(t, a) for t, a in read_blocks(out_dir / f"{name}.task3")]
            add_into(totals.t3, score_track3(gold, resp3))
        if baseline == "natasha":
            base = natasha_mentions(text)
            add_into(totals.base_t1, score_track1(gold, base, locorg=True))
            add_into(totals.base_t1_loc, score_track1(gold, base, locorg=False))
    if split == "blind" and totals.errors:
        totals.errors = [f"{len(totals.errors)} blind document(s) had errors (not shown)"]
    return totals


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True, type=Path, help="folder of book_N.txt files")
    parser.add_argument("--out", required=True, type=Path, help="folder for book_N.task1/2/3")
    parser.add_argument("--baseline", choices=["natasha"], help="also score natasha NER alone")
    parser.add_argument("--limit", type=int, help="only the first N books")
    parser.add_argument(
        "--split",
        choices=folds.SPLITS,
        default="all",
        help="devset books to run: the frozen blind quarter, the rest (tune) or all",
    )
    parser.add_argument("--json", type=Path, help="also write the scores as JSON here")
    parser.add_argument("-v", "--verbose", action="store_true", help="a line per document")
    add_doc_timeout(parser)


def run(
    data_dir: Path,
    out_dir: Path | None,
    *,
    baseline: str | None = None,
    limit: int | None = None,
    json_out: Path | None = None,
    verbose: bool = False,
    doc_timeout: float | None = DOC_TIMEOUT,
    split: str = "all",
) -> int:
    if out_dir is None:
        raise FactRuEvalError("--out is required: the responses are written there")
    log = (lambda line: print(line, file=sys.stderr)) if verbose else None
    totals = evaluate(
        data_dir,
        out_dir,
        baseline=baseline,
        limit=limit,
        log=log,
        doc_timeout=doc_timeout,
        split=split,
    )
    print(
        f"FactRuEval-2016 ({split} split): {totals.docs} documents, "
        f"{totals.gold_docs} with gold; "
        f"responses in {out_dir}"
    )
    return print_totals(totals, json_out)


def main(args: argparse.Namespace) -> int:
    """CLI entry: `newsfacts eval factrueval`."""
    try:
        return run(
            args.data,
            args.out,
            baseline=args.baseline,
            limit=args.limit,
            json_out=args.json,
            verbose=args.verbose,
            doc_timeout=getattr(args, "doc_timeout", DOC_TIMEOUT),
            split=getattr(args, "split", "all"),
        )
    except FactRuEvalError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 1
