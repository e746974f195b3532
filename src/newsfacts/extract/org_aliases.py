"""One organisation under its several names in one article.

News names a body three ways: an abbreviation («ЧТПЗ»), its full name («Челябинский
трубопрокатный завод») and a common synonym («кабмин» for «правительство», «внешне-
политическое ведомство» for «МИД»). `entities` already merges an abbreviation
defined in brackets or spelled by the full name's word initials; two cases it
misses are handled here:

- compound words give two letters: «трубо|прокатный» -> «ТП», «нефте|газовый» -> «НГ»
  (a part starts after the connecting vowel «о»/«е», or after «гос»);
- synonyms come from `data/org_synonyms.txt`, one concept per line (government,
  ministries, parliament chambers, central banks). Two entities of one concept merge
  unless they name different countries («МИД России» and «МИД Казахстана» stay two);
  the country is read from a place adjective («российское») or a place after the
  head («правительство Казахстана»).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from newsfacts.datafiles import pipe_rows
from newsfacts.extract import gazetteer
from newsfacts.extract.gazetteer import normal_key

SKIP = frozenset({"и", "по", "о", "в", "на", "для", "за", "де"})
CONNECTORS = "ое"
PREFIXES = ("гос",)


@lru_cache(maxsize=1)
def synonyms() -> dict[str, str]:
    """Phrase (as `normal_key` writes it) -> the concept, i.e. its line's first phrase."""
    table: dict[str, str] = {}
    for row in pipe_rows("org_synonyms.txt"):
        phrases = [normal_key(p) for p in row]
        for phrase in phrases:
            table[phrase] = phrases[0]
    return table


def _parts(word: str) -> list[list[str]]:
    """Ways to read a word as compound parts: «трубопрокатный» -> [[трубопрокатный],
    [трубо, прокатный]]; each part must keep 4+ letters after the cut."""
    ways = [[word]]
    for i in range(3, len(word) - 4):
        if word[i - 1] in CONNECTORS or word[:i] in PREFIXES:
            ways.append([word[:i], word[i:]])
    return ways


def initials_match(abbr: str, name: str) -> bool:
    """Does `abbr` spell the initials of `name`, reading compound words as parts?"""
    words = [w for w in re.split(r"[\s\-«»\"]+", name.lower()) if w and w not in SKIP]
    target = abbr.lower()
    if not words or not target.isalpha() or len(words) > len(target):
        return False

    def walk(i: int, at: int) -> bool:
        if i == len(words):
            return at == len(target)
        for way in _parts(words[i]):
            letters = "".join(p[0] for p in way)
            if target.startswith(letters, at) and walk(i + 1, at + len(letters)):
                return True
        return False

    return walk(0, 0)


def concept_of(name: str) -> tuple[str, str | None] | None:
    """(concept, country code or None) of a state body's name, or None."""
    words = normal_key(name).strip('«»" ').split()
    country: str | None = None
    while words:  # "российское внешнеполитическое ведомство": the adjective is the country
        place = gazetteer.place_by_adjective(words[0])
        if place is None or normal_key(" ".join(words)) in synonyms():
            break
        if place.kind != "country":
            return None  # "московское правительство" is a city's own body
        country = place.code
        words = words[1:]
    table = synonyms()
    for n in range(len(words), 0, -1):
        concept = table.get(" ".join(words[:n]))
        if concept is None:
            continue
        rest = " ".join(words[n:])
        if rest:
            place = gazetteer.lookup(rest)
            if place is None or place.kind != "country":
                return None  # "правительство Москвы" is a city's own body
            country = country or place.code
        return concept, country
    return None


def _absorb(target: Any, other: Any) -> None:
    target.mentions.extend(other.mentions)


def merge_aliases(ents: list[Any]) -> list[Any]:
    """Merge organisation entities that are one body; the rest pass unchanged."""
    orgs = [e for e in ents if e.type == "organization" and e.place is None]
    gone: set[int] = set()
    # compound initials: "ЧТПЗ" and "Челябинский трубопрокатный завод"
    for abbr in orgs:
        if not (abbr.name.isupper() and 2 <= len(abbr.name) <= 8):
            continue
        for full in orgs:
            if full is abbr or id(full) in gone or full.name.isupper() or id(abbr) in gone:
                continue
            if initials_match(abbr.name, full.name):
                _absorb(full, abbr)
                gone.add(id(abbr))
    # synonyms: "Кабмин" and "Правительство Казахстана"
    groups: dict[str, list[tuple[Any, str | None]]] = {}
    for ent in orgs:
        if id(ent) in gone:
            continue
        found = concept_of(ent.name)
        if found is not None:
            groups.setdefault(found[0], []).append((ent, found[1]))
    for members in groups.values():
        countries = {c for _, c in members if c}
        if len(members) < 2 or len(countries) > 1:
            continue  # two countries' ministries, or nothing to merge
        # the card keeps the most telling name: one with its country, then the commonest
        placed = {id(e) for e, c in members if c}
        target = max(
            (e for e, _ in members),
            key=lambda e: (id(e) in placed, len(e.mentions), len(e.name)),
        )
        for ent, _ in members:
            if ent is not target:
                _absorb(target, ent)
                gone.add(id(ent))
    return [e for e in ents if id(e) not in gone]
