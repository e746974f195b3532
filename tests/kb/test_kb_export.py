"""export-kb: JSON Lines and a property graph whose edges point at real nodes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from kb_corpus_helpers import db_url

from newsfacts.cli import main
from newsfacts.store import Store


def test_export_jsonl_and_graph(
    kb_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = db_url(kb_store)
    kb_store.close()
    out = tmp_path / "jsonl"
    assert main(["export-kb", "--format", "jsonl", "--out", str(out), "--db", db]) == 0
    entities = [json.loads(x) for x in (out / "entities.jsonl").read_text("utf-8").splitlines()]
    events = [json.loads(x) for x in (out / "events.jsonl").read_text("utf-8").splitlines()]
    by_name = {e["name"]: e for e in entities}
    assert {"Е. Досаев", "Ерболат Досаев"} <= {
        a["alias"] for a in by_name["Ерболат Досаев"]["aliases"]
    }
    assert all(link["score"] > 0 for e in entities for link in e["links"])
    assert any(ev["n_articles"] == 4 and ev["type"] == "meeting" for ev in events)
    assert all("text" not in json.dumps(ev) for ev in events), "no article text leaves"

    graph = tmp_path / "graph"
    assert main(["export-kb", "--format", "graph", "--out", str(graph), "--db", db]) == 0
    with (graph / "nodes.csv").open(encoding="utf-8") as fh:
        nodes = {row["id"]: row for row in csv.DictReader(fh)}
    with (graph / "edges.csv").open(encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert edges and all(e["source"] in nodes and e["target"] in nodes for e in edges)
    holds = {
        (nodes[e["source"]]["name"], e["role"], nodes[e["target"]]["name"])
        for e in edges
        if e["type"] == "HOLDS"
    }
    assert ("Ерболат Досаев", "аким", "Алматы") in holds
    assert "entities" in capsys.readouterr().out
