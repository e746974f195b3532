"""The benchmark's report: structure and arithmetic, never a speed threshold."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsfacts.eval import speed

ARTICLES = [
    "Казахстан и Узбекистан подписали соглашение о торговле. "
    "Товарооборот в 2023 году вырос на 12%.",
    "Аким Шымкента провёл встречу с инвесторами из Турции.",
]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for i, text in enumerate(ARTICLES):
        (folder / f"a{i}.txt").write_text(f"Заголовок {i}\n{text}\n", encoding="utf-8")
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00bad")
    return folder


def test_stage_arithmetic() -> None:
    st = speed.StageResult("x", articles=10, characters=5000, seconds=[2.0, 4.0, 1.0])
    assert st.median == 2.0
    assert st.articles_per_s == pytest.approx(5.0)
    assert st.chars_per_s == pytest.approx(2500.0)
    empty = speed.StageResult("y", 0, 0, note="skipped")
    assert empty.articles_per_s == 0.0


def test_bench_reports_every_stage(corpus: Path, tmp_path: Path) -> None:
    out_json = tmp_path / "bench.json"
    assert speed.run(corpus, json_out=out_json, repeat=2, ingest=False, cold=False) == 0
    report = json.loads(out_json.read_text(encoding="utf-8"))
    stages = {s["name"]: s for s in report["stages"]}
    assert stages["natasha_ner"]["articles"] == 2  # the undecodable file is skipped
    assert len(stages["natasha_ner"]["seconds"]) == 2
    assert stages["natasha_ner"]["characters"] == sum(
        len(f"Заголовок {i}\n{t}\n") for i, t in enumerate(ARTICLES)
    )
    assert stages["full_extraction"]["articles"] == 2
    assert stages["full_extraction"]["median_s"] > 0
    assert stages["full_ingest"]["note"] == "--no-ingest"
    assert report["ratio_full_over_natasha"] > 0
    assert report["environment"]["cpus"] >= 1
    assert any("broken.txt" in s for s in report["skipped_files"])


def test_bench_text_output(corpus: Path, capsys: pytest.CaptureFixture) -> None:
    speed.run(corpus, limit=1, ingest=False, cold=False)
    text = capsys.readouterr().out
    assert "bench: 1 files" in text
    assert "natasha_ner" in text and "full_extraction" in text
    assert "full_ingest       skipped: --no-ingest" in text
    assert "ratio" in text


def test_bench_rejects_folder_without_text(tmp_path: Path) -> None:
    with pytest.raises(speed.BenchError, match="no .txt files"):
        speed.run_bench(tmp_path)


@pytest.mark.slow
def test_bench_ingest_stages(corpus: Path) -> None:
    report = speed.run_bench(corpus, ingest=True)
    ingest = report.stage("full_ingest")
    assert ingest is not None and ingest.articles == 2
    # the split says where the time went: extraction, writes, quotable pass, KB
    assert {"save", "quotable pass", "kb"} <= set(ingest.phases)
    # in this process, or reading here while a forked worker extracts (issue 13)
    assert "read, clean, extract" in ingest.phases or {"read, clean", "wait for workers"} <= set(
        ingest.phases
    )
    assert len(ingest.cpu_seconds) == len(ingest.seconds) and ingest.cpu_median > 0
    # each phase is rounded to the millisecond, so the sum may gain half a ms per phase
    rounding = 0.0005 * len(ingest.phases)
    assert sum(ingest.phases.values()) <= ingest.median * 1.01 + rounding
    cold = report.stage("full_ingest_cold")  # the cold extraction stage's text, a1
    assert cold is not None and cold.articles == 1 and cold.phases
    assert report.ingest_share() and report.ingest_share(cold=True)
    assert "full ingest / full extraction" in report.text()


def test_ingest_share_compares_like_with_like() -> None:
    def stage(name: str, seconds: float) -> speed.StageResult:
        return speed.StageResult(name, articles=10, characters=100, seconds=[seconds])

    report = speed.BenchReport(
        "d",
        10,
        1,
        {},
        [
            stage("full_extraction", 1.0),
            stage("full_extraction_cold", 3.0),
            stage("full_ingest", 4.0),
            stage("full_ingest_cold", 4.0),
        ],
    )
    assert report.ingest_share() == pytest.approx(0.25)  # warm over warm
    assert report.ingest_share(cold=True) == pytest.approx(0.75)  # cold over cold
    assert report.as_dict()["ratio_ingest_over_extraction_cold"] == 0.75


def test_ingest_stage_reports_the_median_runs_split() -> None:
    def run(seconds: float) -> tuple[float, float, SimpleNamespace]:
        rep = SimpleNamespace(
            added=3, unchanged=0, duplicates=1, characters=90, seconds={"kb": seconds / 2}
        )
        rep.summary = lambda: "3 added"
        return seconds, seconds * 1.5, rep

    stage = speed._ingest_stage("full_ingest", [run(5.0), run(1.0), run(3.0)])
    assert stage.median == 3.0 and stage.phases == {"kb": 1.5}
    assert stage.cpu_median == 4.5 and stage.as_dict()["cpu_median_s"] == 4.5
    assert stage.articles == 4 and stage.characters == 90 and stage.note == "3 added"
    assert stage.extract_share is None  # no extraction phase: no share
    stage.phases[speed.EXTRACT_PHASE] = 2.4
    assert stage.extract_share == pytest.approx(0.8)
    assert stage.as_dict()["extract_share"] == 0.8


def test_warm_up_leaves_out_articles_that_fail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsfacts.pipeline

    def fake_pipeline(article: SimpleNamespace) -> None:
        if "зависает" in article.text:
            raise RuntimeError("extractor bug")

    monkeypatch.setattr(newsfacts.pipeline, "default_pipeline", lambda: fake_pipeline)
    good = (tmp_path / "good.txt", SimpleNamespace(text="Обычная новость."))
    bad = (tmp_path / "bad.txt", SimpleNamespace(text="Текст, на котором всё зависает."))
    kept, notes = speed.screen([good, bad, good], doc_timeout=5)
    assert kept == [good, good]
    assert notes == ["bad.txt: extraction failed in warm-up: RuntimeError: extractor bug"]


def test_cold_split_never_times_a_warm_up_file(tmp_path: Path) -> None:
    arts = [(tmp_path / f"{n}.txt", SimpleNamespace(text=n)) for n in "abcde"]
    arts.append((tmp_path / "b.txt", SimpleNamespace(text="b2")))  # two articles, one file
    warm, cold = speed.split_cold(arts)
    assert [a.text for a in warm] == ["a", "c", "e"]
    assert [a.text for a in cold] == ["b", "d", "b2"]
    assert speed.split_cold(arts[:1])[1] == []


@pytest.mark.slow
def test_cold_stage_runs_in_a_fresh_process(corpus: Path) -> None:
    report = speed.run_bench(corpus, ingest=False)
    cold = report.stage("full_extraction_cold")
    assert cold is not None and cold.articles == 1  # a0 warms up, a1 is timed
    assert len(cold.seconds) == 1 and "fresh process" in (cold.note or "")
    assert report.cold_ratio and report.cold_ratio > 0
    assert "cold first pass" in report.text()
