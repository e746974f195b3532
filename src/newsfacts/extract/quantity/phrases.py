"""Noun phrases for indicators: adjectives, genitive phrases, governed PPs, inflection.

An indicator keeps its adjectives unless they say when or whose ("минимальная
заработная плата", "средняя пенсия" (an average is its own measure), but "годовой
оборот" → "оборот", "российские инвестиции" → "инвестиции" with Russia as a
subject), its genitive phrase, and the "от/на/по/в" phrase only a head that means
nothing without it governs ("доход от экспорта услуг", "ставка налога на прибыль";
"цены на бензин" stays "цена", "ставка пошлины на автомобили" "ставка пошлины").
A count with no indicator word is "число <noun>". Words are shown in the case the
indicator needs, so pymorphy inflects them (memoised: it is slow).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from newsfacts.extract.quantity.base import (
    PLACE_NOUNS,
    Tok,
    display_word,
    fold,
    gazetteer_module,
    is_currency_word,
)
from newsfacts.model import Span


@lru_cache(maxsize=4096)
def _gen_plural(morph: Any, lemma: str, surface: str, pos: str = "NOUN") -> str:
    """ "предприятия" → "предприятий", for "число предприятий" (memoised: pymorphy is slow)."""
    for p in morph(surface.lower()):
        if p.normal_form.replace("ё", "е") == lemma and p.pos == pos:
            form = p.inflect({"Gen", "Plur"})
            if form:
                return form.word
    return surface.lower()


def count_indicator(morph: Any, noun: Tok, adjs: list[Tok], toks: list[Tok]) -> str:
    """ "1,5 тыс. субъектов бизнеса" → "число субъектов бизнеса"."""
    words = [_gen_plural(morph, a.lemma, a.text, "ADJ") for a in adjs]
    idx = next((k for k, t in enumerate(toks) if t is noun), None)
    tail = genitive_phrase(toks, idx + 1, []) if idx is not None else []
    return " ".join(
        [
            "число",
            *words,
            _gen_plural(morph, noun.lemma, noun.text),
            *(display_word(t) for t in tail),
        ]
    )


@lru_cache(maxsize=4096)
def _genitive_noun(word: str) -> str | None:
    """The lemma of a genitive noun reading of a word natasha tagged as a verb."""
    from newsfacts.nlp.natasha_pipe import models

    for p in models().morph_vocab(word):
        if p.pos == "NOUN" and p.feats.get("Case") == "Gen" and p.feats.get("Animacy") != "Anim":
            return fold(p.normal_form)
    return None


def genitive_phrase(toks: list[Tok], i: int, stop: list[Span]) -> list[Tok]:
    """The genitive words after position i: "(объём) прямых иностранных инвестиций"."""
    comp: list[Tok] = []
    for k in range(i, min(len(toks), i + 6)):
        c = toks[k]
        if (
            comp
            and fold(c.text) in {"и", "или"}
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
        if not (c.text[:1].islower() or abbreviation) or c.lemma in PLACE_NOUNS:
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
    gz = gazetteer_module()
    if gz is None:
        return False
    try:
        return gz.place_by_adjective(lemma) is not None
    except Exception:  # a gazetteer bug must not lose the figure
        return False


@lru_cache(maxsize=1024)
def agreement(display: str) -> tuple[str | None, str]:
    """Gender and number of the head noun of a lexicon display ("заработная плата")."""
    from newsfacts.nlp.natasha_pipe import models

    morph = models().morph_vocab
    for w in display.split():
        for p in morph(w):
            if p.pos == "NOUN" and p.feats.get("Case") == "Nom":
                return p.feats.get("Gender"), p.feats.get("Number", "Sing")
    return None, "Sing"


def inflect(tok: Tok, grams: set[str]) -> str:
    """ "минимальную" → "минимальная" (grams: UD features, e.g. {"Nom", "Fem", "Sing"})."""
    form = _inflected(tok.text.lower(), tok.lemma, tok.pos, frozenset(grams))
    return form if form is not None else display_word(tok)


@lru_cache(maxsize=4096)
def _inflected(word: str, lemma: str, pos: str, grams: frozenset[str]) -> str | None:
    from newsfacts.nlp.natasha_pipe import models

    morph = models().morph_vocab
    pos = "NOUN" if pos == "PROPN" else pos
    for p in morph(word):
        if fold(p.normal_form) == lemma and p.pos == pos:
            form = p.inflect(set(grams))
            if form is not None:
                return str(form.word)
    return None


def adj_grams(case: str, gender: str | None, number: str) -> set[str]:
    grams = {case, number}
    if number == "Sing" and gender:
        grams.add(gender)
    return grams


def left_adjectives(
    toks: list[Tok], i: int, skip: frozenset[str] = _SKIP_ADJS, places: bool = False
) -> list[Tok]:
    """The adjectives right before toks[i] that name a kind of it: "(минимальная) зарплата".

    A capitalised adjective inside the sentence is a proper name ("Туркестанской
    области"); a place adjective says whose the figure is, which is a subject, unless
    `places` (in a complement: "поставки казахстанской муки").
    """
    out: list[Tok] = []
    k = i - 1
    while k >= 0 and len(out) < 3:
        a = toks[k]
        if a.pos != "ADJ" or not a.text.replace("-", "").isalpha() or is_currency_word(a):
            break  # "100 млрд тенге налогов": the currency is the figure's, not a kind
        if not (a.text[:1].islower() or k == 0):
            break
        if a.lemma in skip or (not places and _is_place_adjective(a.lemma)):
            break
        out.insert(0, a)
        k -= 1
    return out


def prep_phrase(toks: list[Tok], j: int, allowed: frozenset[str], stop: list[Span]) -> list[Tok]:
    """ "от экспорта услуг", "на прибыль", "по заработной плате": a complement the head
    governs, when it follows the head directly."""
    if j >= len(toks):
        return []
    prep = fold(toks[j].text)
    prep = "в" if prep == "во" else prep
    if prep not in allowed or prep not in _PREP_CASE:
        return []
    case = _PREP_CASE[prep]
    out: list[Tok] = [toks[j]]
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
    if not (n.text[:1].islower() or abbreviation) or n.lemma in PLACE_NOUNS:
        return []
    out.append(n)
    return out + genitive_phrase(toks, k + 1, stop)


@lru_cache(maxsize=4096)
def _has_noun_reading(word: str, case: str) -> bool:
    from newsfacts.nlp.natasha_pipe import models

    return any(p.pos == "NOUN" and p.feats.get("Case") == case for p in models().morph_vocab(word))


def skip_subject(toks: list[Tok], j: int, entity_spans: list[Span], complement: bool = True) -> int:
    """The position after a genitive subject ("Китая", "Туркестанской области"); for a
    head that takes no genitive complement, any genitive ("выручка компании от ...")."""
    k = j
    while k < len(toks) and k - j < 4:
        t = toks[k]
        named = t.pos == "PROPN" or any(s <= t.start < e for s, e in entity_spans)
        owner = named or t.lemma in PLACE_NOUNS or t.pos == "ADJ" or not complement
        if t.case == "Gen" and owner and t.pos in {"NOUN", "PROPN", "ADJ"}:
            k += 1
            continue
        break
    while k > j and toks[k - 1].pos == "ADJ":
        k -= 1  # an adjective must belong to a subject noun, not dangle
    return k


def noun_phrase_gen(toks: list[Tok], noun: Tok) -> str:
    """ "Иностранные туристы" → "иностранных туристов": a complement in the genitive."""
    idx = toks.index(noun)
    adjs = left_adjectives(
        toks, idx, frozenset({"этот", "такой", "весь", "свой", "наш"}), places=True
    )
    number = noun.number or "Sing"
    words = [inflect(a, adj_grams("Gen", noun.gender, number)) for a in adjs]
    words.append(inflect(noun, {"Gen", number}))
    return " ".join(words)


_ELIDED_RE = re.compile(
    r",\s*(?:(?:а|и)\s+)?((?:[а-яё]+\s+){0,2}[а-яё]+)\s*[–—-]\s*"
    r"(?:(?:на|в|до)\s+)?(?:(?:около|порядка|почти|примерно|более|свыше|менее|до)\s+)?$",
    re.I,
)


def elided_complement(text: str, toks: list[Tok], sent: Span, pos: int) -> str | None:
    """ ", а газа — 60 млрд", ", строительства – на 9,3": the genitive that replaces the
    earlier indicator's one (the "а" may be left out in a list)."""
    m = _ELIDED_RE.search(text, sent[0], pos)
    if m is None:
        return None
    words = [t for t in toks if m.start(1) <= t.start < m.end(1)]
    if not words or words[-1].pos != "NOUN":
        return None
    if any(t.case != "Gen" or t.pos not in {"NOUN", "ADJ"} for t in words):
        return None  # "а импорт — 3 млрд" names its own indicator
    return " ".join(display_word(t) for t in words)
