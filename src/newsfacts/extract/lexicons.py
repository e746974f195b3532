"""Word lists the extractors share, kept as data so a linguist can extend them.

`positions()` reads `data/positions.txt` (posts such as "аким", "чрезвычайный и
полномочный посол"); the small sets below are closed classes that never change with
the corpus: words that head an organisation phrase ("правительство Китая"), words
NER mistakes for names, and group words that refer to a meeting's sides.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def positions() -> tuple[str, ...]:
    """Posts as lowercase lemma phrases, longest first so matching can be greedy."""
    text = resources.files("newsfacts").joinpath("data/positions.txt").read_text("utf-8")
    items = {
        " ".join(line.split()).lower().replace("ё", "е")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    }
    return tuple(sorted(items, key=lambda p: (-len(p.split()), p)))


@lru_cache(maxsize=1)
def position_words() -> frozenset[str]:
    """Every single word that is itself a post ("посол", "аким", "замглавы")."""
    return frozenset(p for p in positions() if " " not in p)


@lru_cache(maxsize=1)
def position_heads() -> frozenset[str]:
    """The head word of every post phrase: the last word of "вице-министр", the first
    noun of "председатель правления"; used to spot a post inside a longer phrase."""
    return frozenset(position_head(p) for p in positions())


def position_head(phrase: str) -> str:
    """ "чрезвычайный и полномочный посол" -> "посол", "председатель правления" ->
    "председатель": the first word that is neither an adjective nor a conjunction."""
    words = phrase.lower().split()
    nouns = [w for w in words if w != "и" and not w.endswith(("ый", "ий", "ой", "ая"))]
    return nouns[0] if nouns else words[-1]


def is_position(lemma: str) -> bool:
    """ "аким", "вице-министр"; a former holder too: "экс-премьер", "и.о. акима"."""
    word = lemma.lower().replace("ё", "е")
    for prefix in ("экс-", "бывший-", "и.о.-"):
        if word.startswith(prefix):
            word = word[len(prefix) :]
    return word in position_words()


# Nouns that head an organisation named after the place or post it belongs to:
# "правительство Китая", "пресс-служба акима Алматы", "посольство Италии".
ORG_HEADS: frozenset[str] = frozenset(
    {
        "правительство",
        "парламент",
        "администрация",
        "мэрия",
        "акимат",
        "министерство",
        "минфин",
        "минэкономики",
        "мид",
        "ведомство",
        "посольство",
        "консульство",
        "генконсульство",
        "представительство",
        "делегация",
        "руководство",
        "сборная",
        "федерация",
        "генштаб",
        "канцелярия",
        "госдепартамент",
        "департамент",
        "пресс-служба",
        "аппарат",
        "орган",
        "маслихат",
        "сенат",
        "меджлис",
        "конгресс",
        "кабинет",
        "кабмин",
        "служба",
        "управление",
        "прокуратура",
        "полиция",
        "армия",
        "ассоциация",
        "палата",
    }
)

# Heads that make a name with a country adjective: "японское посольство",
# "российское министерство финансов" (but "эстонская полиция" is too generic).
STATE_BODY_HEADS: frozenset[str] = frozenset(
    {"министерство", "ведомство", "посольство", "консульство", "генконсульство", "мид"}
)

# Heads that take a post in the genitive rather than a place: "пресс-служба акима".
ORG_HEADS_OF_POST: frozenset[str] = frozenset(
    {"пресс-служба", "администрация", "канцелярия", "аппарат", "офис", "служба"}
)

# Heads of facility names: "Дворец Независимости", "аэропорт Домодедово" are places
# (a building, not the body that runs it).
FACILITY_HEADS: frozenset[str] = frozenset(
    {
        "дворец",
        "дом",
        "аэропорт",
        "вокзал",
        "стадион",
        "отель",
        "гостиница",
        "бизнес-центр",
        "арена",
        "здание",
        "площадь",
        "улица",
        "проспект",
        "парк",
        "мост",
        "порт",
        "космодром",
    }
)

# Organisations named after the building they sit in: "в Кремле" is a place.
SEATS: frozenset[str] = frozenset({"Кремль", "Белый дом"})

# Single words NER tags as organisations that are not one (legal forms, "СМИ").
ORG_STOP: frozenset[str] = frozenset(
    {"сми", "пао", "оао", "зао", "ооо", "ао", "тоо", "ип", "нко", "гп", "рф", "ltd", "llc", "inc"}
)

# Capitalised common words NER tags as persons: titles, kinship, honorifics.
PERSON_STOP: frozenset[str] = frozenset(
    {
        "господин",
        "госпожа",
        "супруг",
        "супруга",
        "маэстро",
        "мистер",
        "миссис",
        "сэр",
        "мадам",
        "доктор",
        "профессор",
        "чрезвычайный",
        "полномочный",
        "уважаемый",
        "святейший",
        "его",
        "ее",
    }
)

# Group words that stand for the sides of a meeting or talks.
SIDES_WORDS: frozenset[str] = frozenset({"сторона"})
PARTICIPANT_WORDS: frozenset[str] = frozenset({"участник"})
COUNTRY_WORDS: frozenset[str] = frozenset({"страна", "государство"})
