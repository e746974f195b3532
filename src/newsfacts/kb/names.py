"""Name normal forms and blocking keys for cross-article linking.

Linking compares names that the extractor has already put into the nominative, so
the work here is about spelling variants, not grammar: "Е. Досаев" and "Ерболат
Досаев" share a surname key; "АО «Казахтелеком»" and "Казахтелеком" share an
organisation core; "ЕАЭС" and its full name share a key through a small data list;
"Алма-Ата" and "Алматы" share the gazetteer's canonical place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.tables import kb_entities, kb_events
from newsfacts.policy.names import is_long, short_name
from newsfacts.store.keys import fold

_QUOTES = re.compile(r"[«»\"“”„'’]")
_PUNCT = re.compile(r"[^\w\s-]")
LEGAL_FORMS = frozenset(
    {"ао", "тоо", "ооо", "оао", "зао", "пао", "нк", "ак", "гк", "ип", "ано", "фгуп", "гуп"}
    | {"компания", "корпорация", "холдинг", "концерн"}
)
PATRONYMIC_ENDINGS = ("вич", "вна", "ична", "ич", "улы", "кызы", "оглы", "уулу")


@dataclass(frozen=True)
class PersonName:
    """A person's name split into parts; parts may be initials ("е") or missing."""

    first: str | None
    middle: str | None
    last: str

    @property
    def is_full(self) -> bool:
        return self.first is not None and len(self.first) > 1

    def compatible(self, other: PersonName) -> bool:
        """Could both names belong to one person (same surname, no clashing parts)?"""
        return (
            self.last == other.last
            and _part_ok(self.first, other.first)
            and _part_ok(self.middle, other.middle)
        )

    def richer(self, other: PersonName) -> bool:
        """Whether this name says more than `other` (used to upgrade a display name)."""
        return _weight(self) > _weight(other)


def _weight(name: PersonName) -> int:
    return sum(len(p or "") > 1 for p in (name.first, name.middle)) * 2 + sum(
        p is not None for p in (name.first, name.middle)
    )


def _part_ok(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def parse_person(name: str) -> PersonName | None:
    """Split a normalized person name; None when nothing looks like a surname.

    Russian news writes "Имя Фамилия", "И. Фамилия", "Имя Отчество Фамилия" or just
    "Фамилия"; "Фамилия Имя Отчество" is recognised by its patronymic at the end.
    """
    words = [w.strip(".") for w in fold(_QUOTES.sub("", name)).replace(".", ". ").split()]
    words = [w for w in words if w and not _PUNCT.fullmatch(w)]
    if not words:
        return None
    if len(words) == 1:
        return None if len(words[0]) < 2 else PersonName(None, None, words[0])
    if len(words) == 3 and _is_patronymic(words[2]) and len(words[0]) > 1:
        return PersonName(words[1], words[2], words[0])
    last = words[-1]
    if len(last) == 1:  # "Досаев Е." → surname first
        words = words[1:] + words[:1]
        last = words[-1]
    first = words[0]
    middle = words[1] if len(words) >= 3 else None
    return PersonName(first, middle, last)


@lru_cache(maxsize=65536)
def is_given_name(word: str) -> bool:
    """A lone first name ("Пётр", "Мария") names nobody across articles."""
    from newsfacts.nlp.morph import morph

    analyzer = morph()
    if not analyzer.word_is_known(word):  # a guessed "Name" tag ("Альберти") is no evidence
        return False
    parses = analyzer.parse(word)
    return "Name" in parses[0].tag and not any("Surn" in p.tag for p in parses)


def _is_patronymic(word: str) -> bool:
    return len(word) > 4 and word.endswith(PATRONYMIC_ENDINGS)


def org_core(name: str) -> str:
    """An organisation's name without quotes, legal form and punctuation."""
    text = fold(_QUOTES.sub(" ", name))
    words = [w for w in _PUNCT.sub(" ", text).split() if w]
    while len(words) > 1 and words[0] in LEGAL_FORMS:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Every abbreviation and full name (folded cores) → the abbreviation's core."""
    text = resources.files("newsfacts.kb").joinpath("data/abbreviations.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        short, _, full = line.partition("\t")
        if not full.strip():
            continue
        key = org_core(short)
        out[key] = key
        out[org_core(full)] = key
    return out


def org_keys(name: str) -> list[str]:
    """Blocking keys of an organisation name: its core and, where listed, its abbreviation."""
    core = org_core(name)
    if not core:
        return []
    keys = [f"org:{core}"]
    abbr = _abbreviations().get(core)
    if abbr is not None:
        keys.append(f"org:{abbr}")
    return sorted(set(keys))


@lru_cache(maxsize=1)
def _generic_orgs() -> frozenset[str]:
    text = resources.files("newsfacts.kb").joinpath("data/generic_orgs.txt").read_text("utf-8")
    return frozenset(
        org_core(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def is_generic_org(name: str) -> bool:
    """A body every country has ("Генштаб", "Министерство обороны") named without its country."""
    core = org_core(name)
    if core in _generic_orgs():
        return True
    words = core.split()
    if words and words[0] in ("министерство", "министерства", "ведомство", "комитет"):
        from newsfacts.extract import gazetteer

        return not any(gazetteer.lookup(w) for w in words[1:])
    return False


def place_keys(name: str, code: str | None, country: str | None) -> tuple[list[str], str | None]:
    """Blocking keys of a place and its gazetteer canonical name (None if unknown)."""
    from newsfacts.extract import gazetteer

    if code:
        place = gazetteer.country(code)
        return [f"loc:{code.upper()}"], place.name if place else None
    place = gazetteer.lookup(name)
    if place is not None:
        if place.code:
            return [f"loc:{place.code}"], place.name
        return [f"loc:{fold(place.name)}@{place.country or ''}"], place.name
    return [f"loc~{fold(name)}@{(country or '').upper()}"], None


def person_keys(name: str) -> list[str]:
    parsed = parse_person(name)
    return [] if parsed is None else [f"per:{parsed.last}"]


def shorten_canonical(conn: Connection) -> int:
    """Give canonical entities named before names were shortened (a KB synced from an
    older store) the short form the store now keeps (`policy.names`, issue 12): the
    KB's pages and exports show these names, which no quotable set can pay for."""
    rows = conn.execute(sa.select(kb_entities.c.id, kb_entities.c.type, kb_entities.c.name))
    renamed = [(r.id, r.name, short_name(r.name, r.type)) for r in rows if is_long(r.name)]
    for kb_id, old, name in renamed:
        conn.execute(kb_entities.update().where(kb_entities.c.id == kb_id).values(name=name))
        label = kb_events.c.label
        conn.execute(  # labels of events composed with the old name keep it otherwise
            kb_events.update()
            .where(label.contains(old, autoescape=True))
            .values(label=sa.func.replace(label, old, name))
        )
    return len(renamed)
