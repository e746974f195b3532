"""What verbs say about a figure: deverbal measures, trade, and which argument counts.

A verb can name the measure by its deverbal noun ("туристы потратили" → "расходы
туристов", "выплавили 4 млн тонн стали" → "выплавка стали", "отправил на внешние
рынки" → "экспорт"), when the figure hangs on that verb or prices its object. The
subject of "составить/достичь/вырасти" and the object of "увеличить/нарастить" are
what a figure measures; agents, places and vague nouns ("показатель") never are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsfacts.extract.quantity.base import (
    CURRENCY_UNITS,
    MEASURES,
    Figure,
    IndicatorHit,
    Tok,
    fold,
)


@lru_cache(maxsize=4096)
def infinitive_of(word: str) -> str | None:
    """The infinitive of a finite verb, infinitive or short participle ("выделено")."""
    from newsfacts.nlp.natasha_pipe import models

    parses = models().morph_vocab(word)
    if not parses or parses[0].pos != "VERB":
        return None
    p = parses[0]
    form = p.feats.get("VerbForm")
    if form in {"Fin", "Inf"} or (form == "Part" and "Case" not in p.feats):
        return fold(p.normal_form)
    return None


# Goods sent, sold or shipped abroad are exports, whatever the verb.
_EXPORT_VERB_RE = re.compile(
    r"(?:от|на)?прав[ил]|(?:по|от)?став[ил]|(?:от)?груз|прода|реализ|вывез|вывоз|отгруж|экспорт"
)
_IMPORT_VERB_RE = re.compile(r"закуп|купи|покуп|приобре|ввез|ввоз|импорт|завез|завоз")
_FROM_ABROAD_RE = re.compile(
    r"(?<![а-яё])(?:за\s+(?:рубежом|границей)|из-за\s+(?:рубежа|границы)"
    r"|на\s+(?:внешн|зарубежн|международн)[а-яё]+\s+рынк[а-яё]+|в\s+других\s+странах)",
    re.I,
)


def trade_abroad(text: str, verb: Tok) -> str | None:
    """ "экспорт"/"импорт" for a verb of selling/buying whose goods cross the border."""
    window = (max(0, verb.start - 40), min(len(text), verb.stop + 60))
    if _IMPORT_VERB_RE.match(verb.lemma) and _FROM_ABROAD_RE.search(text, *window):
        return "импорт"
    if _EXPORT_VERB_RE.match(verb.lemma) and _ABROAD_RE.search(text, *window):
        return "экспорт"
    return None


_ABROAD_RE = re.compile(
    r"(?<![а-яё])(?:на\s+(?:внешн|зарубежн|международн|экспортн)[а-яё]+\s+рын[а-яё]+"
    r"|за\s+(?:рубеж|границ[уы])|на\s+экспорт(?![а-яё])|в\s+(?:другие|зарубежные)\s+стран)",
    re.I,
)


# Verbs that name what a figure measures, by the deverbal noun a statistician writes:
# (for money, for goods and other measures). "туристы потратили 1,6 млрд долларов" is
# "расходы туристов"; "ввели 1,5 млн кв. м жилья" is "ввод жилья".
DEVERBAL: dict[str, tuple[str | None, str | None]] = {
    "потратить": ("расходы", None), "тратить": ("расходы", None),
    "израсходовать": ("расходы", None), "расходовать": ("расходы", None),
    "затратить": ("расходы", None),
    "поступить": ("поступления", "поставки"), "поступать": ("поступления", "поставки"),
    "ввести": (None, "ввод"), "вводить": (None, "ввод"), "сдать": (None, "ввод"),
    "построить": (None, "строительство"), "строить": (None, "строительство"),
    "обойтись": ("стоимость", None), "обходиться": ("стоимость", None),
    "стоить": ("стоимость", None), "оцениваться": ("стоимость", None),
    "заработать": ("доход", None), "зарабатывать": ("доход", None),
    # money collected goes into a budget; a crop collected is a harvest
    "собрать": ("поступления", "сбор"), "собирать": ("поступления", "сбор"),
    "намолотить": (None, "сбор"),
    "добыть": (None, "добыча"), "добывать": (None, "добыча"),
    "произвести": ("производство", "производство"),
    "производить": ("производство", "производство"),
    "выпустить": ("выпуск", "выпуск"), "выпускать": ("выпуск", "выпуск"),
    "перевезти": (None, "перевозки"), "перевозить": (None, "перевозки"),
    "потерять": ("потери", "потери"), "терять": ("потери", "потери"),
    "выплатить": ("выплаты", None), "выплачивать": ("выплаты", None),
    "сэкономить": ("экономия", "экономия"),
    "привлечь": ("инвестиции", None), "привлекать": ("инвестиции", None),
    "переработать": (None, "переработка"), "перерабатывать": (None, "переработка"),
    "потребить": (None, "потребление"), "потреблять": (None, "потребление"),
    "выработать": (None, "выработка"), "вырабатывать": (None, "выработка"),
    "отгрузить": ("отгрузка", "отгрузка"), "отгружать": ("отгрузка", "отгрузка"),
    "выплавить": (None, "выплавка"), "выплавлять": (None, "выплавка"),
    "переплавить": (None, "переплавка"), "обработать": (None, "обработка"),
    "прокачать": (None, "прокачка"), "транспортировать": (None, "транспортировка"),
    "изготовить": (None, "производство"), "изготавливать": (None, "производство"),
    "сгенерировать": (None, "выработка"), "генерировать": (None, "выработка"),
    "вырастить": (None, "производство"), "выращивать": (None, "производство"),
    "надоить": (None, "надой"),
    "засеять": (None, "посевная площадь"), "засевать": (None, "посевная площадь"),
    "посеять": (None, "посевная площадь"), "заготовить": (None, "заготовка"),
    "заготавливать": (None, "заготовка"),
    "закупить": ("закупки", "закупки"), "закупать": ("закупки", "закупки"),
    "реализовать": (None, "продажи"), "реализовывать": (None, "продажи"),
    "предоставить": ("финансирование", None), "предоставлять": ("финансирование", None),
    "задолжать": ("задолженность", None), "накопить": ("накопления", None),
    "занять": ("заимствования", None), "заимствовать": ("заимствования", None),
    "перевалить": (None, "перевалка"), "переваливать": (None, "перевалка"),
    "перевести": ("переводы", None), "переводить": ("переводы", None),
    "выловить": (None, "вылов"), "уплатить": ("платежи", None), "заплатить": ("платежи", None),
}  # fmt: skip
# Nouns that do something rather than being measured: "компания потратила 5 млн" is
# the company's spending, and the company is a subject (or unnamed), not a complement.
AGENT_NOUNS = frozenset(
    {"компания", "банк", "правительство", "министерство", "ведомство", "акимат", "хокимият",
     "фирма", "холдинг", "корпорация", "предприятие", "завод", "фабрика", "фонд", "сторона",
     "власть", "кабинет", "парламент", "мэрия", "администрация", "организация", "оператор",
     "инвестор", "группа", "концерн", "агентство", "комитет", "орган", "служба", "таможня",
     "он", "она", "они", "это"}
)  # fmt: skip


VAGUE_NOUNS = frozenset(
    {"показатель", "цифра", "значение", "величина", "итог", "результат", "данные", "сумма"}
)
CHANGE_NOUNS = frozenset(
    {"рост", "прирост", "снижение", "сокращение", "падение", "увеличение", "уменьшение",
     "темп", "темпы", "динамика", "изменение",
     # portions measure their whole: "половина инвестиций пришлась на ..."
     "часть", "половина", "треть", "четверть", "большинство"}
)  # fmt: skip
_PLACE_PREP_RE = re.compile(
    r"(?:^|\s)(?:в|во|на|от|из|за|через|к|по)\s+(?:(?:около|порядка|почти|примерно)\s+)?$", re.I
)


# Output that can be counted in pieces ("выпуск автомобилей", "производство
# тракторов"); "ввели 12 школ", "перевезли 700 тыс. пассажиров" stay counts.
COUNTED_OUTPUT = frozenset({"производство", "выпуск", "добыча"})
# "от 1,5 до 2 млн тонн", "от 15–20%": the "от" opens a range, not a place.
_RANGE_START_RE = re.compile(r"\s*(?:до|[-–—])\s*\d")


def deverbal_display(h: IndicatorHit, f: Figure, text: str = "") -> str | None:
    """The noun a verb hit gives this figure: money or goods ("поступления"/"поставки")."""
    assert h.verb is not None
    money, goods = DEVERBAL[h.verb.lemma]
    if f.unit in CURRENCY_UNITS:
        return money
    if (
        f.role == "level"
        and _PLACE_PREP_RE.search(text[max(0, f.amount.start - 25) : f.amount.start])
        and not _RANGE_START_RE.match(text, f.amount.end)
    ):
        return None  # "построить в 40 км от города": where, not how much
    if f.noun is not None and f.unit not in MEASURES and goods in COUNTED_OUTPUT:
        return goods  # "выпустили 120 тыс. автомобилей": an output counted in pieces
    if f.unit in MEASURES or f.unit in {"%", "п.п.", "x"} or f.role == "change":
        display = goods or (money if f.role == "change" else None)
        if display == "строительство" and f.unit == "метр":
            return "ввод"  # "построено 2 млн кв. м жилья": the statistic is "ввод жилья"
        return display
    return None


# Verbs whose subject is what a figure measures ("доходы превысили 2 млрд"), and those
# whose object is ("нарастить добычу до 600 тыс. баррелей").
SUBJECT_VERBS = frozenset(
    {"составить", "составлять", "достичь", "достигнуть", "достигать", "превысить",
     "превышать", "вырасти", "расти", "возрасти", "увеличиться", "увеличиваться",
     "сократиться", "сокращаться", "снизиться", "снижаться", "уменьшиться", "уменьшаться",
     "упасть", "падать", "оцениваться", "приблизиться", "повыситься", "повышаться",
     "понизиться", "понижаться", "подняться", "опуститься", "укрепиться", "укрепляться",
     "ослабнуть", "ослабеть", "ослабляться", "подорожать", "подешеветь", "девальвироваться",
     "обесцениться", "прибавить", "потерять", "удвоиться", "утроиться", "ожидаться",
     "дорожать", "дешеветь",
     "прогнозироваться", "держаться", "остаться", "оставаться", "колебаться", "замедлиться",
     "ускориться", "исчисляться", "равняться", "насчитывать"}
)  # fmt: skip
OBJECT_VERBS = frozenset(
    {"увеличить", "увеличивать", "нарастить", "наращивать", "снизить", "снижать",
     "сократить", "сокращать", "повысить", "повышать", "понизить", "понижать", "довести",
     "доводить", "поднять", "поднимать", "удвоить", "утроить", "уменьшить", "сохранить",
     "установить", "зафиксировать", "прогнозировать", "оценить", "оценивать"}
)  # fmt: skip
# Nouns a figure hangs from that say nothing themselves: look further up.
FRAME_NOUNS = frozenset({"уровень", "размер", "отметка", "рубеж", "сумма", "объём", "объем"})


PRICE_VERBS = frozenset({"подорожать", "подешеветь", "дорожать", "дешеветь"})
