"""Which reported figures make a chart, and which only a table row.

A line joins figures about one thing: one indicator, one unit and one set of
subjects (Kazakhstan–Indonesia trade and Kazakhstan–Italy trade are two lines, and
a Kazakhstan-wide count never joins Almaty's). A place's dossier charts only the
series the place is a subject of; the figures merely mentioned near it are listed
apart. A chart needs two reported periods: one figure told by two outlets is one
report, shown as a table row. A figure for a period after its article's date is a
forecast or a target, drawn apart from what was reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from newsfacts.store.keys import fold
from newsfacts.web.render import line_chart

ISO_PERIOD = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _period(args: dict[str, Any]) -> str | None:
    period = args.get("period")
    if isinstance(period, dict):
        period = period.get("value")
    if not isinstance(period, str) or not ISO_PERIOD.match(period):
        return None
    return period if args.get("period_resolved", True) else None


def is_forecast(period: str | None, published: str | None) -> bool:
    """«2027» in an article of 2023-06-02 is a target, not a result."""
    if not period or not published:
        return False
    return period > published[: len(period)]


def _subjects(args: dict[str, Any]) -> list[dict[str, Any]]:
    items = args.get("subjects")
    items = items if isinstance(items, list) else [items]
    return [s for s in items if isinstance(s, dict) and "key" in s]


def figure_series(
    figures: list[dict[str, Any]],
    place_key: str | None,
    stored: dict[tuple[str, int], str] | None = None,
) -> dict[str, list]:
    """`charts` (series with two periods or more), `tables` (the rest about the place),
    `nearby` (figures about other subjects found in the place's articles).

    `stored` gives each figure's indicator as stored, (article_id, seq) → indicator:
    the shown one may be cut to stay within its source's share («товарооборо…»), and
    one indicator must stay one series however each article may show it."""
    groups: dict[tuple[str, str, tuple[str, ...]], list[dict[str, Any]]] = defaultdict(list)
    meta: dict[tuple[str, str, tuple[str, ...]], dict[str, Any]] = {}
    nearby = []
    for f in figures:
        args = f.get("args") or {}
        value = args.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        subjects = _subjects(args)
        keys = tuple(sorted(s["key"] for s in subjects))
        if place_key is not None and place_key not in keys:
            nearby.append(f)
            continue
        raw = (stored or {}).get((f["article_id"], f["seq"])) or args.get("indicator") or ""
        key = (fold(str(raw)), str(args.get("unit") or ""), keys)
        period = _period(args)
        published = f.get("published") or (f.get("article") or {}).get("published")
        groups[key].append(
            {
                "period": period,
                "value": value,
                "qualifier": args.get("qualifier") or "eq",
                "article_id": f["article_id"],
                "seq": f["seq"],
                "published": published,
                "forecast": is_forecast(period, published),
                "confidence": f.get("confidence", 1.0),
            }
        )
        shown = str(args.get("indicator") or "показатель")
        if key not in meta or meta[key]["indicator"].endswith("…") > shown.endswith("…"):
            meta[key] = {"indicator": shown, "unit": args.get("unit")}  # an uncut label wins
    charts, tables = [], []
    for key, points in groups.items():
        points.sort(key=lambda p: (p["period"] or "", p["published"] or ""))
        dated = [p for p in points if p["period"]]
        named = {s["key"]: s for f in figures for s in _subjects(f.get("args") or {})}
        series = {
            **meta[key],
            "subjects": [named[k] for k in key[2] if k in named],
            "points": points,
        }
        if len({p["period"] for p in dated}) >= 2:
            series["chart"] = line_chart(dated)
            charts.append(series)
        else:
            series["chart"] = None
            tables.append(series)
    charts.sort(key=lambda s: (-len(s["points"]), s["indicator"]))
    tables.sort(key=lambda s: s["indicator"])
    return {"charts": charts, "tables": tables, "nearby": nearby}
