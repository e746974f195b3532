"""A figure's modality: `actual`, `planned`, `forecast` or `possible` (docs/fact-labelling.md 4.10).

The cue is read in the figure's own stretch of the sentence: from the last contrast
("…, а в 2025 году…", "; ", ", но ") before the figure to the end of its clause, so that
"перевезла 2,8 млн пассажиров, а в 2025 году рассчитывает увеличить на 15%" gives the
first figure `actual` and the second `planned`, and "стоимость – 820 млн, запуск
ожидается в 2026 году" does not make the cost a forecast. In order:

- a forecast word ("прогноз", "ожидается", "по оценке") wins over a modal verb;
- a possibility ("может составить", "способен", "потенциал") is `possible`;
- a target or decision ("планируется", "намерены", "готова вложить", "предусматривает",
  "должны", "поручил") is `planned`;
- the value of a document signed in the sentence before the figure ("подписали соглашение
  о строительстве завода мощностью 300 тыс. тонн") is `planned`: the work is not done;
- otherwise the tense of the stretch's verbs: a past or present verb reports what
  happened (`actual`), a future one ("составит", "вырастет", "будет") a plan.

`actual` is returned as None: the record's default, as for facts before this step.
"""

from __future__ import annotations

import re
from typing import Any

from newsfacts.model import Span

_CONTRAST_RE = re.compile(r",\s+(?:а|но|тогда\s+как|в\s+то\s+время\s+как)\s|;\s")
_CLAUSE_END_RE = re.compile(r"[,;.:]\s")

_FORECAST_RE = re.compile(
    r"прогноз|ожида|по\s+(?:предварительн\w+\s+)?оценк|оценива(?:ет|ют)\s|предполага"
    r"|по\s+расч[её]там|как\s+ожидается",
    re.I,
)
_POSSIBLE_RE = re.compile(
    r"\b(?:мо(?:жет|гут)|смож\w+|способ(?:ен|на|но|ны)|возможност\w*|потенциал\w*"
    r"|не\s+исключ\w+)\b",
    re.I,
)
_PLANNED_RE = re.compile(
    r"\b(?:план\w*|заплан\w+|намер\w+|готов[аыо]?|предусм\w+|рассчитыва\w+|должн\w*"
    r"|цел[ьи]\w*|поручи\w+|ориентировочн\w+|оценивается|оцениваются|будет|будут"
    r"|выдел(?:ят|ит)|обяз\w+|пред(?:стоит|полагается)|одобри\w+)\b",
    re.I,
)
_SIGNED_RE = re.compile(
    r"\b(?:подпис\w+|заключ\w+)\b[^.]*?\b(?:соглашени|контракт|меморандум|договор|документ)",
    re.I,
)
_WORD_RE = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")


def stretch(text: str, sent: Span, offset: int) -> Span:
    """The part of the sentence whose words speak about the figure at `offset`."""
    start = sent[0]
    for m in _CONTRAST_RE.finditer(text, sent[0], offset):
        start = m.end()
    m = _CLAUSE_END_RE.search(text, offset, sent[1])
    return start, (m.start() if m else sent[1])


def modality(text: str, sent: Span, offset: int, morph: Any) -> str | None:
    """`planned`, `forecast`, `possible`, or None (`actual`) for the figure at `offset`."""
    s, e = stretch(text, sent, offset)
    part = text[s:e]
    tense = _tense(part, morph)
    if tense is None and s > sent[0]:
        # ", а стоимость строительства – 115 млрд": no verb of its own, the first
        # clause's verb speaks for it.
        part = text[sent[0] : e]
        tense = _tense(part, morph)
    if _FORECAST_RE.search(part):
        return "forecast"
    if _POSSIBLE_RE.search(part):
        return "possible"
    if _PLANNED_RE.search(part) or _SIGNED_RE.search(text, sent[0], offset):
        return "planned"
    return "planned" if tense == "futr" else None


def _tense(part: str, morph: Any) -> str | None:
    """The tense of the first finite verb of the stretch (its main verb in news style)."""
    for m in _WORD_RE.finditer(part):
        word = m.group(0).lower()
        if len(word) < 4:
            continue
        parses = morph.parse(word)
        if not parses:
            continue
        tag = parses[0].tag
        if tag.POS == "VERB" and tag.tense is not None:
            return str(tag.tense)
    return None
