"""The "quantity" component: reported figures as facts of type "quantity".

A figure in business news is a level ("товарооборот составил 13,5 млн долларов") or
a change of a level ("превысив показатель 2020 года на 12,5%"). Both are found by
`numbers.find_amounts`; this module decides which is which, what the figure
measures (the indicator), whom it is about (subjects: entity ids), and which period
it belongs to (from `doc.dates`).

The indicator is built from natasha's tree, with `data/indicators.txt` saying which
nouns are indicators, not which words an indicator may have:
- the noun the figure's verb is about wins: the subject of "составить/достичь/
  вырасти" or the object of "увеличить/нарастить" ("доходы превысили 2 млрд"), even
  when the lexicon does not know it ("профицит бюджета составил ..."); a currency
  as the subject is its rate ("тенге укрепился на 1,2%" → "курс тенге");
- it keeps its adjectives unless they say when or whose ("минимальная заработная
  плата", "средняя пенсия" (an average is its own measure), but "годовой оборот" →
  "оборот", "российские инвестиции" → "инвестиции" with Russia as a subject), its
  genitive phrase, and the "от/на/по/в" phrase only a head that means nothing
  without it governs ("доход от экспорта услуг", "ставка налога на прибыль"; "цены
  на бензин" stays "цена", "ставка пошлины на автомобили" "ставка пошлины");
- a verb can name the measure by its deverbal noun ("туристы потратили" → "расходы
  туристов", "выплавили 4 млн тонн стали" → "выплавка стали", "отправил на внешние
  рынки" → "экспорт"), when the figure hangs on that verb or prices its object;
- a share owned by the verb's other argument is "доля <owner>" ("60% электроэнергии
  вырабатывают ГЭС" → "доля ГЭС"); a rate ("18% годовых", "под 7%") is named by the
  rate, never by "годовых";
- a count with no indicator word is "число <noun>"; a count of "человек" is named by
  the people's role ("работают 300 человек" → "число работников").

The labelling rules these follow are in `docs/quantity-labelling.md`.

Conventions (see also `shared/docs/fact-schema.md`):
- `value` is in base units; `unit` is ISO 4217 for money, "%" for shares, "п.п." for
  percentage points, otherwise the lemma of the counted noun ("предприятие").
- A count with no indicator word is indicated as "число <noun, genitive plural>".
- `change` is {"value", "unit", "against"}: a percentage ("вырос на 12,5%" → 12.5,
  "снизился на 3%" → -3), a factor ("в 2 раза" → {"value": 2, "unit": "x"}; a decrease
  "в 2 раза" → 0.5), or an absolute difference ("с 10 до 15 млн" → 5000000 in the
  level's unit). `against` is the compared period when the text names one.
- A change with no level in its sentence ("экспорт вырос на 15%") is still a fact,
  with `value`, `unit` and `qualifier` null and the change filled in.
- `period` is the ISO value of the time expression (kept as text, with
  "period_resolved": false, when it could not be resolved).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from newsfacts.extract.numbers import (
    CURRENCIES,
    CURRENCY_RES,
    Amount,
    find_amounts,
    measure_of,
    qualifier_after,
    qualifier_before,
    to_base,
)
from newsfacts.model import Entity, Fact, Span
from newsfacts.pipeline import Doc, TimeExpr, component

CURRENCY_UNITS = frozenset(code for _, code in CURRENCIES)

_INCREASE = (
    r"вырос|выросл|вырас|выраст|возрос|увелич|рост|прирост|повыс|повыш|подня|превыс|прибав|подорож|"
    r"укрепи|расшир|нарасти|нарост|ускор|проиндекс|индексир|индексац"
)
_DECREASE = (
    r"сниз|сниж|пониз|пониж|сократ|сокращ|уменьш|упал|упад|падени|подешев|ослаб|потер|замедл|обвал|"
    r"опусти|просел|просед"
)
_TRIGGER_RE = re.compile(rf"(?<![а-яё])(?:(?P<up>{_INCREASE})|(?P<down>{_DECREASE}))[а-яё]*", re.I)
_AFTER_CMP_RE = re.compile(r"^\s*(?:(?P<up>больше|выше)|(?P<down>меньше|ниже))\b", re.I)
_TIMES_RE = re.compile(r"^\s*раз(?:а)?\b", re.I)
_NA_RE = re.compile(r"(?:^|\s)на\s*$", re.I)
_V_RE = re.compile(r"(?:^|\s)в\s*$", re.I)
_SOSTAVIL_RE = re.compile(
    r"(?:(?P<up>рост|прирост)|(?P<down>снижени|сокращени|падени))[а-яё]*"
    r"(?:\s+[^\s,.;]+){0,3}\s+состав[а-яё]+\s*$",
    re.I,
)
_TO_RE = re.compile(r"(?:^|\s)до\s*$", re.I)
_FROM_RE = re.compile(r"(?:^|\s)с\s*$", re.I)
_CMP_CUE_RE = re.compile(
    r"(?:по\s+сравнению\s+с|в\s+сравнении\s+с|относительно|против|чем|к\s+уровню|"
    r"от\s+уровня|(?:(?:аналогичн[а-яё]+|т[еоа][мйг]?\s+же)\s+)?(?:показател|период|уровн)[а-яё]*"
    r"|к)\s*$",
    re.I,
)
_CLAUSE_BREAK_RE = re.compile(r"[;:]\s|,\s|\s[–—-]\s|\(|\)")
_PHONE_RE = re.compile(
    r"(?:\+\s?\d[\d\s()-]{7,}\d|\(\d{3,5}\)\s?\d[\d\s-]{4,}\d|\b\d{2,3}-\d{2}-\d{2}\b)"
)
_TIME_RE = re.compile(
    r"\b\d{1,2}[:.]\d{2}\s*(?:час|ч\b|мин|мск|по\s+москов)|\b\d{1,2}:\d{2}\b", re.I
)

_COUNTRY_GROUP_RE = re.compile(
    r"между\s+(?:двумя\s+|обеими\s+|нашими\s+)?странами|двух\s+стран|обеих\s+стран|"
    r"двусторонн[а-яё]+|взаимн[а-яё]+\s+(?:товарооборот|торгов)",
    re.I,
)
_ONE_COUNTRY_RE = re.compile(r"по\s+стране|в\s+стране|по\s+республике|в\s+республике", re.I)
_THEIR_RE = re.compile(r"(?:^|\s)(?:их|таких|этих)\s+(?:общее\s+)?$", re.I)
_FOOTER_RE = re.compile(
    r"гиперссылк|при\s+(?:использовании|перепечатке|цитировании)\s+(?:полного\s+)?материал"
    r"|использование\s+(?:лишь\s+|не\s+более\s+)?\d+\s*%\s+текста",
    re.I,
)
_REFERENCE_RE = re.compile(
    r"(?:(?<![а-яё])(?:стать|част|пункт|подпункт|глав|раздел|параграф|приложени)[а-яё]*"
    r"|(?<![а-яё])(?:ст|ч|п|пп|гл)\.|№)\s*$",
    re.I,
)
_IMMEDIATE_RE = re.compile(
    r"\s*(?:(?:около|порядка|почти|примерно|более|менее|свыше|до|не\s+менее|не\s+более)\s+)?",
    re.I,
)
# Units of measure: "1,2 млн тонн" measures something, it does not count "тонны".
_MEASURES = frozenset(
    {"унция", "карат", "тонно-километр", "пассажиро-километр", "кубический", "тонна", "центнер", "килограмм", "грамм", "литр", "баррель", "кубометр", "метр",
     "километр", "гектар", "киловатт-час", "мегаватт-час", "киловатт", "мегаватт",
     "гигаватт", "гигакалория", "сотка", "км", "кг", "м", "см", "мм", "га", "т", "л",
     "сантиметр", "миллиметр", "нанометр", "градус"}
)  # fmt: skip
_TMT_CONTEXT_RE = re.compile(r"туркмен", re.I)
_COUNT_HEADS = frozenset({"число", "количество", "численность"})
# Nouns after a figure that are not what it counts.
# Durations ("21 месяц лишения свободы", "в течение 12 часов") are terms, not figures
# a business database tracks.
_NOT_UNITS = frozenset(
    {"раз", "год", "процент", "тысяча", "миллион", "миллиард",
     "секунда", "минута", "час", "сутки", "день", "неделя", "месяц",
     "тыс", "млн", "млрд", "трлн", "утро", "вечер", "ночь"}
)  # fmt: skip
# Bare heads that say little; used only when nothing better is in the clause.
_WEAK_HEADS = frozenset({"уровень", "объём", "поток"})
_GENERIC_HEADS = frozenset({"сумма", "стоимость"})


def _fold(s: str) -> str:
    return s.lower().replace("ё", "е")


# --- indicator lexicon ------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    display: str
    lemmas: tuple[frozenset[str], ...]  # each word's possible lemmas (pymorphy may disagree)
    complement: bool = False  # takes the genitive phrase that follows
    money: bool = False  # measures money: not used for counted things
    preps: frozenset[str] = frozenset()  # prepositions it governs: "доход от экспорта"


@dataclass(frozen=True)
class Lexicon:
    by_first: dict[str, list[Indicator]]  # entries by each lemma of their first word
    triggers: dict[str, tuple[str, bool]]  # verb lemma -> (display, money)
    preps: dict[str, frozenset[str]]  # head lemma -> prepositions it governs


def _word_lemmas(morph: Any, word: str) -> frozenset[str]:
    """Every lemma pymorphy offers for a lexicon word, and the word itself.

    The first parse is not always the nominative one ("валовой" parses first as a
    genitive of "валовый"), while natasha lemmatises the same word in context to
    "валовой"; accepting any of them keeps a lexicon line from silently never matching.
    """
    return frozenset({_fold(p.normal_form) for p in morph(word)} | {_fold(word)})


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The indicator lexicon (`data/indicators.txt`), read once."""
    from newsfacts.nlp.natasha_pipe import models

    morph = models().morph_vocab
    text = resources.files("newsfacts").joinpath("data/indicators.txt").read_text("utf-8")
    entries: list[Indicator] = []
    triggers: dict[str, tuple[str, bool]] = {}
    preps: dict[str, frozenset[str]] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        phrase, _, trig = line.partition("|")
        words = phrase.split()
        flags = {w for w in words if w in {"+", "$"}}
        governs = frozenset(w[1:] for w in words if w.startswith(">"))
        display = " ".join(w for w in words if w not in flags and not w.startswith(">"))
        lemmas = tuple(_word_lemmas(morph, w) for w in display.split())
        entries.append(Indicator(display, lemmas, "+" in flags, "$" in flags, governs))
        if governs:
            for lemma in lemmas[-1]:
                preps[lemma] = preps.get(lemma, frozenset()) | governs
        for t in trig.split(","):
            if t.strip():
                triggers[_fold(t.strip())] = (display, "$" in flags)
    entries.sort(key=lambda e: -len(e.lemmas))
    by_first: dict[str, list[Indicator]] = {}
    for e in entries:
        for lemma in e.lemmas[0]:
            by_first.setdefault(lemma, []).append(e)
    return Lexicon(by_first, triggers, preps)


def indicators() -> tuple[dict[str, list[Indicator]], dict[str, tuple[str, bool]]]:
    """Lexicon entries by first lemma (longest first) and trigger lemma -> (display, money)."""
    lex = lexicon()
    return lex.by_first, lex.triggers


@dataclass
class _Tok:
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
class _IndicatorHit:
    start: int
    end: int
    text: str
    head: str = ""
    case: str | None = None
    generic: bool = False
    noun_lemma: str | None = None  # last noun of the genitive phrase ("число рейсов")
    money: bool = False  # measures money only: never "стоимость" of "10 локомотивов"
    in_pp: bool = False  # inside a prepositional phrase: "(доля бизнеса) в ВВП"
    verb: _Tok | None = None  # a verb that names the measure: "потратили" -> "расходы"
    bare: bool = False  # no complement: "доля" (then "доля ... во внешней торговле")
    tok: _Tok | None = None  # its head word in natasha's tree


@dataclass
class _Figure:
    amount: Amount
    role: str = "level"  # level | change | from
    qualifier: str | None = "eq"
    unit: str | None = None
    sign: int = 1
    change_unit: str | None = None
    trigger_start: int | None = None
    change: dict[str, Any] | None = None
    noun: _Tok | None = None
    adjs: list[_Tok] = field(default_factory=list)
    against: TimeExpr | None = None
    clause: Span | None = None  # its comma/dash-delimited stretch, once known
    prev_clause: Span | None = None  # the stretch before it, when its own is elliptical
    unit_end: int | None = None  # where an abbreviated measure ends ("3 млн т| зерна")


# --- helpers ----------------------------------------------------------------------


def _to_toks(tokens: list[Any]) -> list[_Tok]:
    out = []
    for t in tokens:
        feats = t.feats or {}
        out.append(
            _Tok(
                t.start,
                t.stop,
                t.text,
                _fold(t.lemma or t.text),
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


def _tokens(toks: list[Any], starts: list[int], start: int, end: int) -> list[_Tok]:
    """The tokens inside [start, end), found by bisection: documents can be long.

    natasha's tokens are converted only here, for the sentences that have a figure:
    converting every token of a document cost more than the rest of the component.
    """
    i = bisect_left(starts, start)
    j = bisect_left(starts, end)
    return _to_toks([t for t in toks[i:j] if t.stop <= end])


def _clause(text: str, sent: Span, offset: int) -> Span:
    """The comma/dash-delimited stretch of the sentence around `offset`."""
    s, e = sent
    start, end = s, e
    for m in _CLAUSE_BREAK_RE.finditer(text, s, e):
        if m.end() <= offset:
            start = m.end()
        elif m.start() >= offset:
            end = m.start()
            break
    return start, end


def _skip_amount(text: str, a: Amount, blocked: list[Span]) -> bool:
    """Dates, phone numbers, clock times, ordinals ("30-летию"), model names ("Ан-124")."""
    if any(a.start < e and s < a.number_end for s, e in blocked):
        return True
    if _REFERENCE_RE.search(text, max(0, a.start - 12), a.start):
        return True  # "части 1 статьи 205", "№ 5", "пункт 3": references, not figures
    before = text[max(0, a.start - 2) : a.start]
    if before[-1:] in {"«", '"', "“"}:
        return True  # «16 тонн», «5 мыслей об индустрии»: a title, not a figure
    if (
        before[-1:].isalpha()
        or before[-1:] in {"№", "#"}
        or re.search(r"[A-Za-zА-Яа-яЁё]-$", before)
    ):
        return True
    after = text[a.number_end : a.number_end + 3]
    return bool(re.match(r"-?[А-Яа-яЁёA-Za-z]", after) and not re.match(r"\s", after))


def _counted_noun(toks: list[_Tok], end: int) -> tuple[_Tok | None, list[_Tok]]:
    """The noun a figure counts and its adjectives: "100 (крупных) предприятий"."""
    adjs: list[_Tok] = []
    for t in toks:
        if t.start < end:
            continue
        if t.pos == "ADJ" and len(adjs) < 3 and t.text[:1].islower():
            adjs.append(t)
            continue
        if t.pos == "NOUN" and t.lemma not in _NOT_UNITS and t.text[:1].islower():
            return t, adjs
        return None, []
    return None, []


@lru_cache(maxsize=4096)
def _gen_plural(morph: Any, lemma: str, surface: str, pos: str = "NOUN") -> str:
    """ "предприятия" → "предприятий", for "число предприятий" (memoised: pymorphy is slow)."""
    for p in morph(surface.lower()):
        if p.normal_form.replace("ё", "е") == lemma and p.pos == pos:
            form = p.inflect({"Gen", "Plur"})
            if form:
                return form.word
    return surface.lower()


def _count_indicator(morph: Any, noun: _Tok, adjs: list[_Tok], toks: list[_Tok]) -> str:
    """ "1,5 тыс. субъектов бизнеса" → "число субъектов бизнеса"."""
    words = [_gen_plural(morph, a.lemma, a.text, "ADJ") for a in adjs]
    idx = next((k for k, t in enumerate(toks) if t is noun), None)
    tail = _genitive_phrase(toks, idx + 1, []) if idx is not None else []
    return " ".join(
        [
            "число",
            *words,
            _gen_plural(morph, noun.lemma, noun.text),
            *(_word(t) for t in tail),
        ]
    )


# Common nouns that name the place a figure is about, not what it measures:
# "уровень газификации республики" is "уровень газификации" of a subject.
_PLACE_NOUNS = frozenset(
    {"республика", "страна", "город", "регион", "область", "район", "столица", "государство"}
)


@lru_cache(maxsize=4096)
def _genitive_noun(word: str) -> str | None:
    """The lemma of a genitive noun reading of a word natasha tagged as a verb."""
    from newsfacts.nlp.natasha_pipe import models

    for p in models().morph_vocab(word):
        if p.pos == "NOUN" and p.feats.get("Case") == "Gen" and p.feats.get("Animacy") != "Anim":
            return _fold(p.normal_form)
    return None


def _genitive_phrase(toks: list[_Tok], i: int, stop: list[Span]) -> list[_Tok]:
    """The genitive words after position i: "(объём) прямых иностранных инвестиций"."""
    comp: list[_Tok] = []
    for k in range(i, min(len(toks), i + 6)):
        c = toks[k]
        if (
            comp
            and _fold(c.text) in {"и", "или"}
            and k + 1 < len(toks)
            and toks[k + 1].case == "Gen"
            and (toks[k + 1].pos == comp[-1].pos or comp[-1].pos == "NOUN")
            and toks[k + 1].pos in {"NOUN", "ADJ"}
            and toks[k + 1].text[:1].islower()
        ):
            comp.append(c)  # "малого и среднего бизнеса", "нефти и газа"
            continue
        if not comp and c.pos == "VERB" and c.case is None and c.text[:1].islower():
            noun = _genitive_noun(c.text.lower())
            if noun is not None:
                # "выплавка стали сократилась": natasha took "стали" for the verb
                c = replace(c, pos="NOUN", case="Gen", lemma=noun)
        if c.case != "Gen" or c.pos not in {"NOUN", "ADJ", "PROPN", "VERB"}:
            break  # VERB with a case is a participle: "просроченных кредитов"
        abbreviation = c.text.isupper() and 2 <= len(c.text) <= 5
        if c.pos == "PROPN" and not abbreviation:
            break  # "товарооборот Казахстана": a subject, not part of the indicator
        if not (c.text[:1].islower() or abbreviation) or c.lemma in _PLACE_NOUNS:
            break
        if any(s <= c.start < e for s, e in stop):
            break
        comp.append(c)
    if comp and comp[-1].pos in {"ADJ", "VERB"} and comp[-1].number == "Plur":
        # "численность занятых", "число безработных": an adjective used as a noun
        # ends the phrase when no noun follows it.
        nxt = i + len(comp)
        if nxt >= len(toks) or toks[nxt].pos != "NOUN":
            return comp
    while comp and comp[-1].pos not in {"NOUN", "PROPN"}:
        comp.pop()
    nxt = i + len(comp)
    if len(comp) >= 2 and nxt < len(toks) and re.match(r"[«\"A-Za-z]", toks[nxt].text):
        # "нефти марки Brent", "акций компании «Х»": the last word only introduces a
        # name, which is a subject, not a kind of the indicator.
        comp.pop()
        while comp and comp[-1].pos not in {"NOUN", "PROPN"}:
            comp.pop()
    return comp


# Adjectives that say when or whose it is, not what is measured: "годовой оборот",
# "общая сумма", "иностранные инвестиции" (the investors, like "российские инвестиции")
# all keep the bare indicator. An average is a different measure from a total, so
# "средняя пенсия" keeps "средний" (labelling spec, decision 1).
_SKIP_ADJS = frozenset(
    {"годовой", "общий", "совокупный",
     "суммарный", "ежегодный", "ежемесячный", "ежедневный", "ежеквартальный", "месячный",
     "квартальный", "недельный", "суточный", "текущий", "нынешний", "прошлый",
     "прошлогодний", "весь", "этот", "такой", "данный", "свой", "наш", "их", "новый",
     "дополнительный", "рекордный", "ориентировочный", "предварительный", "прогнозный",
     "фактический", "итоговый", "официальный", "иностранный", "зарубежный", "мировой",
     "нужный", "необходимый", "целый", "первый", "последний", "крупный", "большой",
     "значительный", "высокий", "низкий", "общереспубликанский", "сам", "льготный", "наибольший", "наименьший", "больший", "меньший",
     "полугодовой", "плановый", "прогнозируемый", "ожидаемый", "запланированный",
     "беспроцентный", "безвозмездный"}
)  # fmt: skip
# Prepositions and the case of the noun they take, for complements a head governs.
_PREP_CASE = {"от": "Gen", "на": "Acc", "по": "Dat", "в": "Loc", "во": "Loc"}


@lru_cache(maxsize=4096)
def _is_place_adjective(lemma: str) -> bool:
    gz = _gazetteer()
    if gz is None:
        return False
    try:
        return gz.place_by_adjective(lemma) is not None
    except Exception:  # a gazetteer bug must not lose the figure
        return False


def _word(t: _Tok) -> str:
    """A complement word as it is shown: lower case, but "ВВП", "НДС" stay as written."""
    return t.text if t.text.isupper() and len(t.text) >= 2 else t.text.lower()


@lru_cache(maxsize=1024)
def _agreement(display: str) -> tuple[str | None, str]:
    """Gender and number of the head noun of a lexicon display ("заработная плата")."""
    from newsfacts.nlp.natasha_pipe import models

    morph = models().morph_vocab
    for w in display.split():
        for p in morph(w):
            if p.pos == "NOUN" and p.feats.get("Case") == "Nom":
                return p.feats.get("Gender"), p.feats.get("Number", "Sing")
    return None, "Sing"


def _inflect(tok: _Tok, grams: set[str]) -> str:
    """ "минимальную" → "минимальная" (grams: UD features, e.g. {"Nom", "Fem", "Sing"})."""
    form = _inflected(tok.text.lower(), tok.lemma, tok.pos, frozenset(grams))
    return form if form is not None else _word(tok)


@lru_cache(maxsize=4096)
def _inflected(word: str, lemma: str, pos: str, grams: frozenset[str]) -> str | None:
    from newsfacts.nlp.natasha_pipe import models

    morph = models().morph_vocab
    pos = "NOUN" if pos == "PROPN" else pos
    for p in morph(word):
        if _fold(p.normal_form) == lemma and p.pos == pos:
            form = p.inflect(set(grams))
            if form is not None:
                return str(form.word)
    return None


def _adj_grams(case: str, gender: str | None, number: str) -> set[str]:
    grams = {case, number}
    if number == "Sing" and gender:
        grams.add(gender)
    return grams


def _left_adjectives(
    toks: list[_Tok], i: int, skip: frozenset[str] = _SKIP_ADJS, places: bool = False
) -> list[_Tok]:
    """The adjectives right before toks[i] that name a kind of it: "(минимальная) зарплата".

    A capitalised adjective inside the sentence is a proper name ("Туркестанской
    области"); a place adjective says whose the figure is, which is a subject, unless
    `places` (in a complement: "поставки казахстанской муки").
    """
    out: list[_Tok] = []
    k = i - 1
    while k >= 0 and len(out) < 3:
        a = toks[k]
        if a.pos != "ADJ" or not a.text.replace("-", "").isalpha() or _is_currency_word(a):
            break  # "100 млрд тенге налогов": the currency is the figure's, not a kind
        if not (a.text[:1].islower() or k == 0):
            break
        if a.lemma in skip or (not places and _is_place_adjective(a.lemma)):
            break
        out.insert(0, a)
        k -= 1
    return out


def _prep_phrase(toks: list[_Tok], j: int, allowed: frozenset[str], stop: list[Span]) -> list[_Tok]:
    """ "от экспорта услуг", "на прибыль", "по заработной плате": a complement the head
    governs, when it follows the head directly."""
    if j >= len(toks):
        return []
    prep = _fold(toks[j].text)
    prep = "в" if prep == "во" else prep
    if prep not in allowed or prep not in _PREP_CASE:
        return []
    case = _PREP_CASE[prep]
    out: list[_Tok] = [toks[j]]
    k = j + 1
    while k < len(toks) and toks[k].pos in {"ADJ", "VERB"} and toks[k].case == case:
        out.append(toks[k])
        k += 1
    nxt = toks[k] if k < len(toks) else None
    if len(out) > 1 and (nxt is None or nxt.pos not in {"NOUN", "PROPN"}):
        last = out[-1]
        if _has_noun_reading(last.text.lower(), case):
            # "в товарообороте": natasha took the noun for an adjective
            out.pop()
            k -= 1
            toks = [*toks[:k], replace(last, pos="NOUN"), *toks[k + 1 :]]
    if k >= len(toks):
        return []
    n = toks[k]
    abbreviation = n.text.isupper() and 2 <= len(n.text) <= 5
    if n.pos not in {"NOUN", "PROPN"} or n.case != case or any(s <= n.start < e for s, e in stop):
        return []
    if not (n.text[:1].islower() or abbreviation) or n.lemma in _PLACE_NOUNS:
        return []
    out.append(n)
    return out + _genitive_phrase(toks, k + 1, stop)


@lru_cache(maxsize=4096)
def _has_noun_reading(word: str, case: str) -> bool:
    from newsfacts.nlp.natasha_pipe import models

    return any(p.pos == "NOUN" and p.feats.get("Case") == case for p in models().morph_vocab(word))


def _skip_subject(
    toks: list[_Tok], j: int, entity_spans: list[Span], complement: bool = True
) -> int:
    """The position after a genitive subject ("Китая", "Туркестанской области"); for a
    head that takes no genitive complement, any genitive ("выручка компании от ...")."""
    k = j
    while k < len(toks) and k - j < 4:
        t = toks[k]
        named = t.pos == "PROPN" or any(s <= t.start < e for s, e in entity_spans)
        owner = named or t.lemma in _PLACE_NOUNS or t.pos == "ADJ" or not complement
        if t.case == "Gen" and owner and t.pos in {"NOUN", "PROPN", "ADJ"}:
            k += 1
            continue
        break
    while k > j and toks[k - 1].pos == "ADJ":
        k -= 1  # an adjective must belong to a subject noun, not dangle
    return k


def _find_indicators(doc: Doc, toks: list[_Tok], skip: list[Span]) -> list[_IndicatorHit]:
    lex = lexicon()
    hits: list[_IndicatorHit] = []
    i = 0
    entity_spans = [(m.start, m.end) for m in doc.mentions]
    stop = entity_spans + skip
    while i < len(toks):
        t = toks[i]
        if any(s <= t.start < e for s, e in skip):
            i += 1
            continue
        matched = None
        for entry in lex.by_first.get(t.lemma, ()):
            n = len(entry.lemmas)
            if n > 1 and entry.display.split()[0] in _COUNT_HEADS:
                # "число посетителей | посетить" names a verb's count; written out,
                # "число посетителей выставки" is the generic "число" + its genitive.
                continue
            window = toks[i : i + n]
            if len(window) == n and all(
                x.lemma in lemmas or _fold(x.text) in lemmas
                for x, lemmas in zip(window, entry.lemmas, strict=True)
            ):
                matched = entry
                break
        if matched is not None:
            n = len(matched.lemmas)
            adjs = _left_adjectives(toks, i)
            gender, number = _agreement(matched.display)
            words = [_inflect(a, _adj_grams("Nom", gender, number)) for a in adjs]
            words.append(matched.display)
            noun_lemma = None
            end = toks[i + n - 1].stop
            comp: list[_Tok] = []
            # NER sometimes tags the indicator itself as a name ("Капитализация
            # фондового рынка"): a mention that starts at the head does not stop it.
            stop_here = [sp for sp in stop if not sp[0] <= t.start < sp[1]]
            if matched.complement:
                comp = _genitive_phrase(toks, i + n, stop_here)
                if comp:
                    words += [_word(c) for c in comp]
                    end = comp[-1].stop
                    # the counted noun is the first: "число посетителей выставки"
                    noun_lemma = next((c.lemma for c in comp if c.pos == "NOUN"), comp[-1].lemma)
            # A governed "от/на/по/в" phrase right after the head or its last genitive
            # word: "доход от экспорта услуг", "ставка налога на прибыль".
            allowed = lex.preps.get(comp[-1].lemma, frozenset()) if comp else matched.preps
            pp = _prep_phrase(toks, i + n + len(comp), allowed, stop_here) if allowed else []
            if allowed and not pp:
                # "доля Китая во внешнеторговом обороте": the owner is a subject, the
                # governed phrase after it is still part of the indicator.
                j = _skip_subject(toks, i + n + len(comp), entity_spans, matched.complement)
                if j > i + n + len(comp):
                    pp = _prep_phrase(toks, j, allowed, stop_here)
            if pp:
                words += [_word(c) for c in pp]
                end = pp[-1].stop
            bare = not comp and not pp
            k = i - 1 - len(adjs)
            while k >= 0 and toks[k].pos in {"ADJ", "DET"}:
                k -= 1
            head_noun = next((x for x in toks[i : i + n] if x.pos == "NOUN"), t)
            case = head_noun.case
            # "принёс бюджету 1,5 трлн": a recipient in the dative is, like a
            # prepositional phrase, used only when nothing else names the figure.
            in_pp = (k >= 0 and toks[k].pos == "ADP") or (case == "Dat" and bare)
            measures_next = case == "Ins" and re.match(
                r"\s*(?:(?:около|порядка|почти|примерно|более|менее|свыше|до)\s+)?\d",
                doc.text[end : end + 20],
            )
            if not (bare and matched.display in _WEAK_HEADS) or measures_next:
                # A bare "уровень" ("на уровне 16%") says nothing about what is measured;
                # "облигации объёмом 1 млрд долларов" names the volume, like "мощностью".
                hits.append(
                    _IndicatorHit(
                        adjs[0].start if adjs else t.start, end, " ".join(words),
                        matched.display, case,
                        generic=bare and matched.display in _GENERIC_HEADS,
                        noun_lemma=noun_lemma, money=matched.money, in_pp=in_pp, bare=bare,
                        tok=head_noun,
                    )
                )  # fmt: skip
            i += n
            continue
        if t.pos in {"ADJ", "NOUN"} and t.text.isalpha() and t.text[:1].islower():
            # natasha tags a rare verb as an adjective ("прокредитовали"): ask pymorphy.
            verb_lemma = _verb_lemma(t.text.lower())
            if verb_lemma in lex.triggers or verb_lemma in _DEVERBAL:
                t.pos, t.lemma = "VERB", verb_lemma
        trade = _trade_abroad(doc.text, t) if t.pos == "VERB" else None
        if trade is not None:
            # "отправил на внешние рынки 12 тыс. тонн": goods sent abroad are exports;
            # "закупил за рубежом" is an import.
            hits.append(_IndicatorHit(t.start, t.stop, trade, trade, None, tok=t))
            i += 1
            continue
        # "производится", "экспортируется": the passive names the same measure.
        base = t.lemma[:-2] if t.lemma.endswith("ся") else t.lemma
        if t.pos == "VERB" and t.lemma not in lex.triggers and base in lex.triggers:
            t.lemma = base
        if t.pos == "VERB" and t.lemma not in _DEVERBAL and base in _DEVERBAL:
            t.lemma = base
        if t.pos == "VERB" and t.lemma in lex.triggers:
            display, money = lex.triggers[t.lemma]
            hits.append(_IndicatorHit(t.start, t.stop, display, display, None, money=money, tok=t))
        elif t.pos == "VERB" and t.lemma in _DEVERBAL:
            subj = _argument(toks, t, ("nsubj",))
            # "стоимость проекта обойдётся в ...": the noun already says it.
            if subj is None or not any(h.start <= subj.start < h.end for h in hits):
                display = next(d for d in _DEVERBAL[t.lemma] if d)
                hits.append(_IndicatorHit(t.start, t.stop, display, display, None, verb=t, tok=t))
        i += 1
    return hits


@lru_cache(maxsize=4096)
def _verb_lemma(word: str) -> str | None:
    """The infinitive of a finite verb, infinitive or short participle ("выделено")."""
    from newsfacts.nlp.natasha_pipe import models

    parses = models().morph_vocab(word)
    if not parses or parses[0].pos != "VERB":
        return None
    p = parses[0]
    form = p.feats.get("VerbForm")
    if form in {"Fin", "Inf"} or (form == "Part" and "Case" not in p.feats):
        return _fold(p.normal_form)
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


def _trade_abroad(text: str, verb: _Tok) -> str | None:
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
_DEVERBAL: dict[str, tuple[str | None, str | None]] = {
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
_AGENT_NOUNS = frozenset(
    {"компания", "банк", "правительство", "министерство", "ведомство", "акимат", "хокимият",
     "фирма", "холдинг", "корпорация", "предприятие", "завод", "фабрика", "фонд", "сторона",
     "власть", "кабинет", "парламент", "мэрия", "администрация", "организация", "оператор",
     "инвестор", "группа", "концерн", "агентство", "комитет", "орган", "служба", "таможня",
     "он", "она", "они", "это"}
)  # fmt: skip


def _argument(toks: list[_Tok], verb: _Tok, rels: tuple[str, ...]) -> _Tok | None:
    """The verb's dependent noun with one of these relations ("nsubj", "obj"), if parsed."""
    if not verb.id:
        return None
    for t in toks:
        if t.head == verb.id and t.rel.split(":")[0] in rels and t.pos in {"NOUN", "PROPN"}:
            return t
    if "nsubj" in rels and verb.rel == "conj":
        # "рынок вырос на 18% и достиг 1,5 трлн": the second verb shares the subject.
        first = next((t for t in toks if t.id == verb.head and t.pos == "VERB"), None)
        if first is not None and first is not verb:
            return _argument(toks, first, rels)
    return None


def _noun_phrase_gen(toks: list[_Tok], noun: _Tok) -> str:
    """ "Иностранные туристы" → "иностранных туристов": a complement in the genitive."""
    idx = toks.index(noun)
    adjs = _left_adjectives(
        toks, idx, frozenset({"этот", "такой", "весь", "свой", "наш"}), places=True
    )
    number = noun.number or "Sing"
    words = [_inflect(a, _adj_grams("Gen", noun.gender, number)) for a in adjs]
    words.append(_inflect(noun, {"Gen", number}))
    return " ".join(words)


def _usable_argument(doc: Doc, noun: _Tok | None, figure: Span) -> bool:
    if noun is None or figure[0] <= noun.start < figure[1]:
        return False
    if _is_currency_word(noun):
        return True  # "тенге укрепился": NER may tag it, it is still what is measured
    if noun.pos != "NOUN" or noun.lemma in _WEAK_HEADS | _GENERIC_HEADS:
        return False
    if noun.lemma in _FRAME_NOUNS and noun.lemma != "размер":
        return False  # "размер пособия" names it, "на уровне", "отметка" do not
    if noun.lemma in _VAGUE_NOUNS:
        return False  # "этот показатель составил 5%" points back; it names nothing
    if noun.lemma in _AGENT_NOUNS or noun.lemma in _PLACE_NOUNS:
        return False
    return not any(m.start <= noun.start < m.end for m in doc.mentions)


_VAGUE_NOUNS = frozenset(
    {"показатель", "цифра", "значение", "величина", "итог", "результат", "данные", "сумма"}
)
_CHANGE_NOUNS = frozenset(
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
_COUNTED_OUTPUT = frozenset({"производство", "выпуск", "добыча"})
# "от 1,5 до 2 млн тонн", "от 15–20%": the "от" opens a range, not a place.
_RANGE_START_RE = re.compile(r"\s*(?:до|[-–—])\s*\d")


def _deverbal_display(h: _IndicatorHit, f: _Figure, text: str = "") -> str | None:
    """The noun a verb hit gives this figure: money or goods ("поступления"/"поставки")."""
    assert h.verb is not None
    money, goods = _DEVERBAL[h.verb.lemma]
    if f.unit in CURRENCY_UNITS:
        return money
    if (
        f.role == "level"
        and _PLACE_PREP_RE.search(text[max(0, f.amount.start - 25) : f.amount.start])
        and not _RANGE_START_RE.match(text, f.amount.end)
    ):
        return None  # "построить в 40 км от города": where, not how much
    if f.noun is not None and f.unit not in _MEASURES and goods in _COUNTED_OUTPUT:
        return goods  # "выпустили 120 тыс. автомобилей": an output counted in pieces
    if f.unit in _MEASURES or f.unit in {"%", "п.п.", "x"} or f.role == "change":
        display = goods or (money if f.role == "change" else None)
        if display == "строительство" and f.unit == "метр":
            return "ввод"  # "построено 2 млн кв. м жилья": the statistic is "ввод жилья"
        return display
    return None


def _after(toks: list[_Tok], pos: int) -> int:
    return next((k for k, t in enumerate(toks) if t.start >= pos), len(toks))


def _indicator_text(doc: Doc, toks: list[_Tok], f: _Figure, h: _IndicatorHit) -> str | None:
    """The indicator a hit gives a figure, with the complements found around the figure.

    A verb hit takes its subject ("туристы потратили" → "расходы иностранных туристов")
    or, for goods, what the measure is of ("ввести 1,5 млн кв. м жилья" → "ввод жилья").
    A bare "доля" takes the "в" phrase after its figure ("с долей 35% во внешней
    торговле").
    """
    stop = [(m.start, m.end) for m in doc.mentions]
    a = f.amount
    if h.verb is None:
        if h.bare and h.head == "доля" and h.end <= a.start:
            # "на долю Китая приходится 25% оборота", "с долей 35% во внешней торговле"
            j = _after(toks, a.end)
            tail = _prep_phrase(toks, j, frozenset({"в"}), stop) or _genitive_phrase(toks, j, stop)
            if tail:
                return " ".join([h.text, *(_word(c) for c in tail)])
        return h.text
    display = _deverbal_display(h, f, doc.text)
    if display is None:
        return None
    if f.unit not in CURRENCY_UNITS:
        # Goods: what the measure is of ("собрали 22 млн тонн зерна" → "сбор зерна");
        # the subject is whoever did it.
        if f.noun is not None and f.unit not in _MEASURES:
            # "выпустили 120 тыс. автомобилей" → "выпуск автомобилей"
            from newsfacts.nlp.natasha_pipe import models

            counted = _count_indicator(models().morph_vocab, f.noun, f.adjs, toks)
            return display + counted[len("число") :]
        end = f.noun.stop if f.noun else (f.unit_end or a.end)
        j = _after(toks, end)
        if j < len(toks) and _fold(toks[j].text) in {"больше", "меньше"}:
            j += 1  # "выплавили на 5% больше стали"
        comp = _genitive_phrase(toks, j, stop)
        if comp:
            return " ".join([display, *(_word(c) for c in comp)])
        return display
    # Money: whose spending, what costs ("строительство обойдётся" → "стоимость
    # строительства").
    subj = _argument(toks, h.verb, ("nsubj",))
    if subj is not f.noun and _usable_argument(doc, subj, (a.start, a.end)):
        assert subj is not None
        return f"{display} {_noun_phrase_gen(toks, subj)}"
    return display


# Verbs whose subject is what a figure measures ("доходы превысили 2 млрд"), and those
# whose object is ("нарастить добычу до 600 тыс. баррелей").
_SUBJECT_VERBS = frozenset(
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
_OBJECT_VERBS = frozenset(
    {"увеличить", "увеличивать", "нарастить", "наращивать", "снизить", "снижать",
     "сократить", "сокращать", "повысить", "повышать", "понизить", "понижать", "довести",
     "доводить", "поднять", "поднимать", "удвоить", "утроить", "уменьшить", "сохранить",
     "установить", "зафиксировать", "прогнозировать", "оценить", "оценивать"}
)  # fmt: skip
# Nouns a figure hangs from that say nothing themselves: look further up.
_FRAME_NOUNS = frozenset({"уровень", "размер", "отметка", "рубеж", "сумма", "объём", "объем"})


def _governor(toks: list[_Tok], f: _Figure) -> _Tok | None:
    """The verb a figure belongs to in natasha's tree, through "на уровне", "в размере"."""
    by_id = {t.id: t for t in toks if t.id}
    a = f.amount
    end = f.unit_end or a.end
    inside = [t for t in toks if a.start <= t.start < end or t is f.noun]
    ids = {x.id for x in inside}
    top = next((t for t in inside if t.head not in ids), None)
    if top is not None and top.head:
        up = by_id.get(top.head)
        if up is not None and up.pos in {"NUM", "ADV"} and up.head in ids:
            top = None  # "на 20% меньше зерна": "%" ↔ "меньше" loop
    if top is None and inside:
        # natasha's parse can loop ("млрд" ↔ "сумов"): the sentence's root verb then.
        root = next((t for t in toks if t.rel == "root"), None)
        if root is None or root.pos != "VERB":
            return None
        if f.clause is not None and not f.clause[0] <= root.start < f.clause[1]:
            return None
        return root
    cur = top
    for _ in range(4):
        if cur is None or not cur.head:
            return None
        cur = by_id.get(cur.head)
        if cur is None:
            return None
        if cur.pos == "VERB":
            if f.clause is not None and not f.clause[0] <= cur.start < f.clause[1]:
                # "ВРП вырос на 6%, а объём производства — на 4%": natasha hangs the
                # elided figure on the first verb, whose subject is not its indicator;
                # but "вырастет на 16,6% — до 22 440 рублей" continues the verb's clause.
                prev = f.prev_clause
                if prev is None or not prev[0] <= cur.start < prev[1]:
                    return None
            return cur
        if cur.pos in {"ADV", "ADP", "NUM"}:
            # "поступило более 40 тыс. тонн": natasha hangs the figure on "более"; "от
            # 1,5 до 2 млн тонн": the second bound on the first.
            continue
        if cur.pos != "NOUN" or cur.lemma not in _FRAME_NOUNS:
            return None
    return None


def _verb_argument(doc: Doc, toks: list[_Tok], f: _Figure) -> tuple[_Tok | None, _Tok | None]:
    """The figure's verb and the noun it says the figure is about (subject or object)."""
    verb = _governor(toks, f)
    if verb is None:
        return None, None
    if verb.lemma in _SUBJECT_VERBS:
        arg = _argument(toks, verb, ("nsubj",))
    elif verb.lemma in _OBJECT_VERBS:
        arg = _argument(toks, verb, ("obj",))
    else:
        return verb, None
    if arg is None:
        return verb, None
    # natasha often tags an inanimate subject accusative ("Валовой сбор"): both count.
    cases = {"Nom", "Acc"} if verb.lemma in _SUBJECT_VERBS else {"Acc", "Gen"}
    # "Килограмм говядины подорожал": natasha reads the first word as a genitive.
    unit_priced = verb.lemma in _PRICE_VERBS and arg.lemma in _MEASURES
    if arg.case is not None and arg.case not in cases and not unit_priced:
        return verb, None  # "Грузооборот порта вырос": a misparse put "порта" as subject
    arg = _through_change_noun(toks, arg)
    if arg is f.noun or not _usable_argument(doc, arg, (f.amount.start, f.amount.end)):
        return verb, None
    return verb, arg


def _through_change_noun(toks: list[_Tok], arg: _Tok | None) -> _Tok | None:
    """ "рост экспорта составил 12%" measures the export: a change (or portion) noun's
    genitive."""
    if arg is None or arg.lemma not in _CHANGE_NOUNS:
        return arg
    return next((t for t in toks if t.head == arg.id and t.case == "Gen"), None)


def _attached(
    doc: Doc, toks: list[_Tok], f: _Figure, hits: list[_IndicatorHit]
) -> _IndicatorHit | None:
    """The hit natasha's tree attaches the figure to: its verb's subject or object
    ("доходы превысили 2 млрд"), or the verb itself when it names the measure."""
    verb = _governor(toks, f)
    if verb is None:
        return None
    arg = None  # any subject/object, usable or not: "ВВП (на душу населения) превысил"
    if verb.lemma in _SUBJECT_VERBS:
        arg = _argument(toks, verb, ("nsubj",))
    elif verb.lemma in _OBJECT_VERBS:
        arg = _argument(toks, verb, ("obj",))
    arg = _through_change_noun(toks, arg)
    for h in hits:
        if arg is not None and h.tok is arg:
            return h
    for h in hits:
        if h.verb is not None and h.verb is verb:
            return h
    return None


def _inside_argument(doc: Doc, toks: list[_Tok], f: _Figure, h: _IndicatorHit) -> bool:
    _, arg = _verb_argument(doc, toks, f)
    return arg is not None and h.tok is not None and h.tok is not arg and h.tok.head == arg.id


def _is_currency_word(t: _Tok) -> bool:
    return any(rx.fullmatch(t.text) for rx, _ in CURRENCY_RES)


def _syntactic_indicator(doc: Doc, toks: list[_Tok], f: _Figure) -> str | None:
    """No lexicon word: the noun the figure's verb is about ("выплаты выросли на 8%").

    Only an unambiguous attachment counts: the subject of "составить/вырасти/превысить",
    the object of "увеличить/нарастить/довести", a common noun that names no company or
    place. A currency as the subject is its exchange rate ("тенге укрепился на 1,2%").
    """
    verb, arg = _verb_argument(doc, toks, f)
    if verb is None or arg is None:
        return _modified_noun(doc, toks, f)
    idx = toks.index(arg)
    if not (arg.text[:1].islower() or idx == 0):
        return None
    if _is_currency_word(arg):
        # "тенге", "евро", "сомони" do not decline; "рубль" → "курс рубля".
        indeclinable = arg.text.lower()[-1:] in {"е", "о", "и"}
        return "курс " + (arg.text.lower() if indeclinable else _inflect(arg, {"Gen", "Sing"}))
    if arg.pos != "NOUN":
        return None
    if verb.lemma in _PRICE_VERBS:
        if arg.lemma in _MEASURES:
            return "цена"  # "килограмм риса подорожал": the unit priced says nothing
        return "цена " + _noun_phrase_gen(toks, arg)  # "пшеница подорожала на 5%"
    number = arg.number or "Sing"
    adjs = _left_adjectives(toks, idx)
    stop = [(m.start, m.end) for m in doc.mentions]
    comp = _genitive_phrase(toks, idx + 1, stop)
    if arg.lemma in _FRAME_NOUNS and not comp:
        return None  # "его размер составит 100 млрд": the size of what is not said
    words = [_inflect(a, _adj_grams("Nom", arg.gender, number)) for a in adjs]
    words.append(_inflect(arg, {"Nom", number}))  # "выплаты пенсионерам" stay plural
    words += [_word(c) for c in comp]
    return " ".join(words)


_PRICE_VERBS = frozenset({"подорожать", "подешеветь", "дорожать", "дешеветь"})


def _modified_noun(doc: Doc, toks: list[_Tok], f: _Figure) -> str | None:
    """ "с запасами в 100 млн тонн нефти" → "запасы нефти": the instrumental noun the
    figure specifies ("тиражом", "весом", "запасами в"), when no verb says more."""
    by_id = {t.id: t for t in toks if t.id}
    a = f.amount
    end = f.unit_end or a.end
    inside = [t for t in toks if a.start <= t.start < end or t is f.noun]
    ids = {t.id for t in inside}
    top = next((t for t in inside if t.id and t.head not in ids), None)
    noun = by_id.get(top.head) if top is not None and top.rel == "nmod" else None
    if noun is None or noun.pos != "NOUN" or noun.case != "Ins" or not noun.text[:1].islower():
        return None
    if not _usable_argument(doc, noun, (a.start, end)):
        return None
    number = noun.number or "Sing"
    words = [_inflect(noun, {"Nom", number})]
    stop = [(m.start, m.end) for m in doc.mentions]
    after = f.noun.stop if f.noun is not None else end
    words += [_word(c) for c in _genitive_phrase(toks, _after(toks, after), stop)]
    return " ".join(words)


_ANNUAL_RE = re.compile(r"\s*годовых(?![а-яё])", re.I)
_LOAN_RE = re.compile(r"кредит|ипотек|заём|заем|займ|микрозайм", re.I)
_DEPOSIT_RE = re.compile(r"депозит|вклад|сбережен", re.I)


_UNDER_RE = re.compile(
    r"(?<![а-яё])под\s+(?:(?:около|порядка|примерно|почти|не\s+более|не\s+менее|до)\s+)?$",
    re.I,
)


def _rate_indicator(
    text: str, sent: Span, hits: list[_IndicatorHit], pos: int, found: str | None = None
) -> str:
    """ "до 18% годовых": the rate named in the sentence ("ключевая ставка"), else the
    measure already found ("доходность облигаций"), else by what it is paid on
    ("ставка по кредитам"), else "ставка"."""
    rates = [h for h in hits if h.verb is None and "ставк" in h.text]
    if rates:
        before = [h for h in rates if h.end <= pos]
        return (max(before, key=lambda h: h.end) if before else rates[0]).text
    if found is not None and not found.startswith("доля"):
        return found
    sentence = text[sent[0] : sent[1]]
    if _DEPOSIT_RE.search(sentence):
        return "ставка по депозитам"
    if _LOAN_RE.search(sentence):
        return "ставка по кредитам"
    return "ставка"


_SHARE_MARKS = frozenset({"свыше", "около", "более", "менее", "до", "порядка", "почти"})


def _owner_share(doc: Doc, toks: list[_Tok], f: _Figure) -> str | None:
    """ "около 60% электроэнергии вырабатывают ГЭС" → "доля ГЭС": a share of something
    whose owner is the other argument of the verb (spec: the owner names the share)."""
    pct = next(
        (t for t in toks if f.amount.start <= t.start < f.amount.end and t.text == "%"), None
    )
    if pct is None or not pct.head:
        return None
    verb = next((t for t in toks if t.id == pct.head), None)
    if verb is None or verb.pos != "VERB" or pct.rel not in {"obj", "obl", "nsubj"}:
        return None
    marks = {_fold(t.text) for t in toks if t.head == pct.id and t.rel == "case"}
    if not marks <= _SHARE_MARKS:
        return None  # "в 30% случаев", "на 5%": not the verb's object
    if verb.lemma in _SUBJECT_VERBS or verb.lemma in _OBJECT_VERBS:
        return None
    if not any(t.head == pct.id and t.case == "Gen" and t.pos == "NOUN" for t in toks):
        return None  # a share of nothing named: not a share
    owner = _argument(toks, verb, ("obj" if pct.rel == "nsubj" else "nsubj",))
    if owner is None and pct.rel != "nsubj" and verb.number == "Plur":
        # "35% электроэнергии производят тепловые электростанции": natasha made both
        # objects; the plural one after the verb is its subject.
        owner = next(
            (t for t in toks
             if t.head == verb.id and t.rel == "obj" and t is not pct and t.start > verb.start
             and t.pos == "NOUN" and t.number == "Plur"),
            None,
        )  # fmt: skip
    if owner is None or f.amount.start <= owner.start < f.amount.end:
        return None
    if pct.rel == "nsubj" and owner.case != "Nom":
        # "30% выпускников не находят работу": the share is the subject; only a
        # nominative "object" says natasha swapped them ("собирают фермерские хозяйства")
        return None
    abbreviation = owner.text.isupper() and 2 <= len(owner.text) <= 5
    if not (owner.text[:1].islower() or abbreviation):
        return None
    if owner.lemma in _PLACE_NOUNS or owner.lemma in _VAGUE_NOUNS:
        return None
    if not abbreviation and any(m.start <= owner.start < m.end for m in doc.mentions):
        return None
    if abbreviation:
        return f"доля {owner.text}"
    idx = toks.index(owner)
    if owner.lemma in _AGENT_NOUNS and not (idx > 0 and toks[idx - 1].pos == "ADJ"):
        return None  # "70% кредитов банки выдали в тенге": who acted, not who holds
    if verb.number == "Plur" and owner.number != "Plur":
        # "расходуют сельхозпредприятия": the plural verb says the subject's number
        owner.number = "Plur"
    return "доля " + _noun_phrase_gen(toks, owner)


def _share_of(toks: list[_Tok], end: int, stop: list[Span]) -> str | None:
    """ "30% закупок госкомпаний" → "доля закупок госкомпаний"; "47% ВВП" is a base, not a share."""
    idx = next((k for k, t in enumerate(toks) if t.start >= end), None)
    if idx is None or not toks[idx].text[:1].islower():
        return None
    words = _genitive_phrase(toks, idx, stop)
    return "доля " + " ".join(w.text.lower() for w in words) if words else None


# Indicators of people: never the measure of a sum of money.
_PEOPLE_HEADS = frozenset(
    {"население", "численность", "число", "количество", "безработные", "безработица",
     "занятость", "турпоток", "туристический поток", "пассажиропоток", "посещаемость"}
)  # fmt: skip


def _usable_hits(
    text: str,
    hits: list[_IndicatorHit],
    f: _Figure,
    figures: list[_Figure],
    toks: list[_Tok] | None = None,
) -> list[_IndicatorHit]:
    """Indicators that can measure this figure.

    "сумма"/"стоимость" measure money, not "12 соглашений"; a verb like "посетили"
    names the count only when the counted noun does not ("15 000 человек"); a noun
    right after a percentage is its base ("47% ВВП"), not what it measures; a count
    does not reach over a figure of another unit for its indicator ("протяжённость
    5 км и 5 велопарковок").
    """
    others = [
        g.amount.start for g in figures
        if g is not f and g.role == "level" and g.unit != f.unit
    ]  # fmt: skip
    money = f.unit in CURRENCY_UNITS
    counted = (f.noun is not None or f.unit_end is not None) and f.unit not in {None, "человек"}
    out = []
    for h in hits:
        if h.generic and not money:
            continue  # "сумма", "стоимость" alone: money only
        if (
            counted
            and h.in_pp
            and not (
                f.unit in _MEASURES
                and h.end <= f.amount.start
                and _IMMEDIATE_RE.fullmatch(text[h.end : f.amount.start])
            )
        ):
            # "30 рабочих на заводе по производству ...": число рабочих; but "на
            # площади около 500 кв. м" measures the area.
            continue
        if money and h.verb is None and h.head in _PEOPLE_HEADS:
            continue  # "население накопило 20 трлн тенге": people are no sum
        if h.money and (counted or (f.unit is None and f.role == "level")):
            continue  # "стоимость контракта на поставку 10 локомотивов", "пенсия в 60 лет"
        if (
            counted
            and f.noun is not None
            and h.tok is not None
            and h.tok.pos == "VERB"
            and h.tok.id
            and f.noun.head == h.tok.id
            and f.noun.rel == "nsubj"
            and f.unit not in _MEASURES
        ):
            continue  # "30 компаний экспортировали продукцию": who did it, counted
        if h.case is None and h.text.startswith("число ") and f.unit != "человек":
            # "посетили 15 000 человек", "работают 300 человек": a role names a count
            # of people only; "работал с 14 лет" is no count.
            continue
        if f.unit == "%" and 0 <= h.start - f.amount.end <= 2:
            continue
        if counted and any(h.end <= o < f.amount.start for o in others):
            continue
        if h.verb is not None and (
            _deverbal_display(h, f, text) is None
            or (
                counted
                and f.unit not in _MEASURES
                and _DEVERBAL[h.verb.lemma][1] not in _COUNTED_OUTPUT
            )
            or (
                toks is not None
                and h.verb.id
                and _governor(toks, f) is not h.verb
                and _worth_of_object(text, toks, f) is not h.verb
                and not (
                    # "выплавили на 5% больше стали": the verb right before the change
                    f.role == "change"
                    and re.fullmatch(r"\s+(?:на|в)\s+", text[h.verb.stop : f.amount.start])
                )
            )
        ):
            # "ввели 12 школ" is a count ("число школ"); "построить завод в 110 км от
            # города" does not measure the building: the figure must hang on the verb.
            continue
        out.append(h)
    return out


def _worth_of_object(text: str, toks: list[_Tok], f: _Figure) -> _Tok | None:
    """ "закупил оборудование на 200 млн долларов": the verb whose object the money
    figure prices; the verb's nominal ("закупки") then names the figure."""
    if f.unit not in CURRENCY_UNITS or not _WORTH_RE.search(
        text, max(0, f.amount.start - 25), f.amount.start
    ):
        return None
    by_id = {t.id: t for t in toks if t.id}
    a = f.amount
    inside = [t for t in toks if a.start <= t.start < a.end]
    ids = {t.id for t in inside}
    top = next((t for t in inside if t.id and t.head not in ids), None)
    noun = by_id.get(top.head) if top is not None else None
    if noun is None or noun.pos != "NOUN" or noun.rel != "obj":
        return None
    verb = by_id.get(noun.head)
    return verb if verb is not None and verb.pos == "VERB" else None


def _named_after(hits: list[_IndicatorHit], text: str, f: _Figure) -> _IndicatorHit | None:
    """ "заработала 5 млрд тенге чистой прибыли", "привлечь 2 млрд евро инвестиций": a
    money word in the genitive right after the sum names it, whatever the verb."""
    if f.unit not in CURRENCY_UNITS:
        return None
    for h in hits:
        after = h.start >= f.amount.end and not text[f.amount.end : h.start].strip()
        if after and h.verb is None and h.case == "Gen":
            return h
    return None


def _immediate(hits: list[_IndicatorHit], text: str, pos: int) -> _IndicatorHit | None:
    """ "площадью 20 тыс. кв. м", "стоимостью около 50 млрд": a word right before the
    figure, not in a prepositional phrase, is what it measures, whatever the tree says."""
    for h in hits:
        if not h.in_pp and h.end <= pos and _IMMEDIATE_RE.fullmatch(text[h.end : pos]):
            return h
    return None


def _pick(
    hits: list[_IndicatorHit], clause: Span, pos: int, gap: int = 30, text: str | None = None
) -> _IndicatorHit | None:
    """The indicator a figure belongs to.

    In its clause, the nearest before it; then close after it ("13,5 млн долларов
    составил товарооборот", but not "30 инициатив для выведения отношений на новый
    уровень"); then anywhere before it in the sentence. Words inside a prepositional
    phrase ("доля малого бизнеса в ВВП", "тариф для населения") and a bare
    "сумма"/"стоимость" are used only when nothing else is there.
    """
    if text is not None:
        # "стоимостью около 50 млрд долларов": a word right before the figure, not in a
        # prepositional phrase, is what it measures, however generic.
        immediate = _immediate(hits, text, pos)
        if immediate is not None:
            return immediate
    pools = (
        [h for h in hits if not h.generic and not h.in_pp],
        [h for h in hits if not h.generic],
        hits,
    )
    for pool in pools:
        found = _pick_from(pool, clause, pos, gap)
        if found is not None:
            return found
    return None


def _pick_from(hits: list[_IndicatorHit], clause: Span, pos: int, gap: int) -> _IndicatorHit | None:
    cs, ce = clause
    in_clause = [h for h in hits if h.start >= cs and h.end <= ce]
    before = [h for h in in_clause if h.end <= pos]
    if before:
        return max(before, key=lambda h: h.end)
    after = [h for h in in_clause if pos <= h.start <= pos + gap]
    if after:
        return min(after, key=lambda h: h.start)
    before = [h for h in hits if h.end <= pos]
    if before:
        return max(before, key=lambda h: h.end)
    return None


# --- subjects ---------------------------------------------------------------------


def _gazetteer() -> Any:
    try:
        from newsfacts.extract import gazetteer
    except ImportError:  # the gazetteer is optional: subjects then come from NER only
        return None
    return gazetteer


def _place(name: str) -> Any:
    """The gazetteer's place for a name, or None (also when the gazetteer fails)."""
    gz = _gazetteer()
    if gz is None:
        return None
    try:
        return gz.lookup(name)
    except Exception:  # a gazetteer bug must not lose the figure
        return None


def _is_country(e: Entity) -> bool:
    if e.type != "location":
        return False
    if e.subtype is not None:
        return e.subtype == "country"
    place = _place(e.name)
    return bool(place and place.kind == "country")


def _is_country_id(doc: Doc, entity_id: str) -> bool:
    e = doc.entity(entity_id)
    return e is not None and _is_country(e)


def _country_code(e: Entity) -> str | None:
    if e.code:
        return e.code
    place = _place(e.name)
    return place.code if place and place.kind == "country" else None


def _entity_for_code(doc: Doc, code: str) -> Entity | None:
    for e in doc.entities:
        if e.type == "location" and _country_code(e) == code:
            return e
    return None


def _subjects(doc: Doc, toks: list[_Tok], clause: Span, sent: Span, skip: list[Span]) -> list[str]:
    text = doc.text
    out: list[str] = []

    def add(e: Entity | None) -> None:
        if e is not None and e.id not in out:
            out.append(e.id)

    cs, ce = clause
    if re.match(r"\s*котор", text[cs:ce], re.I):
        # "Бали, который посещают до 10 тыс. человек": the antecedent is before the comma.
        near = [m for m in doc.mentions if sent[0] <= m.end <= cs and cs - m.end <= 3]
        for m in near:
            e = doc.entity(m.entity_id)
            if e is not None and e.type in {"location", "organization"}:
                add(e)
    for m in doc.mentions:
        if not (m.start >= cs and m.end <= ce):
            continue
        if any(m.start < e and s < m.end for s, e in skip):
            continue  # "США" in "долларов США" is the currency, not a subject
        e = doc.entity(m.entity_id)
        if e is not None and e.type in {"location", "organization"}:
            add(e)
    gz = _gazetteer()
    if gz is not None:
        for t in toks:
            if cs <= t.start < ce and t.pos == "ADJ":
                try:
                    place = gz.country_by_adjective(t.lemma)
                except Exception:  # a gazetteer bug must not lose the figure
                    place = None
                if place is not None and place.code:
                    add(_entity_for_code(doc, place.code))
    clause_text = text[cs:ce]
    if _COUNTRY_GROUP_RE.search(clause_text):
        recent: list[Entity] = []
        for m in sorted(doc.mentions, key=lambda m: -m.start):
            if m.start >= sent[1] or any(m.start < e and s < m.end for s, e in skip):
                continue
            e = doc.entity(m.entity_id)
            if e is not None and _is_country(e) and e not in recent:
                recent.append(e)
            if len(recent) == 2:
                break
        for e in recent:
            add(e)
    elif _ONE_COUNTRY_RE.search(clause_text):
        country = None
        for m in doc.mentions:
            if sent[0] <= m.start < sent[1]:
                e = doc.entity(m.entity_id)
                if e is not None and e.country:
                    country = _entity_for_code(doc, e.country)
                    if country:
                        break
        if country is None:
            for m in sorted(doc.mentions, key=lambda m: -m.start):
                e = doc.entity(m.entity_id)
                if m.start < sent[0] and e is not None and _is_country(e):
                    country = e
                    break
        add(country)
    return out


# --- the component ----------------------------------------------------------------


_ELLIPTIC_RE = re.compile(
    r"\s*(?:(?:до|на|в|к)\s+)?(?:(?:около|порядка|почти|примерно|более|менее|свыше|"
    r"не\s+менее|не\s+более)\s+)?",
    re.I,
)


def _previous_clause(text: str, sent: Span, clause: Span, pos: int) -> Span | None:
    """The stretch before a clause that is only the figure ("— до 22 440 рублей")."""
    if not _ELLIPTIC_RE.fullmatch(text, clause[0], pos):
        return None
    last = None
    for m in _CLAUSE_BREAK_RE.finditer(text, sent[0], clause[0]):
        if m.end() == clause[0]:
            last = m
    if last is None or last.group().strip() in {"(", ")"}:
        return None
    return _clause(text, sent, last.start())


def _classify(text: str, sent: Span, f: _Figure) -> None:
    """Mark changes ("на 12,5%", "в 2 раза", "рост составил 5%") and their direction."""
    a = f.amount
    prefix = text[sent[0] : a.start]
    suffix = text[a.end : sent[1]]
    clause_start = _clause(text, sent, a.start)[0]
    # The change verb must be in the figure's clause ("экспорт вырос, а контракты
    # подписаны на 5 млрд" is no change), unless the clause is elliptical: "ВРП вырос
    # на 6,2%, а объём производства — на 4%".
    window_start = clause_start
    if re.fullmatch(r"\s*(?:на|в)\s*", text[clause_start : a.start], re.I):
        window_start = max(sent[0], a.start - 90)
    window = text[window_start : a.start]
    if _NA_RE.search(prefix):
        cmp_after = _AFTER_CMP_RE.match(suffix)
        trig = None
        for m in _TRIGGER_RE.finditer(window):
            trig = m
        if cmp_after or trig:
            f.role = "change"
            down = cmp_after.group("down") if cmp_after else trig.group("down")  # type: ignore[union-attr]
            f.sign = -1 if down else 1
            f.change_unit = f.unit
            if trig is not None:
                f.trigger_start = window_start + trig.start()
            return
    if _V_RE.search(prefix) and _TIMES_RE.match(text[a.number_end : sent[1]]):
        trig = None
        for m in _TRIGGER_RE.finditer(window):
            trig = m
        cmp_after = _AFTER_CMP_RE.match(
            text[a.number_end : sent[1]][_TIMES_RE.match(text[a.number_end : sent[1]]).end() :]
        )  # type: ignore[union-attr]
        if trig or cmp_after:
            f.role = "change"
            down = (trig.group("down") if trig else None) or (
                cmp_after.group("down") if cmp_after else None
            )
            f.sign = -1 if down else 1
            f.change_unit = "x"
            if trig is not None:
                f.trigger_start = window_start + trig.start()
            return
    m = _SOSTAVIL_RE.search(text[clause_start : a.start])
    if m and f.unit in {"%", "п.п."}:
        f.role = "change"
        f.sign = -1 if m.group("down") else 1
        f.change_unit = f.unit
        f.trigger_start = clause_start + m.start()


_MULT_WORDS = {"вдвое": 2, "втрое": 3, "вчетверо": 4, "впятеро": 5, "вдесятеро": 10}
_MULT_WORD_RE = re.compile(r"(?<![а-яё])(вдвое|втрое|вчетверо|впятеро|вдесятеро)(?![а-яё])", re.I)


def _multiplier_words(text: str, sent: Span) -> list[_Figure]:
    """ "вырос вдвое", "втрое меньше": a factor change written as one word."""
    out = []
    for m in _MULT_WORD_RE.finditer(text, sent[0], sent[1]):
        window_start = max(sent[0], m.start() - 90)
        trig = None
        for t in _TRIGGER_RE.finditer(text, window_start, m.start()):
            trig = t
        after = _AFTER_CMP_RE.match(text[m.end() : sent[1]])
        if trig is None and after is None:
            continue
        down = (after.group("down") if after else None) or (trig.group("down") if trig else None)
        amount = Amount(m.start(), m.end(), _MULT_WORDS[m.group(1).lower()], None, False, m.end())
        f = _Figure(amount, role="change", sign=-1 if down else 1, change_unit="x")
        f.trigger_start = trig.start() if trig else None
        out.append(f)
    return out


def _change_value(f: _Figure) -> int | float:
    v = f.amount.value
    if f.change_unit == "x":
        return round(1 / v, 4) if f.sign < 0 and v else v
    return -v if f.sign < 0 else v


def _against(doc: Doc, f: _Figure, sent: Span, start_from: int) -> TimeExpr | None:
    """The compared period of a change: a date near it, after a comparison cue."""
    text = doc.text
    best = None
    for d in doc.dates_in(*sent):
        if d.start < start_from:
            continue
        cue = _CMP_CUE_RE.search(text[max(sent[0], d.start - 40) : d.start])
        between = f.trigger_start is not None and f.trigger_start <= d.start < f.amount.start
        if cue or between:
            dist = abs(d.start - f.amount.start)
            if best is None or dist < abs(best.start - f.amount.start):
                best = d
    return best


def _period(doc: Doc, sent: Span, clause: Span, pos: int, used: set[int]) -> TimeExpr | None:
    dates = [d for d in doc.dates_in(*sent) if id(d) not in used]
    cs, ce = clause
    same = [d for d in dates if d.start >= cs and d.end <= ce]
    if same:
        return min(same, key=lambda d: abs(d.start - pos))
    before = [d for d in dates if d.end <= pos]
    if before:
        return max(before, key=lambda d: d.end)
    after = [d for d in dates if d.start >= pos]
    return min(after, key=lambda d: d.start) if after else None


def quantities(doc: Doc) -> list[Fact]:
    """All quantity facts of a doc that has been through "natasha" (and, ideally, "dates")."""
    from newsfacts.nlp.natasha_pipe import analyse, models

    if doc.nlp is None:
        doc.nlp = analyse(doc.text, syntax=False)
    morph = models().morph_vocab
    text = doc.text
    blocked: list[Span] = [(d.start, d.end) for d in doc.dates]
    blocked += [m.span() for m in _PHONE_RE.finditer(text)]
    blocked += [m.span() for m in _TIME_RE.finditer(text)]
    all_toks = doc.nlp.tokens
    starts = [t.start for t in all_toks]
    facts: list[Fact] = []
    prev_count: tuple[str, str, list[str]] | None = None  # unit, "число ...", subjects
    for sent in doc.sentences():
        if _FOOTER_RE.search(text, sent[0], sent[1]):
            continue  # "разрешено использование лишь 30% текста": reuse terms, not news
        amounts = find_amounts(text[sent[0] : sent[1]])
        if not amounts and not _MULT_WORD_RE.search(text, sent[0], sent[1]):
            continue
        toks = _tokens(all_toks, starts, *sent)
        figures: list[_Figure] = []
        for a in amounts:
            a = replace(a, start=a.start + sent[0], end=a.end + sent[0],
                        number_end=a.number_end + sent[0])  # fmt: skip
            if _skip_amount(text, a, blocked):
                continue
            if (
                a.unit == "AZN"
                and _TMT_CONTEXT_RE.search(text)
                and not re.search(r"азербайджан", text[a.start : a.end + 20] + text, re.I)
            ):
                a.unit = "TMT"  # a bare "манат" in a story about Turkmenistan
            f = _Figure(a, unit=a.unit)
            rest = text[a.end : sent[1]]
            measure = measure_of(rest.lstrip()) if f.unit is None else None
            if measure is not None:
                f.unit = measure[0]  # "120 км", "2,5 млн кв. м"
                f.unit_end = a.end + len(rest) - len(rest.lstrip()) + measure[1]
            elif f.unit is None:
                f.noun, f.adjs = _counted_noun(toks, a.end)
                if f.noun is not None:
                    f.unit = f.noun.lemma
            _classify(text, sent, f)
            figures.append(f)
        figures += _multiplier_words(text, sent)
        figures.sort(key=lambda f: f.amount.start)
        if not figures:
            continue
        # Qualifiers and counted nouns of levels.
        for f in figures:
            if f.role != "level":
                continue
            a = f.amount
            clause = _clause(text, sent, a.start)
            f.qualifier = qualifier_before(text[clause[0] : a.start]) or qualifier_after(
                text[a.end : sent[1]]
            ) or "eq"  # fmt: skip
            if f.qualifier == "le" and _TO_RE.search(text[clause[0] : a.start]):
                # "вырос до 15 млн", "понизил ставку на 0,5 п.п. — до 10%": "до" gives
                # the new level, not a bound.
                head = text[max(sent[0], a.start - 90) : a.start]
                if _TRIGGER_RE.search(head) or re.search(r"достиг|доведен|довест", head, re.I):
                    f.qualifier = "eq"
        # "с 10 до 15 млн": the first figure is where the level started.
        levels = [f for f in figures if f.role == "level"]
        for x, y in zip(levels, levels[1:], strict=False):
            between = text[x.amount.end : y.amount.start]
            if (
                x.unit is None and y.unit is not None and not x.amount.scaled
                and re.fullmatch(r"\s*(?:до|[-–—])\s*", between)
            ):  # fmt: skip
                # "от 200 до 250 млн евро", "2-3% рынка": the first bound shares the
                # scale and unit of the second.
                x.amount.value = to_base(x.amount.value * y.amount.scale)
                x.unit = y.unit
                x.noun, x.adjs = y.noun, y.adjs
            if re.fullmatch(r"\s*[-–—]\s*", between) and x.qualifier == "eq":
                x.qualifier, y.qualifier = "ge", "le"
            if _FROM_RE.search(text[sent[0] : x.amount.start]) and re.fullmatch(
                r"\s*до\s*", between
            ):
                x.role = "from"
                if y.unit is None:
                    y.unit = x.unit
                if x.unit is None:
                    x.unit = y.unit
                y.qualifier = "eq"
                y.change = {"value": y.amount.value - x.amount.value, "unit": y.unit,
                            "against": None}  # fmt: skip
        _share_elided_unit(text, levels)
        spans = [(f.amount.start, f.amount.end) for f in figures]
        hits = _find_indicators(doc, toks, spans)
        used_dates: set[int] = set()
        # Attach changes to the nearest level of the sentence (before it, else after).
        levels = [f for f in figures if f.role == "level"]
        changes = [f for f in figures if f.role == "change"]
        standalone: list[_Figure] = []
        for c in changes:
            before = [lv for lv in levels if lv.amount.start < c.amount.start]
            after = [lv for lv in levels if lv.amount.start > c.amount.start]
            target = before[-1] if before else (after[0] if after else None)
            start_from = (
                target.amount.end if target and target.amount.end < c.amount.start else sent[0]
            )
            c.against = _against(doc, c, sent, start_from)
            if c.against is not None:
                used_dates.add(id(c.against))
            if target is None or target.change is not None:
                standalone.append(c)
            else:
                if c.change_unit is None:
                    c.change_unit = target.unit  # "1200 рабочих мест, что на 300 больше"
                target.change = _change_dict(c)
        heads: list[tuple[int, str]] = []  # (figure start, head of its indicator)
        for f in levels + standalone:
            a = f.amount
            clause = _clause(text, sent, a.start)
            f.clause = clause
            f.prev_clause = _previous_clause(text, sent, clause, a.start)
            usable = _usable_hits(text, hits, f, figures, toks)
            hit = (
                _named_after(usable, text, f)
                or _immediate(usable, text, a.start)
                or _attached(doc, toks, f, usable)
                or _pick(usable, clause, a.start, text=text)
            )
            indicator = _indicator_text(doc, toks, f, hit) if hit else None
            if hit is not None and _inside_argument(doc, toks, f, hit):
                # "Дефицит (республиканского бюджета) составит": the lexicon word is a
                # complement of the noun the figure is about.
                indicator = _syntactic_indicator(doc, toks, f) or indicator
            if (
                indicator is None
                and (f.role == "change" or f.unit is not None)
                and (f.noun is None or f.unit in _MEASURES)
            ):
                # No lexicon word: the noun the figure's verb is about.
                indicator = _syntactic_indicator(doc, toks, f)
            # "ВРП Алматы": the indicator is not a subject even when NER tags it.
            subjects = _subjects(doc, toks, clause, sent, spans + [(h.start, h.end) for h in hits])
            if (
                f.role == "level" and f.unit is None and hit is not None
                and hit.noun_lemma and hit.head in _COUNT_HEADS
            ):  # fmt: skip
                f.unit = hit.noun_lemma  # "число рейсов выросло с 14 до 21"
                if f.change is not None and f.change.get("unit") is None:
                    f.change["unit"] = f.unit
            count_unit = f.unit not in CURRENCY_UNITS and f.unit not in {"%", "п.п.", "x"}
            if (
                f.role == "level" and f.unit is None and hit is not None
                and hit.text in _COUNT_HEADS and prev_count is not None
                and _THEIR_RE.search(text[max(sent[0], hit.start - 20) : hit.start])
            ):  # fmt: skip
                # "их число составляет 280": the noun counted just before.
                f.unit = prev_count[0]
                indicator = prev_count[1].replace("число", hit.text, 1)
                subjects = subjects + [
                    s for s in prev_count[2] if s not in subjects and _is_country_id(doc, s)
                ]
            if indicator is None and f.noun is not None and count_unit and f.unit not in _MEASURES:
                indicator = _count_indicator(morph, f.noun, f.adjs, toks)
            if f.unit == "%" and (
                _ANNUAL_RE.match(text, a.end)
                or _UNDER_RE.search(text, max(sent[0], a.start - 25), a.start)
            ):
                # "до 18% годовых", "ипотека под 7%": a rate, named by what the rate is
                # (spec, decision 4); "годовых" names no share.
                named = indicator if hit is None or not hit.money else None
                indicator = _rate_indicator(text, sent, hits, a.start, named)
            elif (
                f.role == "level"
                and f.unit == "%"
                and (hit is None or not (clause[0] <= hit.start < a.start))
            ):
                share = _owner_share(doc, toks, f) or _share_of(toks, a.end, spans)
                if share:
                    indicator = share  # "не менее 30% закупок госкомпаний"
            if (
                indicator is None
                and f.role == "level"
                and f.unit in CURRENCY_UNITS
                and _WORTH_RE.search(text, max(sent[0], a.start - 25), a.start)
                and _noun_before_na(toks, a.start)
            ):
                indicator = "стоимость"  # "реализовали 15 проектов на 700 млн евро"
            if hit is not None and hit.verb is None and not hit.bare and hit.tok is not None:
                heads.append((a.start, hit.head))
            elided = _elided_complement(text, toks, sent, a.start)
            earlier = [h for h in heads if h[0] < a.start]
            if elided and earlier:
                # "добыча нефти составит 90 млн тонн, а газа — 60 млрд кубометров"
                indicator = f"{max(earlier)[1]} {elided}"
            if f.role == "level" and f.unit is None and indicator is None:
                continue  # a bare number: nothing says what it measures
            period = _period(doc, sent, clause, a.start, used_dates)
            if f.role == "change":
                args: dict[str, Any] = {
                    "indicator": indicator, "subjects": subjects, "value": None,
                    "unit": None, "qualifier": None,
                }  # fmt: skip
                args["change"] = _change_dict(f)
            else:
                args = {
                    "indicator": indicator, "subjects": subjects, "value": a.value,
                    "unit": f.unit, "qualifier": f.qualifier,
                }  # fmt: skip
                if f.change is not None:
                    args["change"] = f.change
            args["value_span"] = [a.start, a.end]  # the figure itself, inside the evidence
            if period is not None:
                args["period"] = period.value
                if not period.resolved:
                    args["period_resolved"] = False
                elif f.role == "level" and _YEAR_BEFORE_RE.match(text, a.end, sent[1]):
                    # "1,2 млн против 400 тыс. годом ранее": the compared figure is the
                    # year before the sentence's period.
                    args["period"] = re.sub(r"\d{4}", lambda m: str(int(m[0]) - 1), period.value)
            conf = 0.55
            conf += 0.15 if hit is not None else 0.0
            conf += 0.1 if f.unit in CURRENCY_UNITS or f.unit == "%" else 0.0
            conf += 0.05 if period is not None else 0.0
            conf += 0.05 if subjects else 0.0
            facts.append(
                Fact(
                    "quantity",
                    args,
                    evidence=[sent],
                    confidence=min(conf, 0.95),
                    extractor="quantity",
                )  # fmt: skip
            )
            if f.role == "level" and f.noun is not None and count_unit and f.unit:
                prev_count = (f.unit, _count_indicator(morph, f.noun, f.adjs, toks), subjects)
    return facts


_VERSUS_RE = re.compile(
    r"(?:против|вместо|(?:по\s+сравнению|в\s+сравнении)\s+с|(?:a|а)\s+не)\s*$", re.I
)


# Money "на" a sum, with nothing else saying what it measures, is what things are worth.
_WORTH_RE = re.compile(
    r"(?:^|\s)на\s+(?:(?:около|порядка|почти|примерно|более|свыше|менее|до)\s+)?$", re.I
)


def _noun_before_na(toks: list[_Tok], pos: int) -> bool:
    """ "15 проектов на 700 млн евро" (things worth it), not "оштрафован на 15 тыс."."""
    k = _after(toks, pos) - 1
    while k >= 0 and toks[k].pos in {"ADV", "ADP"} and _fold(toks[k].text) != "на":
        k -= 1  # "на около", "на более чем"
    return k >= 1 and _fold(toks[k].text) == "на" and toks[k - 1].pos == "NOUN"


_ELIDED_RE = re.compile(
    r",\s*(?:а|и)\s+((?:[а-яё]+\s+){0,2}[а-яё]+)\s*[–—-]\s*"
    r"(?:(?:на|в|до)\s+)?(?:(?:около|порядка|почти|примерно|более|свыше|менее|до)\s+)?$",
    re.I,
)


def _elided_complement(text: str, toks: list[_Tok], sent: Span, pos: int) -> str | None:
    """ ", а газа — 60 млрд": the genitive that replaces the earlier indicator's one."""
    m = _ELIDED_RE.search(text, sent[0], pos)
    if m is None:
        return None
    words = [t for t in toks if m.start(1) <= t.start < m.end(1)]
    if not words or words[-1].pos != "NOUN":
        return None
    if any(t.case != "Gen" or t.pos not in {"NOUN", "ADJ"} for t in words):
        return None  # "а импорт — 3 млрд" names its own indicator
    return " ".join(_word(t) for t in words)


_YEAR_BEFORE_RE = re.compile(
    r"\s*(?:[а-яё]+\s+){0,2}?(?:годом\s+(?:ранее|раньше)|год\s+назад|в\s+предыдущем\s+году)",
    re.I,
)


def _share_elided_unit(text: str, levels: list[_Figure]) -> None:
    """ "принял 1,2 млн туристов против 400 тыс. годом ранее": the compared figure
    counts the same thing, though the noun is not repeated."""
    for x, y in zip(levels, levels[1:], strict=False):
        if y.unit is not None or x.unit is None or x.noun is None:
            continue
        if not _VERSUS_RE.search(text[x.amount.end : y.amount.start]):
            continue
        if not y.amount.scaled and x.amount.scaled:
            y.amount.value = to_base(y.amount.value * x.amount.scale)
        y.unit, y.noun, y.adjs = x.unit, x.noun, x.adjs


def _change_dict(c: _Figure) -> dict[str, Any]:
    return {
        "value": _change_value(c),
        "unit": c.change_unit,
        "against": c.against.value if c.against is not None else None,
    }


@component("quantity")
def quantity_layer(doc: Doc) -> None:
    for fact in quantities(doc):
        doc.add_fact(fact)
