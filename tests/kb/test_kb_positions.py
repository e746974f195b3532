"""Posts over time: who held a post at a date, and contradictory reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_corpus_helpers import db_url

from newsfacts import kb
from newsfacts.cli import main
from newsfacts.kb.positions import Observation, conflicts, holder_at
from newsfacts.store import Store


@pytest.mark.parametrize(
    ("at", "holder", "since"),
    [
        ("2021-12-15", "Бакытжан Сагинтаев", "2021-11-12"),
        ("2022-01-18", "Бакытжан Сагинтаев", "2021-11-12"),
        ("2022-05-01", "Ерболат Досаев", "2022-01-19"),
        ("2023-10-15", "Дархан Сатыбалды", "2023-09-20"),
    ],
)
def test_who_held_akim_of_almaty(kb_store: Store, at: str, holder: str, since: str) -> None:
    tenure = kb.who_held(kb_store, "аким", "Алма-Ата", at)
    assert tenure.holder_name == holder
    assert tenure.since == since
    assert tenure.evidence and all(o.name == holder for o in tenure.evidence)


def test_before_any_report_nobody_is_known(kb_store: Store) -> None:
    tenure = kb.who_held(kb_store, "аким", "Алматы", "2020-01-01")
    assert tenure.holder is None and tenure.where


def test_handover_is_not_a_conflict_but_two_current_akims_are(kb_store: Store) -> None:
    tenure = kb.who_held(kb_store, "аким", "Алматы", "2023-12-31")
    months = {c["month"]: c for c in tenure.conflicts}
    assert "2022-01" not in months  # Сагинтаев, then Досаев appointed (phase start)
    assert set(months) == {"2023-09"}
    assert {h["name"] for h in months["2023-09"]["holders"]} == {
        "Ерболат Досаев",
        "Дархан Сатыбалды",
    }


def test_other_posts_do_not_answer(kb_store: Store) -> None:
    assert kb.who_held(kb_store, "посол", "Алматы", "2022-05-01").holder is None
    tenure = kb.who_held(kb_store, "посол", "Италия", "2022-05-01")
    assert tenure.holder_name == "Марко Альберти"


def test_end_phase_closes_a_tenure() -> None:
    obs = [
        Observation("2020-01-10", "A", "А", None, "a1", "x"),
        Observation("2020-03-01", "A", "А", "end", "a2", "x"),
    ]
    assert holder_at(obs, "2020-02-01")[0] == "A"
    assert holder_at(obs, "2020-04-01")[0] is None
    assert conflicts(obs) == []


def test_cli_who_held(kb_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    db = db_url(kb_store)
    kb_store.close()
    assert (
        main(["kb", "who-held", "аким", "--where", "Алматы", "--at", "2022-05-01", "--db", db]) == 0
    )
    out = capsys.readouterr().out
    assert out.startswith("Ерболат Досаев")
    assert main(["kb", "who-held", "аким", "--where", "Алматы", "--at", "май", "--db", db]) == 1
    assert "not an ISO date" in capsys.readouterr().err


def test_cli_unknown_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "empty.db")
    assert main(["kb", "who-held", "аким", "--where", "Атлантида", "--at", "2022", "--db", db]) == 0
    assert "no such place" in capsys.readouterr().out
