"""What `newsfacts bench` reports: each stage's timings and the ratios between them.

Kept apart from `eval.speed`, which runs the stages, so the arithmetic and the
printed report (what BENCHMARKS.md quotes) can be read and tested on their own.
"""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import asdict, dataclass, field
from importlib import metadata
from typing import Any

# `IngestReport.seconds`' phase for reading, cleaning and extracting in one process.
EXTRACT_PHASE = "read, clean, extract"


@dataclass
class StageResult:
    name: str
    articles: int
    characters: int
    seconds: list[float] = field(default_factory=list)
    # CPU (user + system) of each run, worker processes included: an ingest that
    # extracts in a worker beside its writes is faster on the wall, not cheaper.
    cpu_seconds: list[float] = field(default_factory=list)
    note: str | None = None
    phases: dict[str, float] = field(default_factory=dict)  # of the median run

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_seconds) if self.cpu_seconds else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.median if self.median else 0.0

    @property
    def chars_per_s(self) -> float:
        return self.characters / self.median if self.median else 0.0

    @property
    def extract_share(self) -> float | None:
        """The share of an ingest's time spent reading, cleaning and extracting.

        Measured inside one run, so unlike a ratio of two stages timed minutes apart
        it does not move with the load of a shared machine: on the 2-core machine
        the stage ratio swung 0.36-0.83 between two runs while this stayed 0.62-0.67.
        It is what ingest/extraction would be if extraction ran as fast alone."""
        extract = self.phases.get(EXTRACT_PHASE)
        return extract / self.median if extract and self.median else None

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        share = self.extract_share
        out.update(
            median_s=round(self.median, 3),
            cpu_median_s=round(self.cpu_median, 3),
            articles_per_s=round(self.articles_per_s, 2),
            chars_per_s=round(self.chars_per_s, 1),
            extract_share=round(share, 3) if share else None,
        )
        return out


@dataclass
class BenchReport:
    data: str
    files: int
    repeat: int
    environment: dict[str, Any]
    stages: list[StageResult]
    skipped_files: list[str] = field(default_factory=list)

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name and s.seconds), None)

    @property
    def ratio(self) -> float | None:
        """How many times slower the full extraction is than natasha NER alone."""
        a, b = self.stage("natasha_ner"), self.stage("full_extraction")
        if a and b and a.median:
            return b.median / a.median
        return None

    @property
    def cold_ratio(self) -> float | None:
        """The same for the cold first pass, per character: it times other texts."""
        a, b = self.stage("natasha_ner"), self.stage("full_extraction_cold")
        if a and b and b.chars_per_s:
            return a.chars_per_s / b.chars_per_s
        return None

    def ingest_share(self, cold: bool = False) -> float | None:
        """Full ingest's articles/s over full extraction's, on the same texts (issue
        13 asks for >= 0.75)."""
        suffix = "_cold" if cold else ""
        a, b = self.stage("full_extraction" + suffix), self.stage("full_ingest" + suffix)
        if a and b and a.articles_per_s:
            return b.articles_per_s / a.articles_per_s
        return None

    def as_dict(self) -> dict[str, Any]:
        share, cold_share = self.ingest_share(), self.ingest_share(cold=True)
        return {
            "ratio_ingest_over_extraction": round(share, 2) if share else None,
            "ratio_ingest_over_extraction_cold": round(cold_share, 2) if cold_share else None,
            "data": self.data,
            "files": self.files,
            "repeat": self.repeat,
            "environment": self.environment,
            "stages": [s.as_dict() for s in self.stages],
            "ratio_full_over_natasha": round(self.ratio, 2) if self.ratio else None,
            "ratio_cold_over_natasha": round(self.cold_ratio, 2) if self.cold_ratio else None,
            "skipped_files": self.skipped_files,
        }

    def text(self) -> str:
        env = self.environment
        lines = [
            f"bench: {self.files} files from {self.data}, median of {self.repeat} run(s)",
            f"machine: {env['cpus']} CPUs, {env['platform']}; Python {env['python']}, "
            f"natasha {env['natasha']}",
            f"  {'stage':<18}{'articles':>9}{'chars':>11}{'median s':>10}"
            f"{'art/s':>9}{'chars/s':>11}{'CPU s':>8}",
        ]
        for s in self.stages:
            if not s.seconds:
                lines.append(f"  {s.name:<18}skipped: {s.note}")
                continue
            lines.append(
                f"  {s.name:<18}{s.articles:>9}{s.characters:>11}{s.median:>10.2f}"
                f"{s.articles_per_s:>9.2f}{s.chars_per_s:>11.0f}{s.cpu_median:>8.2f}"
                + (f"  ({s.note})" if s.note else "")
            )
            if s.phases:
                split = ", ".join(f"{k} {v:.2f}" for k, v in s.phases.items())
                lines.append(f"  {'':<18}seconds by phase: {split}")
            if s.extract_share:
                lines.append(f"  {'':<18}share of read, clean, extract: {s.extract_share:.2f}")
        if self.ratio:
            lines.append(f"full extraction / natasha NER time ratio: {self.ratio:.2f}x")
        if self.cold_ratio:
            lines.append(f"cold first pass / natasha NER, per character: {self.cold_ratio:.2f}x")
        for cold in (False, True):
            share = self.ingest_share(cold)
            if share:
                which = "cold first passes" if cold else "warm"
                lines.append(f"full ingest / full extraction, articles/s ({which}): {share:.2f}")
        return "\n".join(lines)


def environment() -> dict[str, Any]:
    def version(pkg: str) -> str:
        try:
            return metadata.version(pkg)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "natasha": version("natasha"),
        "newsfacts": version("newsfacts"),
    }
