"""Lines that are page furniture, not news: one regular expression per entry.

Kept as data so a new outlet's widget text is a one-line addition. Each pattern
must match the whole (stripped) line, and only lines up to `MAX_LINE` characters
are considered, so a news paragraph that happens to start with "Фото" survives.
"""

from __future__ import annotations

import re

MAX_LINE = 160

BOILERPLATE_LINES: tuple[str, ...] = (
    r"(?:поделиться|поделитесь|share)\s*(?::.*)?",
    r"читайте\s+(?:также|еще|ещё|по\s+теме)\b.*",
    r"(?:смотрите|см\.)\s+также\b.*",
    r"по\s+теме\s*:?",
    r"(?:подписывайтесь|подпишитесь|подписаться)\b.*",
    r"(?:фото|фотография|фото\s*/\s*видео|видео|photo|источник\s+фото|иллюстрация)\s*(?::|©|—|-)\s*.*",
    r"(?:©|\(c\)|&copy;).*",
    r"все\s+права\s+защищены\.?",
    r"(?:теги|тэги|метки|tags)\s*:.*",
    r"(?:реклама|advertisement)\.?",
    r"(?:комментарии\s*(?:\(\d+\))?|(?:оставить|добавить)\s+комментарий)\s*:?",
    r"(?:подробности|подробнее|источник|оригинал)\s*:\s*(?:https?://|www\.)\S+",
    r"(?:нашли\s+ошибку|если\s+вы\s+нашли\s+ошибку)\b.*",
    r"(?:наш|наши)\s+(?:telegram|телеграм)[\w-]*\b.*",
    r"(?:новости|главное)\s+в\s+(?:telegram|телеграм|whatsapp)\b.*",
)

_PATTERNS = tuple(re.compile(p, re.IGNORECASE) for p in BOILERPLATE_LINES)


def is_boilerplate(line: str) -> bool:
    stripped = line.strip()
    return len(stripped) <= MAX_LINE and any(p.fullmatch(stripped) for p in _PATTERNS)
