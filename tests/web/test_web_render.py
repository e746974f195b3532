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


def test_series_split_by_subject_forecasts_apart_single_reports_as_rows() -> None:
    from newsfacts.web.charts import figure_series

    kz = {"key": "location:KZ", "name": "Казахстан", "type": "location"}
    it = {"key": "location:IT", "name": "Италия", "type": "location"}
    idn = {"key": "location:ID", "name": "Индонезия", "type": "location"}
    almaty = {"key": "location:алматы", "name": "Алматы", "type": "location"}

    def fig(seq, subjects, value, period, published, indicator="товарооборот"):
        args = {"indicator": indicator, "subjects": subjects, "value": value, "unit": "USD"}
        if period:
            args["period"] = period
        return {"article_id": f"a{seq}", "seq": seq, "args": args, "published": published}

    figures = [
        fig(1, [kz, idn], 13_500_000, "2021", "2022-04-28"),
        fig(2, [kz, it], 400_000_000, "2021", "2022-08-15"),
        fig(3, [kz, it], 520_000_000, "2022", "2023-02-10"),
        fig(4, [kz, it], 900_000_000, "2025", "2023-02-10"),  # a target
        fig(5, [almaty], 100, "2023", "2023-11-07", "число электробусов"),
        fig(6, [almaty], 100, "2023", "2023-11-08", "число электробусов"),
        fig(7, [kz], 280, None, "2022-04-28", "число предприятий"),
    ]
    out = figure_series(figures, "location:KZ")
    charts = out["charts"]
    assert len(charts) == 1  # KZ–IT; KZ–ID has one period, so a table row
    assert {s["key"] for s in charts[0]["subjects"]} == {"location:KZ", "location:IT"}
    chart = charts[0]["chart"]
    assert [c["forecast"] for c in chart["columns"]] == [False, False, True]
    assert chart["polyline"].count(",") == 2 and chart["forecast_line"].count(",") == 2
    assert all(c["short"] != "?" for c in chart["columns"])
    assert {s["indicator"] for s in out["tables"]} == {"товарооборот", "число предприятий"}
    city = figure_series(figures, "location:алматы")
    assert not city["charts"]  # one report told twice is not a series
    assert len(city["tables"]) == 1 and len(city["nearby"]) == 5  # Kazakhstan-wide kept apart


def test_an_indicator_cut_for_its_source_stays_in_its_series() -> None:
    """One article may show «товарооборо…» (its share spent) and another the whole
    word: both figures belong to one series, labelled with the uncut word."""
    from newsfacts.web.charts import figure_series

    kz = {"key": "location:KZ", "name": "Казахстан", "type": "location"}
    idn = {"key": "location:ID", "name": "Индонезия", "type": "location"}

    def fig(seq, indicator, value, period):
        args = {"indicator": indicator, "subjects": [kz, idn], "value": value, "unit": "USD"}
        return {"article_id": f"a{seq}", "seq": 0, "args": {**args, "period": period}}

    figures = [fig(1, "товарооборо…", 13_500_000, "2021"), fig(2, "товарооборот", 5e8, "2025")]
    stored = {("a1", 0): "товарооборот", ("a2", 0): "товарооборот"}
    series = figure_series(figures, "location:KZ", stored)
    assert len(series["charts"]) == 1 and not series["tables"]
    assert series["charts"][0]["indicator"] == "товарооборот"
    assert len(figure_series(figures, "location:KZ")["tables"]) == 2  # what the page did before
