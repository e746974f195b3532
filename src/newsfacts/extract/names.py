"""Person names: nominative normal form, parts, and the tests merging relies on.

Russian inflects names ("с Ерболатом Досаевым"), foreign names often do not
("с Марко Альберти"), and a guesser that declines an unknown word can mangle it
("Фаджрул" -> "Фаджрула"). So a word is only re-inflected when the morphology
model says it is an oblique case *and* the change only touches the ending.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from natasha.norm import inflect_word
from natasha.shape import recover_shape

INITIAL_RE = re.compile(r"^[A-ZА-ЯЁ]\.?$")
WORD_RE = re.compile(r"[A-Za-zА-Яа-яЁё]")
# Endings a declined name may lose when put back into the nominative.
# Plural endings ("-ов", "-ам") are left out: a name is singular, and "Мирзоянов"
# read as a genitive plural would lose its "-ов".
CASE_ENDINGS = (
    "ом", "ем", "ым", "им", "ой", "ей", "ою", "ею", "ого", "его", "ому", "ему",
    "ую", "юю", "а", "я", "у", "ю", "е", "ы", "и",
)  # fmt: skip


def _vocab() -> Any:
    from newsfacts.nlp.natasha_pipe import models

    return models().morph_vocab


def is_initial(word: str) -> bool:
    return bool(INITIAL_RE.match(word))


@lru_cache(maxsize=20000)
def _grams(word: str) -> tuple[bool, bool, bool]:
    """(has a name reading, is a dictionary word, first reading's POS is a noun)."""
    parses = _vocab()(word.lower())
    named = any({"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in parses)
    known = any(p.is_known for p in parses)
    noun = bool(parses) and parses[0].tag.POS == "NOUN"
    return named, known, noun


def name_like(word: str) -> bool:
    """Could this word be part of a person's name? Dictionary words without a name
    reading ("Чрезвычайным", "Маэстро", "Подана") cannot; unknown words can, since
    most foreign names are unknown to the dictionary."""
    if is_initial(word):
        return True
    if not WORD_RE.search(word) or any(ch.isdigit() for ch in word):
        return False
    named, known, _ = _grams(word)
    return named or not known


def looks_like_person(words: Sequence[str]) -> bool:
    """ "Гата Камский", "Лонгин Клинский" tagged LOC: a known first name followed by a
    surname-like word (a surname reading, or unknown to the dictionary)."""
    if len(words) < 2 or not all(w[:1].isupper() for w in words):
        return False
    first = _vocab()(words[0].lower())
    if not first or "Name" not in first[0].tag:
        return False
    named, known, _ = _grams(words[-1])
    return named or not known


def _safe_inflection(surface: str, normal: str) -> str:
    """Accept `normal` only if it is `surface` with a case ending swapped."""
    low = surface.lower().replace("ё", "е")
    if normal == low:
        return low
    common = 0
    for a, b in zip(low, normal, strict=False):
        if a != b:
            break
        common += 1
    tail = low[common:]
    if common >= max(2, len(normal) - 2) and (not tail or tail in CASE_ENDINGS):
        return normal
    return low


def _restore_yo(surface: str, normal: str) -> str:
    """natasha spells "ё" as "е"; a name keeps its "ё" ("Бахтиёр")."""
    chars = list(normal)
    for i, ch in enumerate(surface.lower()):
        if ch == "ё" and i < len(chars) and chars[i] == "е":
            chars[i] = "ё"
    return "".join(chars)


UD_TO_OC_CASE = {"Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


def _by_case(word: str, case: str) -> str | None:
    """Nominative of a name word read in `case`; the fallback for words natasha's
    exact-feature match leaves alone ("Бахтиёром" when the tagger's gender differs)."""
    from pymorphy2.analyzer import Parse

    oc_case = UD_TO_OC_CASE.get(case)
    if oc_case is None:
        return None
    parses = list(_vocab()(word.lower()))
    # a declined dictionary name before an indeclinable namesake: "Анне" is "Анна"
    parses.sort(
        key=lambda p: not (p.is_known and "Fixd" not in p.tag and p.normal_form != word.lower())
    )
    for parse in parses:
        grams = set(parse.tag.grammemes)
        if "plur" in grams:  # a person is one: "Мирзоянов" is not "Мирзояны" (gen. pl.)
            continue
        if oc_case in grams and ({"Name", "Surn", "Patr"} & grams or not parse.is_known):
            form = Parse.inflect(parse, {"nomn"})
            if form is not None:
                return form.word
    return None


def _plain_ending(surface: str, normal: str, known: bool = False) -> bool:
    """The fallback only strips unambiguous endings: "Бахтиёром" -> "Бахтиёр" and
    "Антонеллой" -> "Антонелла" yes, "Такаши" -> "Такаша" no (a foreign name ending
    in a vowel is usually indeclinable)."""
    common = 0
    for a, b in zip(surface, normal, strict=False):
        if a != b:
            break
        common += 1
    if common < 2 or len(normal) - common > 1:
        return False
    tail = surface[common:]
    if known and tail in ("ы", "и", "е", "у") and normal[common:] in ("а", "я"):
        return True  # a dictionary name of the "-а" declension: "Обамы" -> "Обама"
    return len(tail) >= 2 or (
        tail in ("а", "у") and normal[common:] == "" and normal[-1:] not in "аеиоуыэюя"
    )


SURNAME_RE = re.compile(r"^(.+(?:ов|ев|ёв|ин|ын))(ым|ой|ою|у|а|е)$")


def _russian_surname(word: str, case: str | None, gender: str | None) -> str | None:
    """ "Саткалиевым" -> "Саткалиев", "Ивановой" -> "Иванова": the -ов/-ев/-ин
    surnames decline like no dictionary word, so their endings are rules."""
    match = SURNAME_RE.match(word.lower())
    if match is None or case in (None, "Nom"):
        return None
    base, ending = match.groups()
    if ending in ("ой", "ою"):
        return base + "а"
    if ending == "у":
        return base + "а" if gender == "Fem" else base
    if ending in ("ым", "е") or (ending == "а" and gender != "Fem"):
        return base
    return None


ADJ_SURNAME_RE = re.compile(r"^(.+(?:ск|цк))(ого|ому|им|ом|ой|ою|ую)$")


def _adjectival_surname(word: str, case: str | None, gender: str | None) -> str | None:
    """ "Зеленским" -> "Зеленский", "Зеленской" -> "Зеленская": a -ский/-цкий surname
    declines like an adjective; the tagger often reads it as an unknown PROPN whose
    inflection natasha cannot find. "-ой" is feminine only when the tagger says so
    ("Трубецкой" is a masculine nominative)."""
    match = ADJ_SURNAME_RE.match(word.lower())
    if match is None or case in (None, "Nom"):
        return None
    base, ending = match.groups()
    if ending in ("ого", "ому", "им", "ом"):
        return base + "ий"
    if gender == "Fem" and ending in ("ой", "ою", "ую"):
        return base + "ая"
    return None


OC_TO_UD_CASE = {v: k for k, v in UD_TO_OC_CASE.items()}


@lru_cache(maxsize=20000)
def _known_first_name(word: str) -> bool:
    """A first name the dictionary declines ("Анне" -> "Анна"), so its "-е" ending
    is a case ending and not the end of a foreign name."""
    return any("Name" in p.tag and p.is_known for p in _vocab()(word.lower()))


def _only_oblique(word: str) -> str | None:
    """The case of a known name that cannot be nominative ("Обамы" is only the
    genitive of "Обама"), or None when any nominative reading exists."""
    parses = [
        p
        for p in _vocab()(word.lower())
        if {"Name", "Surn", "Patr"} & set(p.tag.grammemes) and "plur" not in p.tag and p.is_known
    ]
    if not parses or any("nomn" in p.tag for p in parses):
        return None
    return OC_TO_UD_CASE.get(parses[0].tag.case or "")


def normalize_tokens(tokens: Sequence[Any]) -> str:
    """Nominative form of a person-name span from natasha tokens (text, pos, feats).

    natasha's own inflection needs the tagger's case and gender to be right; on
    rare names they often are not ("Алмасадамом Саткалиевым" tagged Gen + Nom), so
    a word it leaves alone gets a second try with the case the span's clearest word
    shows (an -ов/-ев surname in -ым is instrumental whatever the tagger says)."""
    words: list[str] = []
    cases = [t.feats.get("Case") for t in tokens]
    span_cases = [c for c in cases if c and c != "Nom"]
    for token in tokens:
        match = SURNAME_RE.match(token.text.lower())
        if match and match.group(2) == "ым":
            span_cases.insert(0, "Ins")
    for token in tokens:
        if is_initial(token.text) or not WORD_RE.search(token.text):
            words.append(token.text)
            continue
        low = token.text.lower().replace("ё", "е")
        normal = _safe_inflection(token.text, inflect_word(_vocab(), token))
        if normal == low and span_cases:
            own = token.feats.get("Case")
            tries = ([own] if own and own != "Nom" else []) + span_cases
            gender = token.feats.get("Gender")
            for case in dict.fromkeys(tries):
                guess = _by_case(token.text, case) or _russian_surname(token.text, case, gender)
                known = _known_first_name(token.text)
                if guess is not None and _plain_ending(low, guess.replace("ё", "е"), known):
                    normal = guess.replace("ё", "е")
                    break
                guess = _adjectival_surname(token.text, case, gender)
                if guess is not None:
                    normal = guess
                    break
        if normal == low and not span_cases:
            case = _only_oblique(token.text)
            guess = _by_case(token.text, case) if case else None
            if guess is not None and _plain_ending(low, guess.replace("ё", "е"), known=True):
                normal = guess.replace("ё", "е")
        normal = _restore_yo(token.text, normal)
        words.append(recover_shape(normal, token.text))
    text = " ".join(words)
    return re.sub(r"\s+([.,])", r"\1", text)


def title_case(name: str) -> str:
    """ "досаев" -> "Досаев", "мак-кейн" -> "Мак-Кейн"; keeps "ван", "де" lowercase.
    A surname in capitals, as Central Asian news lists print it ("Абылкаир СКАКОВ"),
    is a name, not an acronym: it gets the same title case."""
    out = []
    for word in name.split():
        if len(word) > 2 and word.isupper() and not word.isascii():
            word = word.lower()
        if word.lower() in {"де", "ван", "фон", "да", "дель", "ди", "ибн", "бен", "аль"}:
            out.append(word.lower() if out else word.capitalize())
        elif word.islower():
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
        else:
            out.append(word)
    return " ".join(out)


@dataclass
class NameParts:
    first: str | None = None
    patronymic: str | None = None
    last: str | None = None
    initials: tuple[str, ...] = ()


def split_name(name: str) -> NameParts:
    """ "Ерболат Досаев" -> first/last; a single word is taken as the surname unless the
    dictionary knows it only as a first name; "М. Альберти" keeps the initial."""
    words = name.split()
    initials = tuple(w[0].upper() for w in words if is_initial(w))
    full = [w for w in words if not is_initial(w)]
    parts = NameParts(initials=initials)
    if not full:
        return parts
    if len(full) == 1:
        word = full[0]
        parses = _vocab()(word.lower())
        only_first = bool(parses) and all("Name" in p.tag for p in parses[:2])
        if only_first and not initials:
            parts.first = word
        else:
            parts.last = word
        return parts
    parts.first, parts.last = full[0], full[-1]
    if len(full) == 3:
        middle = full[1]
        if any("Patr" in p.tag for p in _vocab()(middle.lower())):
            parts.patronymic = middle
        else:  # "Мохамад Фаджрул Рахман": a second given name, keep it in `first`
            parts.first = f"{full[0]} {middle}"
    elif len(full) > 3:
        parts.first = " ".join(full[:-1])
    # "Досаев Ерболат" (surname first, as in lists) when the dictionary says so
    first_parses = _vocab()(full[0].lower())
    last_parses = _vocab()(full[-1].lower())
    if (
        len(full) == 2
        and any("Surn" in p.tag for p in first_parses[:1])
        and any("Name" in p.tag for p in last_parses[:1])
    ):
        parts.first, parts.last = full[-1], full[0]
    return parts


ADJECTIVAL_ENDINGS = ("ский", "цкий", "ской", "цкой", "ый", "ий", "ой", "ая", "яя")


def stem_match(known: str, word: str) -> bool:
    """Does `word` look like an inflected form of the name word `known`?
    "Досаев" ~ "Досаевым", "Альберти" ~ "Альберти", "Лужков" ~ "Лужкова",
    "Ратманский" ~ "Ратманским"."""
    a = known.lower().replace("ё", "е")
    b = word.lower().replace("ё", "е")
    if a == b:
        return True
    if len(a) < 3 or len(b) < 3:
        return False
    if a.endswith(ADJECTIVAL_ENDINGS):  # "-ский" declines like an adjective
        stem = a[:-2]
        return b.startswith(stem) and b[len(stem) :] in (
            "ий", "ый", "ой", "ого", "ому", "им", "ым", "ом", "ая", "ую", "ей",
        )  # fmt: skip
    stem = a[:-1] if a[-1] in "аяйьоеиыу" else a
    tail = b[len(stem) :]
    return b.startswith(stem) and tail in ("", a[len(stem) :], "ой", "ою", "ей") + CASE_ENDINGS


def same_name_word(a: str, b: str) -> bool:
    """Either word may be the inflected one: "Марк" ~ "Марку" both ways."""
    return stem_match(a, b) or stem_match(b, a)
