"""`newsfacts eval news`: every fact type against blind hand-labelled news texts.

The gold (`data/news_gold/<batch>.jsonl`, format in `newsfacts.eval.news_gold` and
`docs/fact-labelling.md`) is written by labellers who never see the extractor, so
each batch's first score is an honest estimate of accuracy on unseen news. Each text
goes through the same path as `newsfacts extract` on a `.txt` file (first line the
title when it looks like one, cleaning, the default pipeline); the record's entity
ids are replaced by the entities' names and aliases, and facts are matched one-to-one
per type: of all (gold, extracted) pairs that match, those whose evidence sentences
overlap are taken first.

A pair matches when its key arguments agree under the lenient comparisons of
`newsfacts.eval.news_match` (lemmas, ё→е, word containment):

- occupation: person; position (containment either way); `where` when both give one,
  else the evidence sentences must overlap;
- meeting: at least two gold participants found (all, if the gold has fewer);
- deal: one gold party or signatory among the extracted parties/signatories, and the
  document kind («меморандум») among the extracted kind/trigger/object words or the
  evidence sentences overlap;
- intent, plan: agent (any, when the gold has none); action (same lemma) or object
  (word overlap);
- proposal: proposer (when given) and the proposal's words overlap;
- launch: the object's words overlap;
- discussion: one participant and the topic's words overlap;
- ownership: owner, and property by name or word overlap;
- quantity: the same value and unit (or, with no value, the same change value and
  unit) and the indicators' words overlap.

Reported per batch and in total: precision, recall and F1 per type and over all
facts; appointment recall (occupations with phase `start`); deal recall; phase
accuracy on matched occupations (an extracted occupation without a phase counts as
`current`); modality accuracy on matched quantities (none counts as `actual`);
entities (lenient name match, and how many matched names are exactly normalized).
`--out DIR` writes `news_scores.json` and `news_errors.jsonl`: per text, the missed
and spurious facts with their evidence, wrong phases and modalities, and entity errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfacts.eval import news_match as nm
from newsfacts.eval.metrics import Score, add_doc_timeout, format_table, time_limit
from newsfacts.eval.news_gold import ENTITY_ARGS, GoldText, NewsGoldError, load
from newsfacts.eval.news_match import Args, facts_match
from newsfacts.model import FACT_TYPES


@dataclass
class View:
    """A fact with entity arguments as `Name`s, ready to compare and to print."""

    type: str
    args: Args
    evidence: list[str]
    phase: str | None = None
    modality: str | None = None
    extractor: str | None = None

    def dump(self) -> dict[str, Any]:
        def plain(v: Any) -> Any:
            if isinstance(v, list):
                return [plain(x) for x in v]
            return v.name if isinstance(v, nm.Name) else v

        out: dict[str, Any] = {
            "type": self.type,
            "args": {k: plain(v) for k, v in self.args.items()},
        }
        for key in ("phase", "modality", "extractor"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        out["evidence"] = self.evidence
        return out


def gold_views(item: GoldText) -> tuple[list[View], list[nm.Name]]:
    ents = {e["name"]: nm.Name(e["name"], e.get("aliases") or []) for e in item.entities}
    views = []
    for f in item.facts:
        args = dict(f["args"])
        for key in ENTITY_ARGS[f["type"]]:
            val = args.get(key)
            if isinstance(val, list):
                args[key] = [ents.get(v, nm.Name(v)) for v in val]
            elif isinstance(val, str):
                args[key] = ents.get(val, nm.Name(val))
        views.append(View(f["type"], args, [f["evidence"]], f.get("phase"), f.get("modality")))
    return views, list(ents.values())


def record_views(record: dict[str, Any]) -> tuple[list[View], list[tuple[str, nm.Name]]]:
    """The extractor's facts with entity ids replaced by names (and its entities)."""
    ents = {e["id"]: nm.Name(e["name"], e.get("aliases") or []) for e in record.get("entities", [])}
    text = record.get("article", {}).get("text", "")

    def resolve(v: Any) -> Any:
        if isinstance(v, list):
            return [resolve(x) for x in v]
        return ents.get(v, v) if isinstance(v, str) else v

    views = []
    for f in record.get("facts", []):
        args = {k: resolve(v) for k, v in (f.get("args") or {}).items()}
        spans = [text[a:b] for a, b in f.get("evidence", [])]
        phase = f.get("phase") or args.get("phase")
        modality = f.get("modality") or args.get("modality")
        views.append(View(f["type"], args, spans, phase, modality, f.get("extractor")))
    types = [(e["type"], ents[e["id"]]) for e in record.get("entities", [])]
    return views, types


def evidence_overlap(gold: View, pred: View) -> bool:
    for g in gold.evidence:
        for p in pred.evidence:
            fg, fp = nm.fold(g), nm.fold(p)
            if fp and (fp in fg or fg in fp or nm.overlap(fg, fp, 0.6)):
                return True
    return False


def align(golds: list[View], preds: list[View]) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs; evidence-overlapping pairs first."""
    cands = []
    for i, g in enumerate(golds):
        for j, p in enumerate(preds):
            if p.type != g.type:
                continue
            ev = evidence_overlap(g, p)
            if facts_match(g.type, g.args, p.args, ev):
                cands.append((not ev, i, j))
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, i, j in sorted(cands):
        if i not in used_g and j not in used_p:
            used_g.add(i)
            used_p.add(j)
            pairs.append((i, j))
    return pairs


@dataclass
class Report:
    texts: int = 0
    failed: int = 0
    types: dict[str, Score] = field(default_factory=lambda: {t: Score() for t in FACT_TYPES})
    entities: Score = field(default_factory=Score)
    names_exact: int = 0
    appointments: list[int] = field(default_factory=lambda: [0, 0])  # found, gold
    phase: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, pred)
    modality: Counter[tuple[str, str]] = field(default_factory=Counter)

    def merge(self, other: Report) -> None:
        """Add another batch's counts (for the ALL row)."""
        self.texts += other.texts
        self.failed += other.failed
        for t, s in other.types.items():
            self.types[t] += s
        self.entities += other.entities
        self.names_exact += other.names_exact
        self.appointments = [
            a + b for a, b in zip(self.appointments, other.appointments, strict=True)
        ]
        self.phase += other.phase
        self.modality += other.modality

    @property
    def overall(self) -> Score:
        total = Score()
        for s in self.types.values():
            total += s
        return total

    def summary(self) -> dict[str, Any]:
        def acc(c: Counter[tuple[str, str]]) -> float | None:
            n = sum(c.values())
            return round(sum(v for (g, p), v in c.items() if g == p) / n, 4) if n else None

        found, gold = self.appointments
        return {
            "texts": self.texts,
            "failed": self.failed,
            "overall": self.overall.as_dict(),
            "types": {t: s.as_dict() for t, s in self.types.items() if s.n_gold or s.n_pred},
            "appointment_recall": round(found / gold, 4) if gold else None,
            "deal_recall": round(self.types["deal"].recall, 4)
            if self.types["deal"].n_gold
            else None,
            "phase_accuracy": acc(self.phase),
            "phase_confusion": {f"{g}->{p}": v for (g, p), v in sorted(self.phase.items())},
            "modality_accuracy": acc(self.modality),
            "modality_confusion": {f"{g}->{p}": v for (g, p), v in sorted(self.modality.items())},
            "entities": self.entities.as_dict(),
            "entity_names_exact": self.names_exact,
        }

    def text(self, title: str) -> str:
        s = self.summary()
        rows = {t: sc for t, sc in self.types.items() if sc.n_gold or sc.n_pred}
        rows["ALL FACTS"] = self.overall
        rows["entity"] = self.entities
        out = [format_table(f"{title}: {self.texts} texts ({self.failed} failed)", rows)]
        for key in ("appointment_recall", "deal_recall", "phase_accuracy", "modality_accuracy"):
            value = s[key]
            out.append(f"  {key:<22}{'n/a' if value is None else f'{value:.4f}'}")
        tp = round(self.entities.tp_gold)
        out.append(f"  entity names exact    {self.names_exact}/{tp} matched")
        return "\n".join(out)


def score_text(item: GoldText, record: dict[str, Any], rep: Report) -> dict[str, Any]:
    """Add one text's counts to `rep`; return its error entry for the dump."""
    golds, gold_ents = gold_views(item)
    preds, pred_ents = record_views(record)
    pairs = align(golds, preds)
    err: dict[str, Any] = {
        "id": item.id,
        "batch": item.batch,
        "text": item.text,
        "wrong_phase": [],
        "wrong_modality": [],
    }
    for t in FACT_TYPES:
        tp = sum(1 for i, _ in pairs if golds[i].type == t)
        n_g = sum(1 for g in golds if g.type == t)
        n_p = sum(1 for p in preds if p.type == t)
        rep.types[t] += Score.simple(tp, n_g, n_p)
    matched_g = {i for i, _ in pairs}
    matched_p = {j for _, j in pairs}
    for i, g in enumerate(golds):
        if g.type == "occupation" and g.phase == "start":
            rep.appointments[1] += 1
            rep.appointments[0] += i in matched_g
    for i, j in pairs:
        g, p = golds[i], preds[j]
        if g.type == "occupation":
            key = (g.phase or "current", p.phase or "current")
            rep.phase[key] += 1
            if key[0] != key[1]:
                err["wrong_phase"].append({"gold": g.dump(), "pred": p.dump()})
        elif g.type == "quantity":
            key = (g.modality or "actual", p.modality or "actual")
            rep.modality[key] += 1
            if key[0] != key[1]:
                err["wrong_modality"].append({"gold": g.dump(), "pred": p.dump()})
    err["missed"] = [g.dump() for i, g in enumerate(golds) if i not in matched_g]
    err["spurious"] = [p.dump() for j, p in enumerate(preds) if j not in matched_p]
    _score_entities(gold_ents, pred_ents, rep, err)
    return err


def _score_entities(
    golds: list[nm.Name], preds: list[tuple[str, nm.Name]], rep: Report, err: dict[str, Any]
) -> None:
    free = list(range(len(preds)))
    missed, not_normal = [], []
    for g in golds:
        j = next((j for j in free if nm.name_match(g, preds[j][1])), None)
        if j is None:
            missed.append(g.name)
            continue
        free.remove(j)
        if nm.fold(preds[j][1].name).strip('«»"') == nm.fold(g.name):
            rep.names_exact += 1
        else:
            not_normal.append({"gold": g.name, "pred": preds[j][1].name})
    rep.entities += Score.simple(len(golds) - len(missed), len(golds), len(preds))
    err["entities_missed"] = missed
    err["entities_spurious"] = [f"{preds[j][0]}: {preds[j][1].name}" for j in free]
    err["entity_names_not_normalized"] = not_normal


def extract(item: GoldText, timeout: float | None) -> dict[str, Any]:
    """`newsfacts extract`'s path for a .txt file whose first line may be a title."""
    from newsfacts.ingest.prepare import clean_each
    from newsfacts.ingest.readers import _read_text
    from newsfacts.pipeline import default_pipeline

    raw = _read_text(item.text, item.id)
    if hasattr(raw, "published"):
        raw.published = item.published
    cleaned = next(iter(clean_each([raw], default_origin=item.id)))
    if cleaned.article is None:
        raise ValueError(cleaned.error or cleaned.skipped or "not an article")
    with time_limit(timeout):
        return default_pipeline()(cleaned.article).to_dict()


def evaluate(
    batches: dict[str, list[GoldText]],
    timeout: float | None = None,
    runner: Callable[[GoldText], dict[str, Any]] | None = None,
) -> tuple[dict[str, Report], list[dict[str, Any]]]:
    """Per-batch reports and the per-text error entries."""
    reports, dump = {}, []
    for name, items in batches.items():
        rep = reports[name] = Report()
        for item in items:
            rep.texts += 1
            try:
                record = runner(item) if runner else extract(item, timeout)
                failure = None
            except Exception as exc:  # one bad text is a logged failure, not a lost run
                record, failure = {"entities": [], "facts": []}, f"{type(exc).__name__}: {exc}"
                rep.failed += 1
            entry = score_text(item, record, rep)
            if failure:
                entry["failure"] = failure
            dump.append(entry)
    return reports, dump


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--batch", help="only data/news_gold/BATCH.jsonl (default: every batch)")
    parser.add_argument("--data", help="gold directory (default: the packaged data/news_gold)")
    parser.add_argument("--out", help="directory for news_scores.json and news_errors.jsonl")
    parser.add_argument("--check", action="store_true", help="only validate the gold lines")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    add_doc_timeout(parser)


def main(args: argparse.Namespace) -> int:
    """CLI entry: `newsfacts eval news`."""
    try:
        batches = load(args.data, args.batch)
    except NewsGoldError as exc:
        print(f"newsfacts: error: {exc}", file=sys.stderr)
        return 1
    if args.check:
        n_facts = sum(len(i.facts) for items in batches.values() for i in items)
        n_texts = sum(len(items) for items in batches.values())
        print(f"{len(batches)} batch(es), {n_texts} texts, {n_facts} facts: format OK")
        return 0
    reports, dump = evaluate(batches, timeout=args.doc_timeout)
    if len(reports) > 1:
        total = Report()
        for r in reports.values():
            total.merge(r)
        reports = {**reports, "ALL": total}
    summaries = {name: r.summary() for name, r in reports.items()}
    if args.out:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "news_scores.json").write_text(
            json.dumps(summaries, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        with (out / "news_errors.jsonl").open("w", encoding="utf-8") as fh:
            for entry in dump:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(summaries, ensure_ascii=False, indent=2))
    else:
        print("\n\n".join(r.text(name) for name, r in reports.items()))
    return 0
