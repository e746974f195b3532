"""`newsfacts eval scaling`: is extraction time linear in the length of the text?

Issue 12's target: extracting a 160k-character text costs at most 2x the time per
character of a 20k-character one, whatever its shape. For each shape this builds
texts of the given sizes from our own generated sentences (a seeded generator of
names, places, figures and dates, so no corpus is needed and the number of distinct
names grows with the text, as in a real archive), cleans and extracts each, and
reports CPU seconds per 1k characters, per pipeline stage too, so a stage that grows
faster than the text is named. CPU time, not wall time, because the machine may be
shared; the median of `--repeat` runs.

Shapes: `news` (paragraphs of ordinary sentences), `run-on` (the same words on one
line with no sentence end), `capitals` (every word capitalised), `digits` (figures
of thousands of digits), `long-token` (half the text one 'word' with no space).
Model loading and a warm-up extraction per shape (at the smallest size, another
seed) are excluded. Speed is reported, never
asserted: the tests run this on tiny sizes for its plumbing only.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_SIZES = (20_000, 40_000, 80_000, 160_000)
TARGET_RATIO = 2.0  # 160k may cost at most 2x the time per character of 20k

FIRST = ("Ерболат", "Марко", "Айгуль", "Сергей", "Нурлан", "Ольга", "Бахыт", "Дмитрий", "Асель")
SURNAME_STEMS = ("Досаев", "Касымов", "Петров", "Жумабаев", "Сидоров", "Омаров", "Ахметов")
SURNAME_SUFFIXES = ("", "ский", "енко", "ин", "ов")
CITIES = ("Алматы", "Астаны", "Шымкента", "Караганды", "Павлодара", "Актобе", "Атырау")
COUNTRIES = ("Италии", "Китая", "Турции", "Германии", "Японии", "Польши", "Индии")
ORGS = ("Самрук-Казына", "КазМунайГаз", "Казахтелеком", "Байтерек", "Эйр Астана")
POSTS = ("аким", "министр экономики", "посол", "председатель правления", "вице-министр")
TEMPLATES = (
    "{post} {city} {person} встретился с послом {country} {person2}.",
    "Стороны обсудили строительство завода и поставки оборудования в {year} году.",
    "По итогам {year} года товарооборот вырос на {pct}% и составил {num} млн долларов.",
    "{person} назначен на должность председателя правления АО «{org}».",
    "Компания «{org}» планирует открыть филиал в городе {city} до конца {year} года.",
    "Как сообщает пресс-служба акимата {city}, объём инвестиций достиг {num} млрд тенге.",
    "{person} предложил провести деловой форум с участием компаний из {country}.",
    "Правительство {country} готово профинансировать проект на сумму {num} млн евро.",
)


def _person(rng: random.Random) -> str:
    stem = rng.choice(SURNAME_STEMS) + rng.choice(SURNAME_SUFFIXES)
    return f"{rng.choice(FIRST)} {stem}"


def sentences(rng: random.Random) -> Any:
    """An endless stream of generated news sentences; names vary with the seed."""
    while True:
        yield rng.choice(TEMPLATES).format(
            post=rng.choice(POSTS).capitalize(),
            city=rng.choice(CITIES),
            country=rng.choice(COUNTRIES),
            org=rng.choice(ORGS),
            person=_person(rng),
            person2=_person(rng),
            year=rng.randrange(1995, 2030),
            pct=rng.randrange(1, 99),
            num=f"{rng.randrange(1, 999)},{rng.randrange(0, 9)}",
        )


def news_text(size: int, seed: int) -> str:
    """Paragraphs of 3-6 generated sentences, cut to `size` characters."""
    rng = random.Random(seed)
    stream = sentences(rng)
    parts: list[str] = []
    total = 0
    while total < size:
        paragraph = " ".join(next(stream) for _ in range(rng.randrange(3, 7)))
        parts.append(paragraph)
        total += len(paragraph) + 1
    return "\n".join(parts)[:size]


def _run_on(size: int, seed: int) -> str:
    text = news_text(size, seed)
    return text.replace(".", ",").replace("\n", " ")


def _capitals(size: int, seed: int) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in news_text(size, seed).split(" "))


def _digits(size: int, seed: int) -> str:
    half = news_text(size // 2, seed)
    figure = "7" * max(size // 20, 1)
    out: list[str] = []
    while sum(map(len, out)) < size - len(half):
        out.append(f"Выручка составила {figure} тенге.")
    return (half + "\n" + " ".join(out))[:size]


def _long_token(size: int, seed: int) -> str:
    half = news_text(size // 2, seed)
    return (half + "\n" + "а" * (size - len(half) - 1))[:size]


SHAPES: dict[str, Callable[[int, int], str]] = {
    "news": news_text,
    "run-on": _run_on,
    "capitals": _capitals,
    "digits": _digits,
    "long-token": _long_token,
}


@dataclass
class Point:
    shape: str
    size: int  # characters asked for
    characters: int  # characters extracted (after cleaning)
    seconds: list[float] = field(default_factory=list)  # CPU seconds, one per repeat
    stages: dict[str, list[float]] = field(default_factory=dict)
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    def per_1k(self, seconds: float | None = None) -> float:
        s = self.median if seconds is None else seconds
        return s / self.characters * 1000 if self.characters else 0.0

    def stage_per_1k(self) -> dict[str, float]:
        return {name: self.per_1k(statistics.median(v)) for name, v in self.stages.items()}


def extract_timed(text: str, seed: int) -> tuple[int, float, dict[str, float]]:
    """Clean and extract `text`; (characters, CPU seconds, CPU seconds per stage)."""
    from newsfacts.ingest.clean import clean
    from newsfacts.model import RawDocument
    from newsfacts.pipeline import REGISTRY, Doc, default_pipeline

    pipeline = default_pipeline()
    stages: dict[str, float] = {}
    start = time.process_time()
    article = clean(RawDocument(text=text, origin=f"scaling-{seed}", published="2024-01-01"))
    stages["clean"] = time.process_time() - start
    doc = Doc(article=article)
    for name in pipeline.names:
        t = time.process_time()
        REGISTRY[name](doc)
        stages[name] = time.process_time() - t
    return len(article.text), time.process_time() - start, stages


def run_scaling(
    shapes: list[str],
    sizes: list[int],
    *,
    repeat: int = 1,
    extract: Callable[[str, int], tuple[int, float, dict[str, float]]] = extract_timed,
) -> list[Point]:
    points: list[Point] = []
    for shape in shapes:
        # Warm-up on a text of the smallest size (another seed): loads the models and
        # fills first-use indexes and memos, so every size is timed in the same state.
        extract(SHAPES[shape](sizes[0], 7), 7)
        for size in sizes:
            point = Point(shape, size, 0)
            for run in range(repeat):
                seed = zlib.crc32(f"{shape}:{size}:{run}".encode())
                try:
                    chars, seconds, stages = extract(SHAPES[shape](size, seed), seed)
                except Exception as exc:  # noqa: BLE001 - reported as the point's error
                    point.error = f"{type(exc).__name__}: {exc}"[:200]
                    break
                point.characters = chars
                point.seconds.append(seconds)
                for name, s in stages.items():
                    point.stages.setdefault(name, []).append(s)
            points.append(point)
    return points


def ratios(points: list[Point]) -> dict[str, float]:
    """Per shape: seconds per character at the largest size over the smallest."""
    out: dict[str, float] = {}
    for shape in dict.fromkeys(p.shape for p in points):
        mine = [p for p in points if p.shape == shape and p.seconds]
        if len(mine) >= 2 and mine[0].per_1k() > 0:
            out[shape] = mine[-1].per_1k() / mine[0].per_1k()
    return out


def worst_stages(points: list[Point], shape: str) -> list[tuple[str, float]]:
    """Stages of `shape` ordered by how much their cost per character grew."""
    mine = [p for p in points if p.shape == shape and p.seconds]
    if len(mine) < 2:
        return []
    small, large = mine[0].stage_per_1k(), mine[-1].stage_per_1k()
    grown = [(n, large[n] / small[n]) for n in large if small.get(n, 0) > 1e-4]
    return sorted(grown, key=lambda item: -item[1])


def report_text(points: list[Point]) -> str:
    lines = [f"  {'shape':<12}{'chars':>9}{'cpu s':>9}{'s/1k chars':>12}{'vs smallest':>13}"]
    for shape in dict.fromkeys(p.shape for p in points):
        mine = [p for p in points if p.shape == shape]
        base = next((p.per_1k() for p in mine if p.seconds), 0.0)
        for p in mine:
            if p.error:
                lines.append(f"  {shape:<12}{p.size:>9}  error: {p.error}")
                continue
            rel = p.per_1k() / base if base else 0.0
            lines.append(
                f"  {shape:<12}{p.characters:>9}{p.median:>9.2f}{p.per_1k():>12.4f}{rel:>12.2f}x"
            )
    lines.append("")
    for shape, ratio in ratios(points).items():
        verdict = "ok" if ratio <= TARGET_RATIO else "OVER TARGET"
        grown = ", ".join(f"{n} {r:.1f}x" for n, r in worst_stages(points, shape)[:3])
        lines.append(
            f"  {shape}: largest/smallest per character {ratio:.2f} "
            f"(target <= {TARGET_RATIO:g}, {verdict}); most grown stages: {grown}"
        )
    return "\n".join(lines)


def as_dict(points: list[Point]) -> dict[str, Any]:
    return {
        "points": [
            {
                "shape": p.shape,
                "size": p.size,
                "characters": p.characters,
                "cpu_seconds": p.seconds,
                "median_s": round(p.median, 4),
                "s_per_1k_chars": round(p.per_1k(), 5),
                "stage_s_per_1k_chars": {k: round(v, 5) for k, v in p.stage_per_1k().items()},
                "error": p.error,
            }
            for p in points
        ],
        "ratio_largest_to_smallest": {k: round(v, 3) for k, v in ratios(points).items()},
        "target_ratio": TARGET_RATIO,
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help=f"comma-separated, from: {', '.join(SHAPES)} (default: all)",
    )
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated text sizes in characters, smallest first",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (median)")
    parser.add_argument("--json", type=Path, help="also write the report as JSON here")


def main(args: argparse.Namespace) -> int:
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    try:
        sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    except ValueError:
        sizes = []
    if unknown or not sizes or min(sizes) <= 0:
        what = f"unknown shape(s) {', '.join(unknown)}" if unknown else "bad --sizes"
        print(f"newsfacts: error: {what}", file=sys.stderr)
        return 2
    points = run_scaling(shapes, sizes, repeat=max(args.repeat, 1))
    print(report_text(points))
    if args.json:
        args.json.write_text(json.dumps(as_dict(points), indent=2), encoding="utf-8")
    return 0
