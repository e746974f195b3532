"""Lenient matching of extracted facts against the news gold (`docs/fact-labelling.md`).

The gold names things the way a labeller writes them («Ерболат Досаев», «министр
иностранных дел»); the extractor may write «Досаев», «Ерболатом Досаевым» or
«МИД». Scoring should count a fact as found when it names the same thing, so every
comparison here works on *word lemmas*, not strings:

- text is lower-cased, ё→е, quotes and punctuation dropped, split into words
  (hyphenated names such as «Касым-Жомарт» stay one word);
- two words are the same when their pymorphy normal forms intersect (every parse is
  tried, so «Скакова» meets «Скаков»); for a word the dictionary does not know (most
  surnames and foreign names) a shared stem also counts: the shorter word, less up to
  three final letters, starts the longer one («Ерболатом» / «Ерболат»);
- function words (prepositions, conjunctions) are ignored.

On these words, per argument kind:

- **name** (an entity): the words of one name are contained in the other's, and the
  part is at least half the whole («Досаев» is «Ерболат Досаев»; «Казахстан» is not
  «МИД Казахстана»), for any pair of forms — the gold name against the extracted
  entity's name and aliases. The
  gold `aliases` are compared by equal word sets only, so a generic alias such as
  «область» cannot match every region.
- **phrase** (a post, a document kind): containment either way («министр» ⊆ «министр
  иностранных дел»); «глава» and «руководитель» count as one word.
- **overlap** (free text: object, topic, subject, indicator): at least half of the
  shorter phrase's words occur in the other.

The per-type rules that combine these (which arguments are key) are in
`newsfacts.eval.news` and in the table of `docs/fact-labelling.md` §6.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from newsfacts.nlp.morph import morph

_WORD = re.compile(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*")
_STOP = frozenset(
    [
        "в",
        "во",
        "на",
        "о",
        "об",
        "обо",
        "и",
        "а",
        "но",
        "или",
        "с",
        "со",
        "по",
        "для",
        "из",
        "к",
        "ко",
        "от",
        "за",
        "до",
        "при",
        "под",
        "над",
        "между",
        "у",
        "же",
        "ли",
        "не",
        "что",
        "как",
        "это",
        "его",
        "ее",
        "их",
    ]  # noqa: SIM905 - a word list reads best as one
)
# Lemmas that name the same post: the labelling spec writes «руководитель» for
# «возглавил», news and extractors say «глава».
_SYNONYMS = {"глава": "руководитель", "начальник": "руководитель"}


def fold(text: object) -> str:
    """Lower case, ё→е, whitespace collapsed: the form strings are compared in."""
    return " ".join(str(text).lower().replace("ё", "е").split())


@lru_cache(maxsize=65536)
def _lemmas(word: str) -> frozenset[str]:
    forms = {p.normal_form.replace("ё", "е") for p in morph().parse(word)}
    forms.add(word)
    return frozenset(_SYNONYMS.get(f, f) for f in forms)


@lru_cache(maxsize=65536)
def _known(word: str) -> bool:
    return bool(morph().word_is_known(word))


def words(text: object) -> tuple[str, ...]:
    """The content words of a text, in order (lower case, ё→е, no function words)."""
    return () if text is None else _words(str(text))


@lru_cache(maxsize=65536)
def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(fold(text)) if w not in _STOP)


def same_word(a: str, b: str) -> bool:
    if a == b or _lemmas(a) & _lemmas(b):
        return True
    if _known(a) and _known(b):
        return False
    short, long_ = sorted((a, b), key=len)
    stem = short[: max(4, len(short) - 3)]
    return len(short) >= 4 and long_.startswith(stem)


def _contained(small: Sequence[str], big: Sequence[str]) -> bool:
    return bool(small) and all(any(same_word(w, v) for v in big) for w in small)


def contains_either(a: object, b: object) -> bool:
    """The words of one text are all among the other's (either way round)."""
    wa, wb = words(a), words(b)
    return _contained(wa, wb) or _contained(wb, wa)


def same_set(a: object, b: object) -> bool:
    """The same words, in any order."""
    wa, wb = words(a), words(b)
    return _contained(wa, wb) and _contained(wb, wa)


def overlap(a: object, b: object, share: float = 0.5) -> bool:
    """At least `share` of the shorter text's words occur in the other."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=len)
    hits = sum(1 for w in short if any(same_word(w, v) for v in long_))
    return hits >= share * len(short)


def phrase_match(gold: object, pred: object) -> bool:
    return gold is not None and pred is not None and contains_either(gold, pred)


class Name:
    """An entity as the scorer sees it: its normalized name and other forms."""

    def __init__(self, name: str, aliases: Iterable[str] = ()) -> None:
        self.name = name
        self.aliases = tuple(a for a in aliases if a and fold(a) != fold(name))

    def __repr__(self) -> str:
        return self.name


def _name_contained(a: str, b: str) -> bool:
    """Containment for names, where the part is at least half the whole: «Досаев» is
    «Ерболат Досаев», but «Казахстан» is not «министерство иностранных дел Казахстана»."""
    wa, wb = words(a), words(b)
    small, big = sorted((wa, wb), key=len)
    return 2 * len(small) >= len(big) and _contained(small, big)


def name_match(gold: Name | str | None, pred: Name | str | None) -> bool:
    """Gold name ⊆ or ⊇ any predicted form; gold aliases only as equal word sets."""
    if gold is None or pred is None:
        return False
    g = gold if isinstance(gold, Name) else Name(str(gold))
    p = pred if isinstance(pred, Name) else Name(str(pred))
    p_forms = (p.name, *p.aliases)
    if any(_name_contained(g.name, f) for f in p_forms):
        return True
    return any(same_set(a, f) for a in g.aliases for f in p_forms)


def any_name_match(gold: Name | str | None, preds: Iterable[Name | str | None]) -> bool:
    return any(name_match(gold, p) for p in preds)


def names_matched(golds: Sequence[Name | str], preds: Sequence[Name | str]) -> int:
    """How many gold names some predicted name matches (each prediction used once)."""
    free = list(preds)
    hits = 0
    for g in golds:
        j = next((j for j, p in enumerate(free) if name_match(g, p)), None)
        if j is not None:
            hits += 1
            free.pop(j)
    return hits


# Per-type rules: which arguments are key (docs/fact-labelling.md §6).
Args = dict[str, Any]


def _names(value: Any) -> list[Any]:
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if v is not None]


def _occupation(g: Args, p: Args, evidence: bool) -> bool:
    where_p = p.get("where") or p.get("where_text")
    if not (
        name_match(g.get("person"), p.get("person"))
        and phrase_match(g.get("position"), p.get("position") or p.get("position_text"))
    ):
        return False
    if g.get("where") and where_p:
        return name_match(g["where"], where_p)
    # With no place to compare, only the same sentence tells one post of a person from
    # another («главы государства Нурлан Беков» is not the post Беков held before).
    return evidence


def _meeting(g: Args, p: Args) -> bool:
    gold = _names(g.get("participants"))
    need = min(2, len(gold)) or 1
    return names_matched(gold, _names(p.get("participants"))) >= need


def _deal(g: Args, p: Args, evidence: bool) -> bool:
    sides = _names(p.get("parties")) + _names(p.get("signatories"))
    gold = _names(g.get("parties")) + _names(g.get("signatories"))
    if not any(any_name_match(s, sides) for s in gold):
        return False
    blob = " ".join(str(p.get(k) or "") for k in ("kind", "trigger", "object", "subject"))
    return evidence or phrase_match(g.get("kind"), blob)


def _statement(g: Args, p: Args) -> bool:
    agents = _names(g.get("agent"))
    if agents and not any(any_name_match(a, _names(p.get("agent"))) for a in agents):
        return False
    return phrase_match(g.get("action"), p.get("action")) or overlap(
        g.get("object"), p.get("object")
    )


def _proposal(g: Args, p: Args) -> bool:
    if g.get("proposer") and not name_match(g["proposer"], p.get("proposer")):
        return False
    return overlap(g.get("proposal"), p.get("proposal"))


def _discussion(g: Args, p: Args) -> bool:
    found = names_matched(_names(g.get("participants")), _names(p.get("participants")))
    return found >= 1 and overlap(g.get("topic"), p.get("topic"))


def _ownership(g: Args, p: Args) -> bool:
    prop_g, prop_p = g.get("property"), p.get("property")
    return name_match(g.get("owner"), p.get("owner")) and (
        name_match(prop_g, prop_p) or overlap(prop_g, prop_p)
    )


def _num_eq(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
    except (TypeError, ValueError):
        return False


def _unit_eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return fold(a) == fold(b) or same_set(a, b)


def _quantity(g: Args, p: Args) -> bool:
    if g.get("value") is None:
        gc, pc = g.get("change") or {}, p.get("change") or {}
        same = (
            p.get("value") is None
            and _num_eq(gc.get("value"), pc.get("value"))
            and _unit_eq(gc.get("unit"), pc.get("unit"))
        )
    else:
        same = _num_eq(g["value"], p.get("value")) and _unit_eq(g.get("unit"), p.get("unit"))
    return same and overlap(g.get("indicator"), p.get("indicator"))


MATCHERS: dict[str, Callable[[Args, Args], bool]] = {
    "meeting": _meeting,
    "intent": _statement,
    "plan": _statement,
    "proposal": _proposal,
    "launch": lambda g, p: overlap(g.get("object"), p.get("object")),
    "discussion": _discussion,
    "ownership": _ownership,
    "quantity": _quantity,
}


def facts_match(ftype: str, g: Args, p: Args, evidence: bool = False) -> bool:
    """Whether an extracted fact's args (names resolved) match a gold fact's args."""
    if ftype == "deal":
        return _deal(g, p, evidence)
    if ftype == "occupation":
        return _occupation(g, p, evidence)
    return MATCHERS[ftype](g, p)
