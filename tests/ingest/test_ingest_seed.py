"""The founding example, end to end through reader and cleaner."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.ingest.clean import clean
from newsfacts.ingest.readers import read_path
from newsfacts.model import RawDocument, article_id


def test_seed(seed_path: Path) -> None:
    (raw,) = read_path(seed_path)
    assert isinstance(raw, RawDocument)
    art = clean(raw)
    assert art.title == (
        "Италия готова профинансировать создание в Алматы центра креативных индустрий"
    )
    assert art.text.startswith(art.title + "\nОб этом посол Италии Марко Альберти")
    (repair,) = art.repairs
    assert repair.kind == "split_glued_sentence"
    assert art.text[: repair.at].endswith("перспектив сотрудничества")
    assert art.text[repair.at :].startswith(".\nАким Алматы Ерболат Досаев встретился")
    assert art.policy.max_share == pytest.approx(0.3)
    assert art.policy.link_required and art.policy.full_text == "permission"
    assert art.source == "kapital.kz"
    assert "Kapital.kz" not in art.text
    assert art.text.endswith("взаимовыгодного сотрудничества.")
    assert art.language == "ru" and art.id == article_id(art.text)
