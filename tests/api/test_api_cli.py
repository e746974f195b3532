"""`newsfacts serve|policy|export`: argument handling and what lands in the store or file."""

from __future__ import annotations

import csv
import json
from math import floor
from pathlib import Path

import pyarrow.parquet as pq
import sqlalchemy as sa
from webapi_fixtures import ALMATY_TEXT, almaty_record

from newsfacts.cli import build_parser, main
from newsfacts.export import QUOTE_SEPARATOR as SEP


def test_serve_binds_loopback_by_default() -> None:
    args = build_parser().parse_args(["serve", "--db", "x.db"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)


def test_policy_grant_revoke_list(tmp_path: Path, fresh_store, capsys) -> None:
    db = fresh_store.engine.url.render_as_string(hide_password=False)
    assert main(["policy", "grant", "https://www.Kapital.kz/news/1", "--db", db]) == 0
    assert "kapital.kz: full-text permission granted" in capsys.readouterr().out
    assert fresh_store.has_permission("kapital.kz")
    assert main(["policy", "list", "--db", db]) == 0
    assert capsys.readouterr().out.startswith("kapital.kz\tgranted")
    assert main(["policy", "revoke", "kapital.kz", "--db", db]) == 0
    assert not fresh_store.has_permission("kapital.kz")
    assert main(["policy", "grant", "--db", db]) == 1
    assert "not a source name" in capsys.readouterr().err


def test_policy_rebuild_chooses_every_set_again(fresh_store, capsys) -> None:
    """A store whose sets are missing (saved before they existed, or by older rules)
    gets them back, the same as a fresh save chose them."""
    db = fresh_store.engine.url.render_as_string(hide_password=False)
    with fresh_store.engine.connect() as conn:
        before = conn.execute(sa.text("SELECT * FROM quotable ORDER BY article_id")).all()
        n_articles = conn.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    with fresh_store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM quotable"))
    assert main(["policy", "rebuild", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == (
        f"quotable sets chosen again for {n_articles} articles"
    )
    with fresh_store.engine.connect() as conn:
        after = conn.execute(sa.text("SELECT * FROM quotable ORDER BY article_id")).all()
    assert before and after == before


def test_export_files_respect_the_policy(tmp_path: Path, fresh_store, capsys) -> None:
    db = fresh_store.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "facts.jsonl"
    assert main(["export", "--db", db, "--format", "jsonl", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 14
    aid = almaty_record().article.id
    # A sentence quoted for several facts is one sentence of the article (issue 12).
    parts = {p for r in rows if r["article_id"] == aid for p in (r["quote"] or "").split(SEP)}
    quoted = sum(len(p) for p in parts)
    assert 0 < quoted <= floor(0.3 * len(ALMATY_TEXT))
    out = tmp_path / "meetings.csv"
    args = ["export", "--db", db, "--format", "csv", "--type", "meeting", "--from", "2023"]
    assert main([*args, "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        assert [r["type"] for r in csv.DictReader(fh)] == ["meeting", "meeting"]
    out = tmp_path / "kz.parquet"
    assert (
        main(["export", "--db", db, "--format", "parquet", "--country", "kz", "--out", str(out)])
        == 0
    )
    assert pq.read_table(out).num_rows > 0
    capsys.readouterr()
    assert main(["export", "--db", db, "--format", "parquet"]) == 1
    assert main(["export", "--db", db, "--from", "вчера"]) == 1
    assert main(["export", "--db", db, "--from", "2022-02-31"]) == 1
    assert main(["export", "--db", db, "--from", "2023", "--to", "2022"]) == 1
    out = tmp_path / "confident.jsonl"
    args = ["export", "--db", db, "--source", "kapital.kz", "--min-confidence", "0.9"]
    assert main([*args, "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["source"], r["confidence"]) for r in rows] == [("kapital.kz", 0.93)]
    assert main(["export", "--db", db, "--out", str(tmp_path / "no" / "dir.csv")]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    errors = [e for e in errors if "→" not in e]  # the successful export's summary line
    assert len(errors) == 5 and all(e.startswith("newsfacts: error: ") for e in errors)
