"""Issue 12: the command line reveals no more of an article than the pages and API.

`search` (plain and --json), `show` (articles and entities), `export` (jsonl, csv)
and `export-kb` print text only from each article's quotable set. Two retellings
that share two sentences are stored; every output is fed to one strict meter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsfacts.cli import main
from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id
from newsfacts.policy.measure import RevealMeter
from newsfacts.policy.quotable import allowance_of
from newsfacts.store import Store

SHARED = (
    "Министр торговли и интеграции Казахстана Серик Жумангарин провел переговоры с "
    "делегацией Узбекистана в Астане. Стороны договорились довести товарооборот двух "
    "стран до десяти миллиардов долларов к концу следующего года."
)
BANK = "Министр торговли и интеграции"


def _record(opening: str, source: str, share: float, n: int) -> Record:
    text = f"{opening}\n{SHARED} Переговоры продолжатся в Ташкенте осенью."
    art = Article(
        id=article_id(text),
        text=text,
        title=opening,
        source=source,
        url=f"https://{source}/news/{n}",
        published="2023-05-02",
        policy=Policy(max_share=share, link_required=True, full_text="permission", origin="footer"),
    )
    who = text.index("Серик Жумангарин")
    first = text.index(SHARED)
    second = text.index("Стороны договорились")
    facts = [
        Fact(
            type="meeting",
            args={"participants": ["E1"], "place": "E2"},
            evidence=[(first, second - 1)],
            confidence=0.9,
        ),
        Fact(
            type="intent",
            args={"agent": "E1", "what": "довести товарооборот двух стран до десяти миллиардов"},
            evidence=[(second, text.index(" Переговоры"))],
            confidence=0.8,
        ),
    ]
    ents = [
        Entity(id="E1", type="person", name="Серик Жумангарин", mentions=[(who, who + 16)]),
        Entity(
            id="E2",
            type="location",
            name="Астана",
            mentions=[(text.index("Астане"), text.index("Астане") + 6)],
        ),
    ]
    return Record(article=art, entities=ents, facts=facts, extractor_version="test-1")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Record]]:
    path = str(tmp_path_factory.mktemp("cli") / "share.db")
    records = [
        _record("Казахстан и Узбекистан нарастят торговлю", "kapital.kz", 0.3, 1),
        _record("Жумангарин обсудил товарооборот с Узбекистаном", "inform.kz", 0.2, 2),
    ]
    with Store.open(path) as store:
        for r in records:
            store.save(r)
    return path, records


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0, argv
    return capsys.readouterr().out


def test_every_cli_output_together_stays_within_each_share(
    db: tuple[str, list[Record]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, records = db
    meter = RevealMeter({r.article.id: r.article.text for r in records})
    outputs = []
    for q in ("товарооборот", "Жумангарин", "Узбекистана", "Астане"):  # one word: no echo
        outputs.append(_run(capsys, "search", q, "--db", path, "--json"))
        outputs.append(_run(capsys, "search", q, "--db", path))
    for r in records:
        outputs.append(_run(capsys, "show", r.article.id, "--db", path))
    outputs.append(_run(capsys, "show", "Серик Жумангарин", "--db", path))
    for fmt in ("jsonl", "csv"):
        outputs.append(_run(capsys, "export", "--format", fmt, "--db", path))
    kb = tmp_path / "kb"
    _run(capsys, "export-kb", "--db", path, "--out", str(kb))
    outputs += [p.read_text(encoding="utf-8") for p in sorted(kb.glob("*.jsonl"))]
    for out in outputs:
        meter.feed_output(out)
    for r in records:
        allowance = allowance_of(r.article.policy, len(r.article.text))
        assert allowance is not None
        assert meter.revealed(r.article.id) <= allowance, (r.article.source, allowance)
    # and the outputs do carry the story: quotes, names and the titles the sets hold
    assert any(meter.revealed(r.article.id) for r in records)


def test_search_json_is_the_api_search_body(
    db: tuple[str, list[Record]], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = db
    found = json.loads(_run(capsys, "search", "товарооборот", "--db", path, "--json"))
    assert set(found) >= {"articles", "entities", "facts"}
    assert found["articles"]["items"] and all(
        "snippet" not in a for a in found["articles"]["items"]
    )
