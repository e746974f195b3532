from __future__ import annotations

import pytest

from newsfacts.ingest.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Аким Шымкента провел встречу с послом Турции и обсудил инвестиции.", "ru"),
        # Russian with Kazakh place names stays Russian.
        (
            "Кластер разместят в индустриальной зоне «Оңтүстік» в Шымкенте, сообщил аким города.",
            "ru",
        ),
        ("Қазақстан Республикасының Президенті Астанада шетелдік инвесторлармен кездесті.", "kk"),
        ("The ambassador of Italy met the mayor of Almaty to discuss direct flights.", "en"),
        (
            "Кыргызстан менен Өзбекстан соода жүгүртүүнү көбөйтүү боюнча сүйлөшүүлөрдү өткөрүштү.",
            "other",
        ),
        ("Україна та Казахстан обговорили співпрацю у сфері енергетики і їхні плани.", "other"),
        ("Die Botschafterin traf den Bürgermeister von Almaty zu Gesprächen über Flüge.", "other"),
        ("12 345 — 67,8 %", "other"),
        ("", "other"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language
