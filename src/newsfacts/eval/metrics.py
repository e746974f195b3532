"""Precision, recall and F1 shared by every evaluation command.

Counts are kept, not ratios, so per-document results add up into corpus figures the
way the FactRuEval-2016 comparator adds them: sums of true-positive weight, gold
items and response items, the ratios computed once at the end. True positives may be
fractional (a half-right mention scores 0.5), and may differ between the recall and
the precision side (track 3 credits every response fact of a cluster).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from newsfacts.timebudget import OverBudget
from newsfacts.timebudget import time_limit as time_limit  # re-exported for the eval commands


@dataclass
class Score:
    tp_gold: float = 0.0  # true-positive weight counted against the gold items
    tp_pred: float = 0.0  # true-positive weight counted against the response items
    n_gold: float = 0.0
    n_pred: float = 0.0

    @classmethod
    def simple(cls, tp: float, n_gold: float, n_pred: float) -> Score:
        return cls(tp, tp, n_gold, n_pred)

    def __add__(self, other: Score) -> Score:
        return Score(
            self.tp_gold + other.tp_gold,
            self.tp_pred + other.tp_pred,
            self.n_gold + other.n_gold,
            self.n_pred + other.n_pred,
        )

    def __iadd__(self, other: Score) -> Score:
        self.tp_gold += other.tp_gold
        self.tp_pred += other.tp_pred
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred
        return self

    @property
    def precision(self) -> float:
        # Nothing predicted and nothing to find is a perfect answer, as in the comparator.
        return self.tp_pred / self.n_pred if self.n_pred else 1.0

    @property
    def recall(self) -> float:
        return self.tp_gold / self.n_gold if self.n_gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r > 0 else 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": round(self.tp_gold, 3),
            "gold": self.n_gold,
            "predicted": self.n_pred,
        }


def total(scores: Iterable[Score]) -> Score:
    out = Score()
    for s in scores:
        out += s
    return out


def add_into(acc: dict[str, Score], part: Mapping[str, Score]) -> None:
    """Accumulate per-label scores of one document into corpus totals."""
    for label, score in part.items():
        acc.setdefault(label, Score())
        acc[label] += score


def format_table(title: str, rows: Mapping[str, Score]) -> str:
    """A fixed-width table, readable in a terminal and pasteable into BENCHMARKS.md."""
    lines = [title, f"  {'type':<16}{'P':>8}{'R':>8}{'F1':>8}{'TP':>10}{'gold':>8}{'pred':>8}"]
    for label, s in rows.items():
        lines.append(
            f"  {label:<16}{s.precision:>8.4f}{s.recall:>8.4f}{s.f1:>8.4f}"
            f"{s.tp_gold:>10.2f}{s.n_gold:>8.0f}{s.n_pred:>8.0f}"
        )
    return "\n".join(lines)


def levenshtein(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance; with `limit`, stops early once the distance must exceed it."""
    if len(a) < len(b):
        a, b = b, a
    if limit is not None and len(a) - len(b) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(cur[j - 1] + 1, prev[j] + 1, prev[j - 1] + (ca != cb))
        if limit is not None and min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


DOC_TIMEOUT = 120.0  # seconds one document's extraction may take before it is left out


def add_doc_timeout(
    parser: argparse.ArgumentParser,
    help: str = "seconds of extraction per document before it is skipped (0: no limit)",
) -> None:
    """`--doc-timeout`, shared by every command that runs the pipeline over a corpus."""
    parser.add_argument("--doc-timeout", type=float, default=DOC_TIMEOUT, help=help)


# One document over its time limit: the ingest budget's exception and context manager
# (SIGALRM in a main thread, a watchdog elsewhere), shared by every corpus command.
DocumentTimeout = OverBudget


class Totals(Protocol):
    """What a corpus evaluation adds up to (FactRuEval's and NEREL's totals)."""

    docs: int
    errors: list[str]

    def tables(self) -> list[str]: ...

    def as_dict(self) -> dict[str, Any]: ...


def print_totals(totals: Totals, json_out: Path | None) -> int:
    """The warnings (stderr) and score tables (stdout) of an evaluation, its scores
    written to `json_out` when given; the exit status: 1 when no document was read."""
    for err in totals.errors:
        print(f"warning: {err}", file=sys.stderr)
    for table in totals.tables():
        print()
        print(table)
    if json_out:
        json_out.write_text(
            json.dumps(totals.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return 0 if totals.docs else 1
