"""Places (and a few supranational bodies) as data, looked up whatever their case.

The NER model finds most place names but cannot say whether "Алматы" is a city or
which country "Милан" lies in, and it misses or mistypes some ("Европы", "ЕС" as a
place). `data/gazetteer.tsv` fixes that. Every name and alias is indexed in all six
cases, generated once with pymorphy2 for words its dictionary knows as geographic
names (unknown or indeclinable words are indexed as written, never guessed), so a
lookup works on a surface form ("Казахстане"), a lemma ("казахстан") or a phrase
("Центральной Азии"). The forms are kept in an on-disk cache (see `_index`) so a
process that only links places (`load`, `kb sync`) does not inflect them again.
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pymorphy2.analyzer import Parse

CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2")
# Names that are also frequent ordinary words; they are only trusted when the
# NER model already marked them as a location.
AMBIGUOUS = frozenset({"того", "чад", "мали", "гана", "куба", "ош", "лима", "вена", "орел"})


@dataclass(frozen=True)
class Place:
    name: str  # canonical nominative name, as printed in entity cards
    kind: str  # country | city | region | other | organization
    code: str | None = None  # ISO 3166-1 alpha-2, countries only
    country: str | None = None  # ISO code of the country it lies in

    @property
    def entity_type(self) -> str:
        return "organization" if self.kind == "organization" else "location"

    @property
    def subtype(self) -> str | None:
        return None if self.kind == "organization" else self.kind


@lru_cache(maxsize=65_536)
def normal_key(text: str) -> str:
    """Lowercase, "ё" as "е", one space between words, unified dashes and quotes.

    Memoised: the scanners ask for the same words and windows over and over."""
    text = text.lower().replace("ё", "е").replace("’", "'")
    for dash in ("–", "—", "‑"):
        text = text.replace(dash, "-")
    text = text.replace(" - ", "-")
    return " ".join(text.split())


def _morph():  # the natasha pymorphy2 vocabulary, shared and cached
    """natasha's vocabulary once its models are loaded (extraction), else one of its own.

    `load` and `kb sync` need the gazetteer's case forms but none of natasha's
    neural models, which take seconds to load; pymorphy2 alone gives the same
    parses (natasha's vocabulary is pymorphy2 with the same dictionaries)."""
    from newsfacts.nlp import natasha_pipe

    if natasha_pipe.models.cache_info().currsize:
        return natasha_pipe.models().morph_vocab
    return _own_morph()


@lru_cache(maxsize=1)
def _own_morph():  # type: ignore[no-untyped-def]
    """The shared pymorphy2 analyzer's `parse`, memoised as natasha's vocabulary
    memoises it: the gazetteer reads only pymorphy2's fields of a parse."""
    from newsfacts.nlp.morph import morph

    return lru_cache(maxsize=10_000)(morph().parse)


def _word_forms(word: str) -> dict[str, str]:
    """case -> form of one word; {} when the dictionary does not know it reliably."""
    parses = _morph()(word.lower())
    best = None
    for p in parses:
        # the guesser is reliable for adjectives ("алматинская"), not for nouns
        if not p.is_known and p.tag.POS != "ADJF":
            continue
        usable = "Geox" in p.tag or "Orgn" in p.tag or p.tag.POS in ("ADJF", "PRTF", "NOUN")
        if usable and (best is None or ("Geox" in p.tag and "Geox" not in best.tag)):
            best = p
    if best is None and "-" in word:
        # "нур-султан": decline the last part only, as Russian does
        head, _, last = word.rpartition("-")
        return {case: f"{head}-{form}" for case, form in _word_forms(last).items()}
    if best is None or "Fixd" in best.tag:
        return {}
    out = {}
    for case in CASES:
        form = Parse.inflect(best, {case})
        if form is not None:
            out[case] = form.word
    return out


def _phrase_forms(name: str) -> set[str]:
    """All case forms of a name: the adjectives and the head noun take the case, the
    words after the head stay ("Соединённые Штаты Америки" -> "Соединёнными Штатами
    Америки")."""
    words = normal_key(name).split()
    per_word = [_word_forms(w) for w in words]
    head = next(
        (i for i, w in enumerate(words) if any(p.tag.POS == "NOUN" for p in _morph()(w)[:1])),
        len(words) - 1,
    )
    if head + 2 < len(words) and words[head + 1] == "и":
        head += 2  # "Босния и Герцеговина": both nouns take the case
    forms = {normal_key(name)}
    for case in CASES:
        parts = []
        for i, (word, forms_of) in enumerate(zip(words, per_word, strict=True)):
            if i > head or not forms_of:
                parts.append(word)
            else:
                parts.append(forms_of.get(case, forms_of.get("loct", word)))
        forms.add(normal_key(" ".join(parts)))
    return forms


@dataclass
class _Index:
    by_form: dict[str, Place]
    by_adjective: dict[str, Place]
    by_code: dict[str, Place]
    max_words: int


_TSV = resources.files("newsfacts").joinpath("data/gazetteer.tsv")


def _read_rows() -> list[list[str]]:
    text = _TSV.read_text("utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = (line.split("\t") + [""] * 6)[:6]
        rows.append([c.strip() for c in cols])
    return rows


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The index, from the on-disk cache when this gazetteer, this module and these
    pymorphy2 dictionaries built it before (building it inflects every name: 1-2 s
    per process, most of a short `load`'s knowledge-base linking)."""
    path = _cache_path()
    if path is not None:
        try:
            return _from_json(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            pass
    index = _build_index()
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(_to_json(index), ensure_ascii=False), "utf-8")
            os.replace(tmp, path)  # atomic: a parallel process reads old or new, whole
        except OSError:
            pass
    return index


def _cache_path() -> Path | None:
    """$NEWSFACTS_CACHE (or ~/.cache/newsfacts)/gazetteer-KEY.json; KEY hashes what
    the index depends on; NEWSFACTS_CACHE=off disables the cache."""
    root = os.environ.get("NEWSFACTS_CACHE") or str(Path.home() / ".cache" / "newsfacts")
    if root == "off":
        return None
    import pymorphy2
    import pymorphy2_dicts_ru

    digest = hashlib.sha1()
    for part in (
        _TSV.read_bytes(),
        Path(__file__).read_bytes(),
        pymorphy2.__version__.encode(),
        pymorphy2_dicts_ru.__version__.encode(),
    ):
        digest.update(hashlib.sha1(part).digest())
    return Path(root) / f"gazetteer-{digest.hexdigest()[:16]}.json"


def _to_json(index: _Index) -> dict[str, Any]:
    places: dict[Place, int] = {}
    for table in (index.by_form, index.by_adjective, index.by_code):
        for place in table.values():
            places.setdefault(place, len(places))
    return {
        "places": [[p.name, p.kind, p.code, p.country] for p in places],
        "by_form": {k: places[p] for k, p in index.by_form.items()},
        "by_adjective": {k: places[p] for k, p in index.by_adjective.items()},
        "by_code": {k: places[p] for k, p in index.by_code.items()},
        "max_words": index.max_words,
    }


def _from_json(data: dict[str, Any]) -> _Index:
    places = [Place(*row) for row in data["places"]]
    return _Index(
        {k: places[i] for k, i in data["by_form"].items()},
        {k: places[i] for k, i in data["by_adjective"].items()},
        {k: places[i] for k, i in data["by_code"].items()},
        int(data["max_words"]),
    )


def _build_index() -> _Index:
    by_form: dict[str, Place] = {}
    by_adjective: dict[str, Place] = {}
    by_code: dict[str, Place] = {}
    max_words = 1
    for name, kind, code, country, aliases, adjectives in _read_rows():
        place = Place(name=name, kind=kind, code=code or None, country=country or None)
        if place.code:
            by_code[place.code] = place
        names = [name] + [a for a in aliases.split("|") if a]
        for surface in names:
            # abbreviations (all capitals) are not inflected
            forms = {normal_key(surface)} if surface.isupper() else _phrase_forms(surface)
            for form in forms:
                by_form.setdefault(form, place)
                max_words = max(max_words, len(form.split()))
        for adj in adjectives.split("|"):
            if adj:
                by_adjective.setdefault(normal_key(adj), place)
    return _Index(by_form, by_adjective, by_code, max_words)


def lookup(name_or_lemma: str) -> Place | None:
    """The place a name, an inflected form or a lemma refers to, if the gazetteer knows it."""
    return _index().by_form.get(normal_key(name_or_lemma))


def country_by_adjective(lemma: str) -> Place | None:
    """ "итальянский" -> Italy. Accepts an inflected form too ("итальянской")."""
    place = place_by_adjective(lemma)
    if place is None or place.kind == "country":
        return place
    # "алматинский" -> Kazakhstan; "европейский" names no country
    return _index().by_code.get(place.country) if place.country else None


def place_by_adjective(lemma: str) -> Place | None:
    """Like `country_by_adjective` but keeps cities and regions ("алматинский" -> Алматы)."""
    index = _index()
    key = normal_key(lemma)
    place = index.by_adjective.get(key)
    if place is None:
        parses = _morph()(key)
        if parses:
            place = index.by_adjective.get(normal_key(parses[0].normal_form))
    return place


def country(code: str) -> Place | None:
    return _index().by_code.get(code.upper())


@lru_cache(maxsize=1)
def _sorted_forms() -> list[str]:
    return sorted(_index().by_form)


def has_prefix(key: str) -> bool:
    """Whether some known name (as `normal_key` writes it) starts with `key`.

    A scanner asks this of a first word before trying every window from it."""
    forms = _sorted_forms()
    at = bisect_left(forms, key)
    return at < len(forms) and forms[at].startswith(key)


def max_words() -> int:
    """The longest name in words, so a scanner knows how far to look ahead."""
    return _index().max_words
