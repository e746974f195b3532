"""Geometry and text segmentation for the pages; the templates only draw.

Keeping numbers and spans here (and every label in the autoescaped templates)
means no article text or entity name is ever pasted into markup unescaped, and the
SVG charts need no JavaScript library.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import quote as _quote

from markupsafe import Markup, escape

from newsfacts.model import Record
from newsfacts.store.keys import entity_key
from newsfacts.web.labels import human

Span = tuple[int, int]


@lru_cache(maxsize=4096)
def key_url(key: str) -> str:
    """An entity key as a path segment ("person:ерболат досаев" → percent-encoded).
    Remembered: an entity page links the same few keys hundreds of times."""
    return _quote(key, safe=":")


def entity_href(ref: dict[str, Any]) -> str:
    """Places open as dossiers, everything else as an entity page."""
    if ref.get("type") == "location" and ref.get("subtype") in ("country", "city", "region"):
        return f"/dossiers/{key_url(ref['key'])}"
    return f"/entities/{key_url(ref['key'])}"


def runs_html(runs: Sequence[dict[str, Any]]) -> Markup:
    """A statement's runs (`web.statements`) as HTML: a name links to its page, every
    text escaped. Here rather than a macro: an entity page prints ~100 statements of
    a dozen runs each, and a macro's loop cost 2 µs a run where this costs 0.5 (issue 13)."""
    out: list[str] = []
    for run in runs:
        text = escape(run.get("text", ""))
        if "ref" in run:
            ref = run["ref"]
            kind = escape(ref.get("type", "") if isinstance(ref, dict) else "")
            href = escape(run.get("href", ""))
            out.append(f'<a class="ent ent-{kind}" href="{href}">{text}</a>')
        else:
            out.append(text)
    return Markup("".join(out))


def segments(
    text: str, start: int, end: int, record: Record, marks: Sequence[Span] = ()
) -> list[dict[str, Any]]:
    """Split text[start:end] into runs: plain, marked (evidence) and entity links.

    Offsets are article offsets; entity mentions that cross the window's edge are
    left as plain text rather than cut.
    """
    links: list[tuple[int, int, dict[str, Any]]] = []
    for ent in record.entities:
        ref = {
            "key": entity_key(ent),
            "type": ent.type,
            "subtype": ent.subtype,
            "name": ent.name,
        }
        for ms, me in ent.mentions:
            if start <= ms and me <= end and ms < me:
                links.append((ms, me, ref))
    links.sort(key=lambda x: (x[0], -(x[1] - x[0])))
    bounds = {start, end}
    chosen: list[tuple[int, int, dict[str, Any]]] = []
    last = start
    for ms, me, ref in links:
        if ms >= last:  # nested or overlapping mentions: keep the first, longest
            chosen.append((ms, me, ref))
            bounds.update((ms, me))
            last = me
    for ms, me in marks:
        for b in (ms, me):
            if start < b < end:
                bounds.add(b)
    cuts = sorted(bounds)
    out: list[dict[str, Any]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a >= b:
            continue
        link = next((ref for ms, me, ref in chosen if ms <= a and b <= me), None)
        mark = any(ms <= a and b <= me for ms, me in marks)
        run = {"text": text[a:b], "mark": mark, "href": entity_href(link) if link else None}
        mergeable = out and out[-1]["href"] is None and run["href"] is None
        if mergeable and out[-1]["mark"] == run["mark"]:
            out[-1]["text"] += run["text"]
        else:
            out.append(run)
    return out


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def short_period(period: str) -> str:
    """An axis label: «2021», «06.2022», «19.01.2022»."""
    parts = period.split("-")
    return ".".join(reversed(parts)) if all(p.isdigit() for p in parts) else period


def line_chart(
    points: Sequence[dict[str, Any]], width: int = 560, height: int = 220
) -> dict[str, Any]:
    """Coordinates for one series drawn as an inline SVG polyline with dots.

    Periods are placed evenly in order (figures are reported per year or month,
    irregularly), values on a zero-based axis so changes are not exaggerated.
    Several outlets often report one period ("товарооборот за 2021 год" from four
    articles, not always the same figure): they share the period's column, the
    column shows their range, and the line runs through their median. Points
    marked `forecast` (a period after the report) are drawn apart: hollow, on a
    dashed continuation, never as part of the reported line.
    """
    left, right, top, bottom = 70, 16, 14, 34
    pts = [p for p in points if isinstance(p.get("value"), int | float)]
    top_value = _nice_max(max((float(p["value"]) for p in pts), default=0.0))
    inner_w, inner_h = width - left - right, height - top - bottom
    periods = list(dict.fromkeys(str(p.get("period") or "?") for p in pts))
    n = len(periods)
    column_x = {
        period: round(left + (inner_w / 2 if n == 1 else inner_w * i / (n - 1)), 1)
        for i, period in enumerate(periods)
    }

    def y_of(value: float) -> float:
        share = min(max(value / top_value, 0.0), 1.0)  # negatives sit on the axis
        return round(top + inner_h * (1 - share), 1)

    out = []
    for p in pts:
        label = str(p.get("period") or "?")
        out.append(
            {
                **p,
                "x": column_x[label],
                "y": y_of(float(p["value"])),
                "label": label,
                "shown": human(float(p["value"])),
            }
        )
    columns = []
    for period in periods:
        here = [p for p in pts if str(p.get("period") or "?") == period]
        values = sorted(float(p["value"]) for p in here)
        columns.append(
            {
                "label": period,
                "short": short_period(period),
                "x": column_x[period],
                "y": y_of(statistics.median(values)),
                "y_low": y_of(values[0]),
                "y_high": y_of(values[-1]),
                "reports": len(values),
                "forecast": all(p.get("forecast") for p in here),
            }
        )
    actual = [c for c in columns if not c["forecast"]]
    ahead = [c for c in columns if c["forecast"]]
    if ahead and actual:
        ahead = [actual[-1], *ahead]
    ticks = [
        {"y": round(top + inner_h * (1 - f), 1), "label": human(top_value * f)}
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return {
        "width": width,
        "height": height,
        "left": left,
        "right": width - right,
        "top": top,
        "bottom": height - bottom,
        "points": out,
        "columns": columns,
        "polyline": " ".join(f"{c['x']},{c['y']}" for c in actual),
        # forecasts and targets continue the line dashed, from the last actual figure
        "forecast_line": " ".join(f"{c['x']},{c['y']}" for c in ahead),
        "ticks": ticks,
    }
