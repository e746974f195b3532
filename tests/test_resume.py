"""An ingest killed half-way (kill -9) resumes without duplicates or lost articles."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from newsfacts.store import Store

CITIES = ["Караганды", "Павлодара", "Костаная", "Атырау", "Актау", "Семея", "Тараза", "Уральска"]
COUNTRIES = ["Польши", "Чехии", "Египта", "Вьетнама", "Малайзии", "Бразилии", "Индии", "Японии"]
SURNAMES = ["Ахметов", "Бекова", "Калиев", "Нурланов", "Омарова", "Сеитов", "Тулегенов", "Жумабаев"]


def write_corpus(folder: Path, count: int) -> None:
    folder.mkdir()
    lines = []
    for i in range(count):
        city, country, surname = CITIES[i % 8], COUNTRIES[(i * 3) % 8], SURNAMES[(i * 5) % 8]
        text = (
            f"Аким {city} {surname} провёл встречу с послом {country} в Казахстане. "
            f"Стороны обсудили строительство завода номер {i + 1} и поставки оборудования. "
            f"По итогам {2010 + i % 12} года объём инвестиций составил {i + 2},{i % 10} млн долларов "
            f"США, а число совместных предприятий достигло {10 + i * 7}. "
            f"Посол предложил провести деловой форум в {city} осенью."
        )
        lines.append(
            json.dumps(
                {"text": text, "title": f"Встреча {i}", "published": "2023-05-1" + str(i % 10)},
                ensure_ascii=False,
            )
        )
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def ingest_cmd(corpus: Path, db: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsfacts.cli",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--quiet",
    ]


def stored_ids(db: Path) -> list[str]:
    with Store.open(str(db)) as store:
        return [a["id"] for a in store.list_articles(limit=10_000)]


def stored_facts(db: Path) -> list[tuple[str, str]]:
    with Store.open(str(db)) as store:
        return sorted(
            (row["article_id"], json.dumps(row["args"], sort_keys=True, ensure_ascii=False))
            for row in store.iter_facts_for_export()
        )


def test_killed_ingest_resumes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40)
    db = tmp_path / "killed.db"
    proc = subprocess.Popen(
        ingest_cmd(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and len(stored_ids(db)) >= 3:
            break
        time.sleep(0.2)
    killed_mid_run = proc.poll() is None
    if killed_mid_run:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = stored_ids(db)
    assert killed_mid_run and 0 < len(partial) < 40, "the kill landed half-way through the batch"

    subprocess.run(ingest_cmd(corpus, db), check=True, capture_output=True)
    resumed = stored_ids(db)
    assert len(resumed) == len(set(resumed)) == 40
    assert set(partial) <= set(resumed)

    fresh = tmp_path / "fresh.db"
    subprocess.run(ingest_cmd(corpus, fresh), check=True, capture_output=True)
    assert stored_facts(db) == stored_facts(fresh)
