"""Pass 4 of `entities`, *merge*: candidates become entities, plus the repeats NER missed.

Why a module of its own: deciding which mentions are one person ("Марко Альберти",
"Альберти", "М. Альберти") or one organisation ("ООН" and its full name) is a
separate job from finding and typing mentions; the second mention of a name that the
NER model missed is found here too, once the entities are known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsfacts.extract import names
from newsfacts.extract.entity_candidates import (
    ABBR_SKIP,
    Candidate,
    _has_letters,
    _make,
)
from newsfacts.extract.gazetteer import Place, normal_key
from newsfacts.extract.span_index import ByInitial, LastBefore, Taken, initial
from newsfacts.pipeline import Doc


# --- 4. merge -----------------------------------------------------------------------
def _initials(name: str) -> str:
    words = re.split(r"[\s\-]+", name)
    return "".join(w[0] for w in words if w and w.lower() not in ABBR_SKIP).upper()


@dataclass
class _Ent:
    type: str
    name: str
    place: Place | None = None
    mentions: list[Candidate] = field(default_factory=list)
    parts: names.NameParts | None = None

    @property
    def first_start(self) -> int:
        return min(c.start for c in self.mentions)


def _display_name(ent: _Ent) -> str:
    """The card name. Normal forms of oblique mentions can disagree ("Маэхара" read
    as a genitive gives "Маэхар"), so each full normal form scores a point per word
    the text itself spells that way, two if the whole mention was already nominative;
    ties go to the most frequent, then the earliest."""
    full = [c for c in ent.mentions if len(c.normal.split()) >= 2] or ent.mentions
    seen_words = {normal_key(w) for c in ent.mentions for w in c.text.split()}
    counts: dict[str, int] = {}
    for cand in full:
        counts[cand.normal] = counts.get(cand.normal, 0) + 1

    def score(cand: Candidate) -> tuple[int, int, int]:
        own = 2 if normal_key(cand.normal) == normal_key(cand.text) else 0
        words = sum(normal_key(w) in seen_words for w in cand.normal.split())
        return (own + words, counts[cand.normal], -cand.start)

    return max(full, key=score).normal


def _merge_people(cands: list[Candidate]) -> list[_Ent]:
    """Full names merge by key or by surname stem and first initial; a surname or a
    first name alone joins the person it names, the most recently mentioned namesake
    winning. People are filed by the initials of their name words (`ByInitial`), so
    each lookup reads a few candidates, not every person found so far."""
    ents: list[_Ent] = []
    by_name: dict[str, _Ent] = {}
    by_full: dict[tuple[str, str], list[_Ent]] = {}  # surname initial, first name's letter
    by_last_any: ByInitial[_Ent] = ByInitial()  # surname initial
    by_first: ByInitial[_Ent] = ByInitial()  # first-name initial
    last_before = LastBefore()  # the most recent mention before an offset, per person

    def new_ent(cand: Candidate, parts: names.NameParts) -> _Ent:
        ent = _Ent("person", cand.normal, parts=parts)
        ents.append(ent)
        if parts.last:
            by_last_any.add(parts.last, ent)
            if parts.first:
                by_full.setdefault((initial(parts.last), parts.first[:1]), []).append(ent)
        if parts.first:
            by_first.add(parts.first, ent)
        return ent

    def mention(ent: _Ent, cand: Candidate) -> None:
        ent.mentions.append(cand)
        last_before.add(id(ent), cand.start)

    full = [c for c in cands if len([w for w in c.normal.split() if not names.is_initial(w)]) >= 2]
    full_ids = {id(c) for c in full}
    short = [c for c in cands if id(c) not in full_ids]
    for cand in full:
        parts = names.split_name(cand.normal)
        key = normal_key(cand.normal)
        ent = by_name.get(key)
        if ent is None and parts.last and parts.first:
            for other in by_full.get((initial(parts.last), parts.first[:1]), []):
                op = other.parts
                if (
                    op
                    and op.last
                    and names.stem_match(op.last, parts.last)
                    and op.first
                    and op.first[:1] == parts.first[:1]
                ):
                    ent = other
                    break
        if ent is None:
            ent = new_ent(cand, parts)
        by_name[key] = ent
        mention(ent, cand)
    for cand in short:
        parts = names.split_name(cand.normal)
        word = parts.last or parts.first or cand.normal
        options = []
        for ent in by_last_any.get(word):
            ep = ent.parts
            if ep is None or not ep.last or not names.same_name_word(ep.last, word):
                continue
            if parts.initials and ep.first and ep.first[:1].upper() != parts.initials[0]:
                continue
            options.append(ent)
        if not options and not parts.initials:  # a first name alone: "Марко сказал"
            options = [
                e
                for e in by_first.get(word)
                if e.parts and e.parts.first and names.same_name_word(e.parts.first, word)
            ]
        if options:
            ent = max(options, key=lambda e: last_before.get(id(e), cand.start))
        else:
            ent = new_ent(cand, parts)
        mention(ent, cand)
    return ents


QUOTED_RE = re.compile(r"«([^«»]+(?:«[^«»]+»[^«»]*)?)»?")


def _org_key(name: str) -> str:
    """Organisations with a quoted name merge on the quoted part, so "АО «Самрук-Казына»",
    "фонд «Самрук-Казына»" and "Самрук-Казына" are one."""
    match = QUOTED_RE.search(name)
    return normal_key(match.group(1) if match else name).strip('«»" ')


def _stem_key(name: str) -> str:
    """Inflection-proof key: each word cut to its stem-ish prefix, abbreviations whole,
    so a failed normal form ("Больший театр" for "Большим театром") still merges with
    "Большой театр"."""
    words = []
    for word in _org_key(name).split():
        if word.isupper() or len(word) <= 4 or not _has_letters(word):
            words.append(word)
        else:
            words.append(word[: max(4, len(word) - 3)])
    return " ".join(words)


def _best_name(ent: _Ent) -> str:
    """The most frequent normal form; a quoted full name beats its bare core."""
    counts: dict[str, int] = {}
    for cand in ent.mentions:
        counts[cand.normal] = counts.get(cand.normal, 0) + 1
    return max(counts, key=lambda n: ("«" in n, counts[n], len(n)))


def _merge_others(cands: list[Candidate], doc: Doc) -> list[_Ent]:
    ents: dict[tuple[str, str], _Ent] = {}
    for cand in cands:
        if cand.place is not None:
            key = (cand.type, normal_key(cand.place.name))
        else:
            key = (cand.type, _stem_key(cand.normal))
        ent = ents.get(key)
        if ent is None:
            ent = ents[key] = _Ent(cand.type, cand.normal, place=cand.place)
        ent.mentions.append(cand)
    for ent in ents.values():
        if ent.place is None:
            ent.name = _best_name(ent)
    # abbreviations: "Центр деловой информации (ЦДИ)" or letters that spell a name
    orgs = [e for e in ents.values() if e.type == "organization"]
    merged: set[int] = set()
    for abbr in orgs:
        if not (abbr.name.isupper() and 2 <= len(abbr.name) <= 8) or abbr.place is not None:
            continue
        for full in orgs:
            if full is abbr or id(full) in merged or full.name.isupper():
                continue
            defined = any(
                re.match(r"\s*[(«\"]\s*" + re.escape(abbr.name), doc.text[m.end : m.end + 20])
                for m in full.mentions
            )
            if defined or _initials(full.name) == abbr.name:
                full.mentions.extend(abbr.mentions)
                merged.add(id(abbr))
                break
    return [e for e in ents.values() if id(e) not in merged]


# --- 5. repeated names the NER model missed the second time ---------------------------
def _repeats(doc: Doc, ents: list[_Ent], taken: Taken) -> None:
    surfaces: dict[str, _Ent] = {}
    surnames: ByInitial[tuple[str, _Ent]] = ByInitial()
    for ent in ents:
        if ent.type == "person":
            # the surname, or the one name a person goes by ("Марк")
            key = ent.parts.last or ent.parts.first if ent.parts else None
            if key and " " not in key and len(key) >= 4:
                surnames.add(key, (key, ent))
            continue
        for cand in ent.mentions:
            if len(cand.tokens) == 1 and len(cand.text) >= 3:
                surfaces.setdefault(cand.text, ent)
    for token in doc.nlp.tokens:
        text = token.text
        if not text[:1].isupper() or taken.overlaps((token.start, token.stop)):
            continue
        ent = surfaces.get(text)
        if ent is None:
            hits = [e for s, e in surnames.get(text) if names.stem_match(s, text)]
            ent = hits[0] if len(hits) == 1 else None
        if ent is None:
            continue
        cand = _make(doc, [token], ent.type, "repeat")
        cand.place = ent.place
        ent.mentions.append(cand)
        taken.add((token.start, token.stop))


def _retype_people(ents: list[_Ent]) -> list[_Ent]:
    """A non-place mention spelled like a known person's surname is that person
    ("в Свиридове" tagged LOC after "Георгий Свиридов")."""
    people = [e for e in ents if e.type == "person" and e.parts and e.parts.last]
    out = []
    for ent in ents:
        if ent.type != "person" and ent.place is None and len(ent.name.split()) == 1:
            target = next(
                (p for p in people if names.stem_match(p.parts.last, ent.name)),  # type: ignore[union-attr]
                None,
            )
            if target is not None:
                for cand in ent.mentions:
                    cand.type = "person"
                target.mentions.extend(ent.mentions)
                continue
        out.append(ent)
    return out
