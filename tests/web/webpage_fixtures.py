"""A record carrying markup in every field a page shows."""

from __future__ import annotations

from webapi_fixtures import build

from newsfacts.model import Record

HOSTILE_TEXT = (
    "Компания <script>alert(1)</script> объявила о запуске завода в Шымкенте. "
    "Директор компании Асель Нурланова провела встречу с инвесторами."
)


def hostile_record() -> Record:
    """Markup in every field a page shows: it must come out escaped, never executed."""
    return build(
        HOSTILE_TEXT,
        title="<img src=x onerror=alert(1)> завод в Шымкенте",
        source="example.kz",
        url="https://example.kz/1",
        published="2021-11-11",
        entities=[
            ("E1", "organization", "<b>Компания</b>", ["<script>alert(1)</script>"], {}),
            ("E2", "location", "Шымкент", ["Шымкенте"], {"subtype": "city", "country": "KZ"}),
            ("E3", "person", "Асель Нурланова", ["Асель Нурланова"], {}),
        ],
        facts=[
            ("launch", {"object": "<i>завод</i>", "place": "E2"}, "запуске", {}),
            ("occupation", {"person": "E3", "position": "директор", "where": "E1"}, "Директор", {}),
        ],
    )
