"""The form in which an entity's name may be shown: never a run of article text.

A name is shown on every page that mentions its entity, in its key (URLs, JSON,
exports, the KB), under one identity across all articles. So no quotable set can
pay for it: a name long enough to be text («Европейский банк реконструкции и
развития», 41 characters) reveals every article holding it, by as much as its
length, whatever that article's share (a 177-character note at 20% may show 35).
Whether some article can afford it depends on every article holding its words, now
and later, and deciding by the store would rewrite keys (URLs) of old articles when
a new one arrives. So the rule is fixed by the name alone: a name that holds a
countable run (`verbatim.is_text`) is stored and shown in a short form that holds
none, chosen in this order:

1. for an organisation, its known abbreviation (`data/org_abbreviations.txt`:
   «ЕАЭС»), its proper name in quotes («КазМунайГаз»), a short synonym from
   `data/org_synonyms.txt` («МИД»), else the initials of its content words
   («ЕБРР»), as news itself abbreviates bodies;
2. for a person, the first and last name («Мохамад Рахман»);
3. words abbreviated at a consonant, first word first («Центр. Казахстан»);
4. cut below one run, with «…».

Aliases long enough to be text are dropped (inflected forms of the long name). The
store applies this once, at save (`shown_record`), so every output reads the short
form and every key (`store.keys.entity_key`, derived from the stored name) holds it
too; entity pages stay addressed by key. A curated short form (abbreviation, quoted
name, synonym) or a person's first and last name names one body; a generated one
(initials, abbreviated words, cut) may name several («Нурекская гидроэлектростанция»
and «Нарвская гидростанция» are both «НГ»), so the entity also keeps a digest of its
full name (`Entity.ident`, part of its key, issue 12) and, for search only, the full
name itself (`Entity.search_name`, stored in a column no presenter reads).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache

from newsfacts.datafiles import pipe_rows
from newsfacts.model import Entity, Record
from newsfacts.policy.verbatim import ELLIPSIS, is_text

# Words that take no initial («банк реконструкции и развития» -> «БРР»).
SKIP = frozenset({"и", "по", "о", "об", "в", "во", "на", "для", "за", "де", "с", "со", "при"})
# Quoted proper name inside a longer name: АО НК «КазМунайГаз».
_QUOTED = re.compile(r"[«\"“]([^»\"”]+)[»\"”]")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
VOWELS = frozenset("аеёиоуыэюяaeiouy")
# An abbreviated word keeps at least this many letters («Центр.», «Манг.»).
MIN_ABBR = 4


def is_long(name: str) -> bool:
    """Whether `name` must not be shown as it is (it holds a run of text)."""
    return is_text(name)


def short_name(name: str, type_: str = "") -> str:
    """`name` itself when it holds no run of text, else its short form (module doc)."""
    return short_form(name, type_)[0]


def short_form(name: str, type_: str = "") -> tuple[str, bool]:
    """`short_name`, and whether that form was generated (initials, abbreviated words,
    a cut) rather than one that names a single body (curated, quoted, person)."""
    if not is_long(name):
        return name, False
    for candidate, generated in _candidates(name, type_):
        candidate = " ".join(candidate.split())
        if candidate and not is_long(candidate):
            return candidate, generated
    return _cut(name), True


def name_digest(name: str) -> str:
    """A short digest of the full normalised name: tells apart bodies whose generated
    short forms coincide, and holds no text."""
    return hashlib.blake2b(_key(name).encode("utf-8"), digest_size=3).hexdigest()


def shown_entity(entity: Entity) -> Entity:
    """The entity as it may be shown: short name, aliases that hold no run of text;
    a generated short name keeps the digest of the full one (`Entity.ident`), and a
    shortened one the full name for search (`Entity.search_name`, never shown)."""
    name, generated = short_form(entity.name, entity.type)
    aliases = [a for a in entity.aliases if not is_long(a)]
    if name == entity.name and len(aliases) == len(entity.aliases):
        return entity
    if name == entity.name:
        return replace(entity, aliases=aliases)
    coded = entity.type == "location" and bool(entity.code)  # keyed by its ISO code
    ident = name_digest(entity.name) if generated and not coded else entity.ident
    return replace(entity, name=name, aliases=aliases, ident=ident, search_name=entity.name)


def shown_record(record: Record) -> Record:
    """`record` with every entity in its shown form (a copy; the caller's is kept)."""
    ents = [shown_entity(e) for e in record.entities]
    if all(a is b for a, b in zip(ents, record.entities, strict=True)):
        return record
    return replace(record, entities=ents)


def _candidates(name: str, type_: str) -> Iterator[tuple[str, bool]]:
    """Short forms in order of preference, each with whether it is generated."""
    words = _WORD.findall(name)
    if type_ == "organization":
        known = _known(_key(name))
        if known:
            yield known, False
        for quoted in _QUOTED.findall(name):
            yield f"«{quoted.strip()}»", False
        yield from ((s, False) for s in _synonyms(name))
        content = [w for w in words if w.lower() not in SKIP]
        if len(content) >= 2:
            yield "".join(w[0].upper() for w in content), True
    if type_ == "person" and len(words) > 2:
        yield f"{words[0]} {words[-1]}", False
    yield from ((s, True) for s in _abbreviated(name))


def _key(name: str) -> str:
    return " ".join(name.lower().replace("ё", "е").split())


def _known(key: str) -> str | None:
    """The abbreviation of a known body named by `key`, or by `key` with a word or
    two left over at its end («Европейский банк реконструкции и развития о», an
    extraction that ran on): the same body, which then keeps its plain key."""
    known = _abbreviations()
    if key in known:
        return known[key]
    words = key.split()
    for cut in (1, 2):
        if len(words) > cut + 1 and (abbr := known.get(" ".join(words[:-cut]))):
            return abbr
    return None


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Full name (lower case, «е» for «ё») -> its abbreviation, from the data file."""
    out: dict[str, str] = {}
    for abbr, *names in pipe_rows("org_abbreviations.txt"):
        out.update((_key(n), abbr) for n in names)
    return out


def _synonyms(name: str) -> Iterator[str]:
    """A short synonym of a state body (`data/org_synonyms.txt`): «МИД», «Минфин»."""
    from newsfacts.extract.gazetteer import normal_key
    from newsfacts.extract.org_aliases import synonyms

    concept = synonyms().get(normal_key(name))
    if concept is None:
        return
    for phrase in sorted(_by_concept().get(concept, ()), key=len):
        if " " not in phrase:
            yield phrase.upper() if len(phrase) <= 4 else phrase.capitalize()


@lru_cache(maxsize=1)
def _by_concept() -> dict[str, tuple[str, ...]]:
    from newsfacts.extract.org_aliases import synonyms

    out: dict[str, list[str]] = {}
    for phrase, concept in synonyms().items():
        out.setdefault(concept, []).append(phrase)
    return {k: tuple(v) for k, v in out.items()}


def _abbreviated(name: str) -> Iterator[str]:
    """`name` with its long words abbreviated one after another, first word first."""
    current = name
    for word in _WORD.findall(name):
        abbr = _abbreviate(word)
        if abbr == word:
            continue
        current = current.replace(word, abbr, 1)
        yield current


def _abbreviate(word: str) -> str:
    """«Центральный» -> «Центр.»: at least `MIN_ABBR` letters, cut before a vowel."""
    if len(word) <= MIN_ABBR + 2 or "-" in word:
        return word
    end = MIN_ABBR
    while end < len(word) - 2 and word[end].lower() not in VOWELS:
        end += 1
    if end >= len(word) - 2:
        return word
    return word[:end] + "."


def _cut(name: str) -> str:
    """A prefix of `name` holding no run of text, with «…»."""
    words = name.split()
    while words:
        words = words[:-1] if len(words) > 1 else [words[0][: max(1, len(words[0]) // 2)]]
        shown = " ".join(words).rstrip(" ,;:-–—") + ELLIPSIS
        if not is_long(shown):
            return shown
        if len(words) == 1 and len(words[0]) <= 1:
            break
    return name[:1] + ELLIPSIS
