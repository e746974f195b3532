"""Nominal mentions ("Посол", "Глава города", "итальянской стороны") and group words
("стороны", "участники встречи", "между двумя странами") resolved to entities.

News about a meeting names each person once, with a title ("посол Италии Марко
Альберти", "акимом Алматы Ерболатом Досаевым"), and then refers back by the title
alone. So the component works in two steps over the text in order:

1. every post phrase from `lexicons.positions()` is found; one standing next to a
   name (apposition) *teaches* a role: person, post, and the place or organisation
   in its genitive complement ("посол Италии" -> where = Италия);
2. a singular post phrase with no name next to it *uses* the roles: it refers to
   the person who most recently held that post (matching the complement when
   there is one). "Глава города"/"аким"/"мэр" all mean the head of a city.

What it leaves on the doc:
- `doc.mentions` gets `Mention(kind="nominal")` for resolved post phrases (the
  span covers the post words only, never the place after it, so `Doc.entity_at`
  on "Италии" still finds Italy) and `Mention(kind="coref")` for country
  references such as "итальянской стороны";
- `doc.user["roles"]`: list of `{"person", "position", "where", "start", "end", "via"}`
  (entity ids or None; offsets of the post phrase; `via` is "apposition" for a
  title next to a name, "reference" for a bare post resolved to its holder);
- `doc.user["groups"]`: list of `{"kind", "start", "end", "text", "members"}` with
  kind `sides` ("стороны"), `participants` ("участники встречи") or `countries`
  ("между двумя странами"); `members` are entity ids in text order.
  A group is a set, so it is not a `Mention` (which points at one entity);
  `coref_groups.group_at(doc, start, end)` returns the members covering a span
  (the group words are found in coref_groups.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsfacts.extract import gazetteer, lexicons
from newsfacts.extract.coref_groups import groups
from newsfacts.pipeline import Doc, Mention, component

# Posts that mean the same office whichever word the article uses: "аким",
# "мэр", "глава города" and "глава региона" all name the local head.
POST_CLASS = {
    "аким": "local-head",
    "хоким": "local-head",
    "хяким": "local-head",
    "мэр": "local-head",
    "губернатор": "local-head",
    "глава города": "local-head",
    "глава региона": "local-head",
    "глава области": "local-head",
    "градоначальник": "local-head",
    "глава государства": "президент",
    "глава правительства": "премьер-министр",
    "премьер": "премьер-министр",
    "генсек": "генеральный секретарь",
    "генеральный секретарь": "генеральный секретарь",
}
# What kind of place a local-head phrase implies: "глава города" is a city's akim.
WHERE_KIND = {"глава города": "city", "глава региона": "region", "глава области": "region"}
GAP_WORDS = frozenset({"в", "во", "на", "при", "по", "и"})
QUOTES = frozenset({"«", "»", '"', "“", "”", "„"})


@dataclass
class _Post:
    start: int  # offset of the post phrase
    end: int
    phrase: str
    cls: str
    first: int  # token indices in the sentence
    last: int
    plural: bool
    head: int = -1  # token index of the post's head word


def post_class(phrase: str) -> str:
    phrase = phrase.lower()
    if phrase in POST_CLASS:
        return POST_CLASS[phrase]
    head = lexicons.position_head(phrase)
    return POST_CLASS.get(head, head)


def _word_keys(token: Any) -> tuple[str, str]:
    lemma = (token.lemma or token.text).lower().replace("ё", "е")
    return lemma, token.text.lower().replace("ё", "е")


@lru_cache(maxsize=1)
def _phrases_by_first_word() -> dict[str, list[list[str]]]:
    """Post phrases keyed by their first word, longest first: one dict probe per token."""
    index: dict[str, list[list[str]]] = {}
    for phrase in lexicons.positions():  # already longest first
        words = phrase.split()
        index.setdefault(words[0], []).append(words)
    return index


def _find_posts(tokens: list[Any]) -> list[_Post]:
    index = _phrases_by_first_word()
    out = []
    i = 0
    while i < len(tokens):
        lemma, lower = _word_keys(tokens[i])
        phrases = index.get(lemma, []) + (index.get(lower, []) if lower != lemma else [])
        if not phrases:
            i += 1
            continue
        phrases.sort(key=len, reverse=True)
        keys = [_word_keys(t) for t in tokens[i : i + len(phrases[0])]]
        match = None
        for words in phrases:
            if len(words) <= len(keys) and all(w in keys[k] for k, w in enumerate(words)):
                match = words
                break
        if match is None:
            i += 1
            continue
        last = i + len(match) - 1
        head_index = next(
            (k for k, w in enumerate(match) if w == lexicons.position_head(" ".join(match))), 0
        )
        head = tokens[i + head_index]
        plural = head.feats.get("Number") == "Plur"
        phrase = " ".join(match)
        out.append(
            _Post(
                tokens[i].start,
                tokens[last].stop,
                phrase,
                post_class(phrase),
                i,
                last,
                plural,
                i + head_index,
            )
        )
        i = last + 1
    return out


class _Resolver:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.types = {e.id: e for e in doc.entities}
        self.by_start = {m.start: m for m in doc.mentions if m.kind == "name"}
        self.roles: list[dict[str, Any]] = []  # taught + used, in text order
        self.nominals: list[Mention] = []

    def mention_at(self, token: Any) -> Mention | None:
        return self.by_start.get(token.start)

    def etype(self, mention: Mention | None) -> str | None:
        if mention is None:
            return None
        entity = self.types.get(mention.entity_id)
        return entity.type if entity else None

    def complement(self, tokens: list[Any], post: _Post) -> tuple[str | None, int]:
        """The place/organisation after a post and the index of the first token past
        the complement: "послом Италии в Казахстане | Марко Альберти"."""
        where = None
        k = post.last + 1
        limit = min(len(tokens), post.last + 8)
        after_preposition = False
        while k < limit:
            token = tokens[k]
            mention = self.mention_at(token)
            kind = self.etype(mention)
            if kind in ("location", "organization") and mention is not None:
                # "посол Италии в Казахстане": the genitive names the post's owner,
                # the place after a preposition only where it is held
                if where is None and not after_preposition:
                    where = mention.entity_id
                while k < len(tokens) and tokens[k].start < mention.end:
                    k += 1
                after_preposition = False
                continue
            lower = token.text.lower()
            if lower in QUOTES:  # "директор компании «Агропром» Сергей Иванов"
                k += 1
                continue
            if lower in GAP_WORDS:
                after_preposition = lower != "и"
                k += 1
                continue
            if (
                token.text[:1].islower()
                and token.pos in ("NOUN", "ADJ")
                and token.feats.get("Case") == "Gen"
                and where is None
            ):
                k += 1
                continue
            break
        return where, k

    def person_before(self, tokens: list[Any], post: _Post) -> str | None:
        """ "Марко Альберти, посол Италии": a name, a comma, then the post."""
        if post.first >= 2 and tokens[post.first - 1].text in {",", "—", "–", "("}:
            prev = tokens[post.first - 2]
            for mention in self.doc.mentions:
                if mention.end == prev.stop and self.etype(mention) == "person":
                    return mention.entity_id
        return None

    def teach(self, person: str, post: _Post, where: str | None, via: str) -> None:
        self.roles.append(
            {
                "person": person,
                "position": post.phrase,
                "class": post.cls,
                "where": where,
                "start": post.start,
                "end": post.end,
                "via": via,
            }
        )
        self.nominals.append(Mention(post.start, post.end, person, "nominal"))

    def use(self, post: _Post, where: str | None) -> dict[str, Any] | None:
        """The role a bare post refers to: the latest holder of that post."""
        options = [r for r in self.roles if r["class"] == post.cls]
        if where is not None:
            options = [r for r in options if r["where"] == where] or [
                r for r in options if r["where"] is None
            ]
        kind = WHERE_KIND.get(post.phrase)
        if kind is not None and where is None:
            options = [r for r in options if self._subtype(r["where"]) in (kind, None)]
        before = [r for r in options if r["start"] < post.start]
        if before:
            return before[-1]
        people = {r["person"] for r in options}
        return options[0] if len(people) == 1 else None

    def _subtype(self, entity_id: str | None) -> str | None:
        entity = self.types.get(entity_id or "")
        return entity.subtype if entity else None


def _country_references(doc: Doc, tokens: list[Any]) -> list[Mention]:
    """ "итальянской стороны" -> Italy, when Italy is an entity of the article."""
    countries = {e.code: e.id for e in doc.entities if e.code}
    out = []
    for i in range(len(tokens) - 1):
        adj, noun = tokens[i], tokens[i + 1]
        if adj.pos != "ADJ" or (noun.lemma or "").lower() not in lexicons.SIDES_WORDS:
            continue
        if noun.feats.get("Number") == "Plur":
            continue
        place = gazetteer.country_by_adjective(adj.lemma or adj.text)
        if place is not None and place.code in countries:
            out.append(Mention(adj.start, noun.stop, countries[place.code], "coref"))
    return out


def _agrees(tokens: list[Any], post: _Post, name: Mention) -> bool:
    """ "Указом главы государства Нурлан Ногаев освобожден": a name wholly in the
    nominative after a post in an oblique case is the clause's subject, not the post's
    apposition (a foreign name takes the post's case from the tagger)."""
    head = tokens[post.head if post.head >= 0 else post.first]
    if head.feats.get("Case") not in ("Gen", "Dat", "Ins", "Loc"):
        return True
    words = [t for t in tokens if name.start <= t.start < name.end]
    return not words or any(t.feats.get("Case") != "Nom" for t in words)


@component("coref")
def coref_layer(doc: Doc) -> None:
    if doc.nlp is None:
        return
    resolver = _Resolver(doc)
    extra: list[Mention] = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        extra += _country_references(doc, tokens)
        for post in _find_posts(tokens):
            if resolver.mention_at(tokens[post.first]) is not None:
                continue  # the post word is part of a name ("Президентский центр")
            where, after = resolver.complement(tokens, post)
            if post.plural:
                continue  # "послами Италии и Индонезии": several people, no single referent
            nxt = tokens[after] if after < len(tokens) else None
            named = resolver.mention_at(nxt) if nxt is not None else None
            if named is not None and resolver.etype(named) == "person":
                if _agrees(tokens, post, named):
                    resolver.teach(named.entity_id, post, where, "apposition")
                continue
            before = resolver.person_before(tokens, post)
            if before is not None:
                resolver.teach(before, post, where, "apposition")
                continue
            role = resolver.use(post, where)
            if role is not None:
                resolver.teach(role["person"], post, where or role["where"], "reference")
    persons = [m for m in doc.mentions if resolver.etype(m) == "person"] + resolver.nominals
    doc.mentions.extend(resolver.nominals + extra)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    doc.user["roles"] = [
        {k: r[k] for k in ("person", "position", "where", "start", "end", "via")}
        for r in resolver.roles
    ]
    doc.user["groups"] = groups(doc, persons)
