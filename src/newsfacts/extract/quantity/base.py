"""What every step of the quantity extractor shares: tokens, hits, figures, word lists.

natasha's tokens are copied into small mutable `Tok` records (only for sentences
that have a figure) because several steps correct natasha in place: a rare verb it
tagged as an adjective, a passive reduced to its active lemma. `IndicatorHit` is a
lexicon word (or a verb) that may name what a figure measures; `Figure` is one
number with what the steps have learnt about it.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from newsfacts.extract.numbers import CURRENCIES, CURRENCY_RES, Amount
from newsfacts.model import Span
from newsfacts.pipeline import TimeExpr

CURRENCY_UNITS = frozenset(code for _, code in CURRENCIES)


# Units of measure: "1,2 млн тонн" measures something, it does not count "тонны".
MEASURES = frozenset(
    {"унция", "карат", "тонно-километр", "пассажиро-километр", "кубический", "тонна", "центнер", "килограмм", "грамм", "литр", "баррель", "кубометр", "метр",
     "километр", "гектар", "киловатт-час", "мегаватт-час", "киловатт", "мегаватт",
     "гигаватт", "гигакалория", "сотка", "км", "кг", "м", "см", "мм", "га", "т", "л",
     "сантиметр", "миллиметр", "нанометр", "градус"}
)  # fmt: skip


COUNT_HEADS = frozenset({"число", "количество", "численность"})
# Nouns after a figure that are not what it counts.
# Durations ("21 месяц лишения свободы", "в течение 12 часов") are terms, not figures
# a business database tracks.
NOT_UNITS = frozenset(
    {"раз", "год", "процент", "тысяча", "миллион", "миллиард",
     "секунда", "минута", "час", "сутки", "день", "неделя", "месяц",
     "тыс", "млн", "млрд", "трлн", "утро", "вечер", "ночь"}
)  # fmt: skip
# Bare heads that say little; used only when nothing better is in the clause.
WEAK_HEADS = frozenset({"уровень", "объём", "поток"})
GENERIC_HEADS = frozenset({"сумма", "стоимость"})


def fold(s: str) -> str:
    return s.lower().replace("ё", "е")


@dataclass
class Tok:
    start: int
    stop: int
    text: str
    lemma: str
    pos: str
    case: str | None
    number: str | None
    id: str = ""  # natasha's syntax ids ("1_3"); empty when the doc was not parsed
    head: str = ""
    rel: str = ""
    gender: str | None = None


@dataclass
class IndicatorHit:
    start: int
    end: int
    text: str
    head: str = ""
    case: str | None = None
    generic: bool = False
    noun_lemma: str | None = None  # last noun of the genitive phrase ("число рейсов")
    money: bool = False  # measures money only: never "стоимость" of "10 локомотивов"
    in_pp: bool = False  # inside a prepositional phrase: "(доля бизнеса) в ВВП"
    verb: Tok | None = None  # a verb that names the measure: "потратили" -> "расходы"
    bare: bool = False  # no complement: "доля" (then "доля ... во внешней торговле")
    tok: Tok | None = None  # its head word in natasha's tree


@dataclass
class Figure:
    amount: Amount
    role: str = "level"  # level | change | from
    qualifier: str | None = "eq"
    unit: str | None = None
    sign: int = 1
    change_unit: str | None = None
    trigger_start: int | None = None
    change: dict[str, Any] | None = None
    noun: Tok | None = None
    adjs: list[Tok] = field(default_factory=list)
    against: TimeExpr | None = None
    clause: Span | None = None  # its comma/dash-delimited stretch, once known
    prev_clause: Span | None = None  # the stretch before it, when its own is elliptical
    unit_end: int | None = None  # where an abbreviated measure ends ("3 млн т| зерна")


def _to_toks(tokens: list[Any]) -> list[Tok]:
    out = []
    for t in tokens:
        feats = t.feats or {}
        out.append(
            Tok(
                t.start,
                t.stop,
                t.text,
                fold(t.lemma or t.text),
                t.pos or "",
                feats.get("Case"),
                feats.get("Number"),
                t.id or "",
                t.head_id or "",
                t.rel or "",
                feats.get("Gender"),
            )  # fmt: skip
        )
    return out


def tokens_between(toks: list[Any], starts: list[int], start: int, end: int) -> list[Tok]:
    """The tokens inside [start, end), found by bisection: documents can be long.

    natasha's tokens are converted only here, for the sentences that have a figure:
    converting every token of a document cost more than the rest of the component.
    """
    i = bisect_left(starts, start)
    j = bisect_left(starts, end)
    return _to_toks([t for t in toks[i:j] if t.stop <= end])


# Common nouns that name the place a figure is about, not what it measures:
# "уровень газификации республики" is "уровень газификации" of a subject.
PLACE_NOUNS = frozenset(
    {"республика", "страна", "город", "регион", "область", "район", "столица", "государство"}
)


def display_word(t: Tok) -> str:
    """A complement word as it is shown: lower case, but "ВВП", "НДС" stay as written."""
    return t.text if t.text.isupper() and len(t.text) >= 2 else t.text.lower()


def index_after(toks: list[Tok], pos: int) -> int:
    return next((k for k, t in enumerate(toks) if t.start >= pos), len(toks))


def is_currency_word(t: Tok) -> bool:
    return any(rx.fullmatch(t.text) for rx, _ in CURRENCY_RES)


def gazetteer_module() -> Any:
    try:
        from newsfacts.extract import gazetteer
    except ImportError:  # the gazetteer is optional: subjects then come from NER only
        return None
    return gazetteer
