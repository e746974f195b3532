"""Chart geometry and text segmentation, without a server."""

from __future__ import annotations

from webapi_fixtures import almaty_record

from newsfacts.web.render import human, line_chart, segments


def test_line_chart_scales_from_zero_and_keeps_points_inside() -> None:
    pts = [
        {"period": "2020", "value": 10.0},
        {"period": "2021", "value": 35.0},
        {"period": "2022", "value": -5},
    ]
    chart = line_chart(pts)
    ys = [p["y"] for p in chart["points"]]
    assert all(chart["top"] <= y <= chart["bottom"] for y in ys)
    assert ys[1] < ys[0] < ys[2]  # higher value, higher on the page
    assert chart["ticks"][-1]["label"] == "50"  # 35 rounds up to a readable maximum
    xs = [p["x"] for p in chart["points"]]
    assert xs == sorted(xs) and xs[0] == chart["left"] and xs[-1] == chart["right"]


def test_human_numbers_read_like_the_articles() -> None:
    assert human(13_500_000) == "13,5\u00a0млн"  # never broken across lines
    assert human(2_000_000_000) == "2\u00a0млрд"
    assert human(280) == "280"


def test_segments_mark_evidence_and_link_mentions() -> None:
    rec = almaty_record()
    text = rec.article.text
    start, end = rec.facts[1].evidence[0]  # "Аким Алматы Ерболат Досаев встретился ..."
    runs = segments(text, start, end, rec, [(start, end)])
    assert "".join(r["text"] for r in runs) == text[start:end]
    assert all(r["mark"] for r in runs)
    linked = {r["text"]: r["href"] for r in runs if r["href"]}
    assert linked["Италии"] == "/dossiers/location:IT"
    assert linked["Ерболат Досаев"].startswith("/entities/person:")


def test_line_chart_puts_reports_of_one_period_in_one_column() -> None:
    pts = [
        {"period": "2020", "value": 10.0},
        {"period": "2021", "value": 13.5},
        {"period": "2021", "value": 13.2},
        {"period": "2021", "value": 14.0},
        {"period": "2022", "value": 16.0},
    ]
    chart = line_chart(pts)
    assert [c["label"] for c in chart["columns"]] == ["2020", "2021", "2022"]
    middle = chart["columns"][1]
    assert middle["reports"] == 3
    assert {p["x"] for p in chart["points"] if p["period"] == "2021"} == {middle["x"]}
    assert middle["y_high"] < middle["y"] < middle["y_low"]  # 14.0 above the median 13.5
    assert middle["y"] == next(p["y"] for p in chart["points"] if p["value"] == 13.5)
    assert chart["polyline"].count(",") == 3  # one vertex per period, not per report
