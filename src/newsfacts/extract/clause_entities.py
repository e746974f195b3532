"""Which entities a clause speaks of: actors, subjects, sides, countries, places.

Why a module of its own: resolving a subject phrase to entity ids ("министры
Казахстана и Кыргызстана", "стороны", "итальянская сторона") draws on coref, meeting
facts and the gazetteer, a different job from reading the tree or building phrases.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from newsfacts.extract.clause_sentences import (
    PHRASE_STOP_RELS,
    Sent,
    Token,
)
from newsfacts.extract.grammars.tokens import lemma
from newsfacts.extract.grammars.tokens import time_args as time_args  # shared with relations
from newsfacts.extract.org_refs import represented_at
from newsfacts.extract.statement_triggers import triggers
from newsfacts.model import Entity
from newsfacts.pipeline import Doc

# --- entities -----------------------------------------------------------------------


def entity_of(doc: Doc, tok: Token) -> Entity | None:
    return doc.entity_at(tok.start, tok.stop)


def entity_of_head(sent: Sent, tok: Token) -> Entity | None:
    """The entity a nominal phrase stands for: the head itself ("посол" resolved by
    coref) or a name in apposition ("послом ... Марко Альберти")."""
    ent = entity_of(sent.doc, tok)
    if ent is not None:
        return ent
    found = [e for c in sent.children(tok, "appos", "flat") if (e := entity_of(sent.doc, c))]
    # a person's name beats an organization's ("послом ... Марко Альберти"); a name
    # in quotes names the organization ("концерн «Фольксваген»")
    found.sort(key=lambda e: e.type != "person")
    return found[0] if found else None


def conjuncts(sent: Sent, tok: Token) -> list[Token]:
    out = [tok]
    todo = [tok]
    while todo:
        cur = todo.pop()
        for c in sent.children(cur, "conj"):
            if c.pos in ("NOUN", "PROPN", "PRON") and c not in out:  # conj cycles happen
                out.append(c)
                todo.append(c)
    return sorted(out, key=lambda t: sent.pos[t.id])


def is_group_word(tok: Token) -> bool:
    return (
        lemma(tok) in triggers()["groups"]["lemmas"]
        and dict(tok.feats or {}).get("Number") == "Plur"
    )


def meeting_sides(doc: Doc, at: int, hint: list[str] | None = None) -> list[str]:
    """Who "стороны" are: the participants of the meeting the sentence reports.

    Prefers a meeting fact whose evidence covers `at`, then one sharing a
    participant with `hint`, then the latest meeting before `at`. A group word coref
    resolved (doc.user["groups"]: {"start", "end", "members", ...}) wins over all.
    """
    for group in doc.user.get("groups") or []:
        if isinstance(group, dict) and group.get("start", 0) <= at < group.get("end", -1):
            return list(group.get("members") or [])
    meetings = [f for f in doc.facts if f.type == "meeting" and f.args.get("participants")]
    if not meetings:
        return []
    for f in meetings:
        if any(s <= at < e for s, e in f.evidence):
            return list(f.args["participants"])
    if hint:
        for f in meetings:
            if set(hint) & set(f.args["participants"]):
                return list(f.args["participants"])
    before = [f for f in meetings if f.evidence and f.evidence[0][0] <= at]
    chosen = before[-1] if before else meetings[0]
    return list(chosen.args["participants"])


def actors(sent: Sent, tok: Token | None) -> list[str]:
    """Entity ids a subject phrase denotes: names, coordinated names, group words."""
    if tok is None:
        return []
    ids: list[str] = []
    for c in conjuncts(sent, tok):
        ent = entity_of_head(sent, c)
        plural = dict(c.feats or {}).get("Number") == "Plur"
        represented = _represented(sent, c) if plural else []
        if ent is not None:
            ids.append(ent.id)
        elif represented:  # "министры Казахстана и Кыргызстана": the countries they represent
            ids.extend(represented)
        elif is_group_word(c) or (plural and lemma(c) in triggers()["groups"]["roles"]):
            # "стороны", "министры", "главы государств": the sides of the meeting, and
            # what their posts say they stand for ("стороны намерены" of two ministers
            # is also their two countries)
            sides = meeting_sides(sent.doc, c.start)
            ids.extend(sides)
            for side in sides:
                ent = sent.doc.entity(side)
                if ent is not None and ent.type == "person":
                    place = represented_at(sent.doc, side, *sent.span)
                    ids += [place.id] if place is not None else []
        else:
            country = country_from_adjective(sent, c)
            if country is not None and lemma(c) in ("сторона", "правительство", "власть"):
                ids.append(country.id)
    return list(dict.fromkeys(ids))


def _represented(sent: Sent, noun: Token) -> list[str]:
    ids = []
    for g in sent.children(noun, "nmod"):
        if dict(g.feats or {}).get("Case") == "Gen" and sent.case_of(g) is None:
            for gc in conjuncts(sent, g):
                ent = entity_of(sent.doc, gc)
                if ent is not None:
                    ids.append(ent.id)
    return ids


def subject_of(sent: Sent, tok: Token) -> Token | None:
    """The grammatical subject, climbing from an infinitive or a conjunct verb."""
    cur: Token | None = tok
    for _ in range(4):
        if cur is None:
            return None
        subj = sent.children(cur, "nsubj")
        if subj:
            return subj[0]
        if cur.rel in ("xcomp", "conj", "csubj") or dict(cur.feats or {}).get("VerbForm") == "Inf":
            cur = sent.head(cur)
        else:
            return None
    return None


def country_from_adjective(sent: Sent, noun: Token) -> Entity | None:
    """ "итальянской стороны" → the entity of Italy, through the gazetteer when it is there."""
    for adj in sent.children(noun, "amod"):
        ent = country_by_adjective_lemma(sent.doc, lemma(adj))
        if ent is not None:
            return ent
    return None


def country_by_adjective_lemma(doc: Doc, adj: str) -> Entity | None:
    code = None
    try:
        from newsfacts.extract import gazetteer  # written in parallel; optional here

        found = gazetteer.country_by_adjective(adj)
        code = getattr(found, "code", found)  # a place record or a bare ISO code
    except (ImportError, AttributeError):
        code = None
    countries = [e for e in doc.entities if e.type == "location"]
    if code:
        for e in countries:
            if e.code == code:
                return e
    # without a code, the country whose name shares the longest stem with the
    # adjective ("итальянский" ~ "Италия", "индонезийский" ~ "Индонезия")
    best: tuple[int, Entity | None] = (0, None)
    for e in countries:
        if e.subtype not in (None, "country"):
            continue
        name = e.name.lower()
        common = len(os.path.commonprefix([adj, name]))
        if common >= 4 and common >= len(name) / 2 and common > best[0]:
            best = (common, e)
    return best[1]


def on_behalf_of(doc: Doc, person_id: str) -> str | None:
    """The country or organization a person speaks for, from coref's roles
    ("посол Италии" → Италия) or from occupation facts."""
    for role in doc.user.get("roles") or []:
        if isinstance(role, dict) and role.get("person") == person_id and role.get("where"):
            where = role["where"]
            if doc.entity(where) is not None:
                return where
    for f in doc.facts:
        if f.type == "occupation" and f.args.get("person") == person_id:
            where = f.args.get("where")
            if isinstance(where, str) and doc.entity(where) is not None:
                return where
    return None


def place_in(sent: Sent, toks: Iterable[Token]) -> tuple[str, Token] | None:
    """A location in a "в/на" phrase among `toks`: where the action happens."""
    for tok in toks:
        if tok.pos not in ("PROPN", "NOUN") or sent.case_of(tok) not in ("в", "на"):
            continue
        ent = entity_of(sent.doc, tok)
        if ent is None or ent.type != "location":
            continue
        case = dict(tok.feats or {}).get("Case")
        indeclinable = tok.text.lower() == ent.name.lower()
        if case == "Loc" or indeclinable:
            return ent.id, tok
    return None


def pp_tokens(sent: Sent, noun: Token) -> list[Token]:
    """The whole prepositional phrase of `noun`, preposition included."""
    return sent.subtree(noun, stop_rels=PHRASE_STOP_RELS | {"conj", "cc"})
