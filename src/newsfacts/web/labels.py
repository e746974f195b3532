"""Russian words for every code the fact record carries, and Russian numbers and dates.

The store speaks in codes (`occupation`, `gt`, `readiness`, `city`, `KZ`); an
analyst reads Russian. Every page goes through these tables and formatters, so a
code that reaches a page unlabelled is a bug in one place, and tests can check that
each code of `newsfacts.model` has its label.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any

# Facts below this confidence are hidden until the reader asks for them. Most
# extractor output sits at 0.55–0.9; the learned occupation pairs the extractor is
# unsure of land at 0.2–0.45, and those are the ones analysts found wrong.
LOW_CONFIDENCE = 0.5

FACT_TYPE = {
    "occupation": "должность",
    "meeting": "встреча",
    "deal": "сделка",
    "ownership": "владение",
    "intent": "намерение",
    "proposal": "предложение",
    "plan": "план",
    "launch": "запуск",
    "discussion": "обсуждение",
    "quantity": "показатель",
}
FACT_TYPE_PLURAL = {
    "occupation": "Должности",
    "meeting": "Встречи",
    "deal": "Сделки",
    "ownership": "Владение",
    "intent": "Намерения",
    "proposal": "Предложения",
    "plan": "Планы",
    "launch": "Запуски",
    "discussion": "Обсуждения",
    "quantity": "Показатели",
}
MODALITY = {
    "readiness": "готовность",
    "promise": "обещание",
    "agreement": "договорённость",
    "intention": "намерение",
}
# How a figure or a launch is qualified when it is not a fact of the past or present.
FIGURE_MODALITY = {
    "actual": "",
    "planned": "план",
    "forecast": "прогноз",
    "possible": "возможно",
}
# What the modality makes of the action: «Италия готова профинансировать …».
MODALITY_VERB = {
    "readiness": ("готов", "готова", "готово", "готовы"),
    "promise": ("обещает", "обещает", "обещает", "обещают"),
    "agreement": ("договорился", "договорилась", "договорилось", "договорились"),
    "intention": ("намерен", "намерена", "намерено", "намерены"),
}
PHASE = {
    "start": "назначение",
    "end": "уход с поста",
    "current": "в должности",
    "past": "в прошлом",
}
QUALIFIER = {
    "eq": "",
    "gt": "более",
    "ge": "не менее",
    "lt": "менее",
    "le": "не более",
    "approx": "около",
}
TIME_KIND = {"until": "до", "since": "с", "at": ""}
ENTITY_TYPE = {"person": "персона", "organization": "организация", "location": "место"}
LOCATION_SUBTYPE = {"country": "страна", "city": "город", "region": "регион", "other": "место"}
POLICY_FULL_TEXT = {
    "allowed": "разрешён",
    "permission": "только с разрешения редакции",
    "forbidden": "запрещён",
}
POLICY_ORIGIN = {
    "footer": "из подвала статьи",
    "registry": "из реестра источников",
    "default": "по умолчанию",
}
ROLE = {
    "person": "лицо",
    "where": "где",
    "participants": "участники",
    "parties": "стороны",
    "agent": "кто",
    "on_behalf_of": "от имени",
    "place": "место",
    "route": "маршрут",
    "proposer": "кто предложил",
    "addressee": "кому",
    "subjects": "к чему относится",
    "owner": "владелец",
    "property": "собственность",
}
# The arguments an analyst may correct from the page, in the order the form lists them.
ARG = {
    **ROLE,
    "position": "должность",
    "action": "действие",
    "object": "объект",
    "topic": "тема",
    "indicator": "показатель",
    "value": "значение",
    "unit": "единица",
    "period": "период",
    "time": "время",
    "kind": "вид документа",
    "subject": "предмет",
    "status": "статус",
}
MONTH_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
MONTH = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)
MONTH_PREPOSITIONAL = (
    "январе",
    "феврале",
    "марте",
    "апреле",
    "мае",
    "июне",
    "июле",
    "августе",
    "сентябре",
    "октябре",
    "ноябре",
    "декабре",
)
NBSP = "\u00a0"
_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@lru_cache(maxsize=1)
def _countries() -> dict[str, str]:
    """ISO code → Russian country name, from the gazetteer the extractor uses."""
    text = resources.files("newsfacts").joinpath("data/gazetteer.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 3:
            continue
        if cols[1].strip() == "country" and cols[2].strip():
            out.setdefault(cols[2].strip().upper(), cols[0].strip())
    return out


def country_name(code: str | None) -> str:
    """«KZ» → «Казахстан»; an unknown code stays a code rather than disappear."""
    if not code:
        return ""
    return _countries().get(code.upper(), code.upper())


def place_kind(ref: dict[str, Any]) -> str:
    """What an entity is, in words: «город, Казахстан», «страна», «организация»."""
    if ref.get("type") != "location":
        return ENTITY_TYPE.get(str(ref.get("type")), "")
    kind = LOCATION_SUBTYPE.get(str(ref.get("subtype") or "other"), "место")
    country = ref.get("country")
    if country and ref.get("subtype") != "country":
        return f"{kind}, {country_name(country)}"
    return kind


def number(value: float | int | None) -> str:
    """13500000 → «13 500 000», 12.5 → «12,5»: digits grouped by thin spaces, comma decimal."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        whole, _, frac = f"{value:.6f}".rstrip("0").partition(".")
        return _group(whole) + ("," + frac if frac else "")
    return _group(str(int(value)))


def _group(digits: str) -> str:
    sign = "−" if digits.startswith("-") else ""
    digits = digits.lstrip("-")
    parts = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    # four-digit numbers stay whole («1200 мест»), as Russian typesetting does
    joined = "".join(parts) if len(parts) == 2 and len(parts[0]) == 1 else NBSP.join(parts)
    return sign + joined


def human(value: float | int | None) -> str:
    """13500000 → «13,5 млн»: figures read the way the articles print them."""
    if value is None:
        return "—"
    for size, word in ((1e12, "трлн"), (1e9, "млрд"), (1e6, "млн"), (1e3, "тыс.")):
        if abs(value) >= size:
            return f"{value / size:.3g}".replace(".", ",") + f"{NBSP}{word}"
    return number(round(value, 2) if isinstance(value, float) else value)


def date(value: Any) -> str:
    """«2022-01-19» → «19 января 2022 г.», «2022-06» → «июнь 2022 г.», «2022» → «2022 г.».

    Anything that is not an ISO date (an unresolved «в сентябре текущего года») is
    returned as written, since that is all the article said.
    """
    if not isinstance(value, str) or not value:
        return ""
    return _date(value) if type(value) is str else _date.__wrapped__(value)


@lru_cache(maxsize=4096)
def _date(value: str) -> str:
    """`date` of a string, remembered: a page prints the same few dates hundreds of times."""
    m = _ISO.match(value)
    if m is None:
        return value
    year, month, day = m.groups()
    if month and 1 <= int(month) <= 12:
        if day:
            return f"{int(day)} {MONTH_GENITIVE[int(month) - 1]} {year}{NBSP}г."
        return f"{MONTH[int(month) - 1]} {year}{NBSP}г."
    return f"{year}{NBSP}г."


def when(value: Any, kind: str | None = None, resolved: bool = True) -> str:
    """A fact's time as a phrase: «в 2025 г.», «до 2027 г.», «с июня 2022 г.», «19 января 2022 г.».

    `kind` is the record's time_kind (until | since); an unresolved time is the
    article's own words («с июня текущего года») and is kept as written.
    """
    if isinstance(value, dict):
        resolved = bool(value.get("resolved", True))
        value = value.get("value")
    if not isinstance(value, str) or not value:
        return ""
    m = _ISO.match(value)
    if m is None or not resolved:
        return value
    year, month, day = m.groups()
    prefix = {"until": "до", "since": "с"}.get(kind or "", "в")
    if month and 1 <= int(month) <= 12:
        i = int(month) - 1
        if day:
            head = "" if prefix == "в" else prefix + " "
            return f"{head}{int(day)} {MONTH_GENITIVE[i]} {year}{NBSP}г."
        word = MONTH_PREPOSITIONAL[i] if prefix == "в" else MONTH_GENITIVE[i]
        return f"{prefix} {word} {year}{NBSP}г."
    return f"{prefix} {year}{NBSP}г."


def year_of(value: Any) -> str:
    """«2022-01-19» → «2022»: the short form «(с 2022)» in a statement."""
    if isinstance(value, str) and _ISO.match(value):
        return value[:4]
    return str(value or "")


def confidence_label(value: float) -> str:
    """A word next to the bar, so confidence reads without knowing the scale."""
    if value >= 0.8:
        return "высокая"
    if value >= LOW_CONFIDENCE:
        return "средняя"
    return "низкая"
