"""Meeting facts: who met whom ("Аким Алматы Ерболат Досаев встретился с послом").

Two kinds of trigger carry a meeting: a verb ("встретился", "побеседовал") whose
subject and "с ..." complement are the sides, and a noun ("встреча", "переговоры")
whose sides are its "с ..." / "между ..." / genitive dependents plus the subject of
the clause it sits in ("Альберти сказал во время встречи с акимом"). A side that is a
post rather than a name ("с послами Италии и Индонезии") is resolved to the person
an occupation fact names for that post and country; when the post is plural each
country is its own meeting, as the text describes separate audiences.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from newsfacts.extract.grammars.lexicon import MEETING_NOUNS, MEETING_VERBS, POSITION_HEADS
from newsfacts.extract.grammars.tokens import Sent, lemma, sentences, time_args
from newsfacts.extract.meeting_hosts import best_subject, host_of_word, led_by, persons_before
from newsfacts.extract.merge import add_once
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc, component

# verbs too general to signal a meeting on their own ("провести переговоры" is
# caught by its noun)
VERB_TRIGGERS = (MEETING_VERBS - {"провести"}) | {"принимать"}
HOST_VERBS = frozenset({"принять", "принимать"})
GUEST_NOUNS = frozenset({"коллега", "гость", "делегация", "визитер"})
GROUP_NOUNS = frozenset({"делегация", "представитель", "руководство", "сторона"})
SKIP_RELS = ("acl", "acl:relcl", "advcl", "parataxis", "punct", "ccomp", "csubj")
# a session is a meeting of those taking part ("с участием министра"); its genitive
# names the body that sits ("заседание правительства"), not a side
SESSION_NOUNS = frozenset({"заседание", "совещание"})
# "выслушал отчёт акима": hearing someone's report is meeting them
HEAR_VERBS = frozenset({"выслушать", "заслушать", "выслушивать", "заслушивать"})
REPORT_NOUNS = frozenset({"отчет", "доклад", "информация"})
# "Токаев и Мирзиёев обсудили ...": two named people who discussed something met
TALK_VERBS = frozenset({"обсудить", "обсуждать", "договориться", "условиться", "обменяться"})


def subtree(sent: Sent, tok: Any, limit: int = 30) -> list[Any]:
    """The token and its dependents, without clauses hanging off it."""
    out = [tok]
    queue = [tok]
    seen = {tok.id}
    while queue and len(out) < limit:
        cur = queue.pop(0)
        for child in sent.children(cur):
            if child.id in seen or child.rel in SKIP_RELS:
                continue
            # a nested "с ..." belongs to its own side, not to this one
            if cur is not tok and any(lemma(c) == "с" for c in sent.children(child)):
                continue
            seen.add(child.id)
            out.append(child)
            queue.append(child)
    return out


def _ordered_entities(sent: Sent, toks: list[Any], types: tuple[str, ...]) -> list[Entity]:
    out: list[Entity] = []
    for tok in sorted(toks, key=lambda t: t.start):
        ent = sent.entity_at(tok, types)
        if ent is not None and ent not in out:
            out.append(ent)
    return out


def resolve_side(
    doc: Doc, sent: Sent, tok: Any, occupations: list[Fact]
) -> tuple[list[Entity], bool]:
    """Entities standing for one side; the flag says each is a separate meeting."""
    toks = subtree(sent, tok)
    persons = _ordered_entities(sent, toks, ("person",))
    if persons:
        return persons, False
    own = sent.entity_at(tok, ("organization", "location"))
    if own is not None:  # "переговоры с Россией"
        return [own], False
    head_lemma = lemma(tok)
    if head_lemma in GROUP_NOUNS:  # "с делегацией Всемирного банка"
        # "с представителями компании Yilport Holding": the name hangs off "компании"
        owners = _ordered_entities(sent, subtree(sent, tok, 12), ("organization", "location"))
        return led_by(sent, tok) + owners, False
    if head_lemma not in POSITION_HEADS:
        return [], False
    # "с послами Италии и Индонезии": the countries the post belongs to
    of_post = [
        c
        for c in sent.children(tok)
        if c.rel == "nmod" and not any(g.rel == "case" for g in sent.children(c))
    ]
    # "министры иностранных дел Казахстана и Узбекистана": the countries hang off the
    # portfolio
    of_post += [
        c
        for o in of_post
        if sent.entity_at(o, ("organization", "location")) is None
        for c in sent.children(o)
        if c.rel == "nmod"
    ]
    of_post += [c for o in of_post for c in sent.children(o) if c.rel == "conj"]
    places = _ordered_entities(sent, of_post, ("organization", "location"))
    if not places:
        return [], False
    plural = (tok.feats or {}).get("Number") == "Plur"
    resolved = []
    for place in places:
        holder = _holder_of(doc, occupations, head_lemma, place)
        resolved.append(holder or place)
    return resolved, plural and len(resolved) > 1


def _holder_of(doc: Doc, occupations: list[Fact], post: str, place: Entity) -> Entity | None:
    """The one person an occupation fact names for this post at this place."""
    holders = {
        f.args["person"]
        for f in occupations
        if f.args.get("where") == place.id and str(f.args.get("position", "")).endswith(post)
    }
    if len(holders) != 1:
        return None
    return doc.entity(holders.pop())


def _with_case(sent: Sent, tok: Any, preps: tuple[str, ...]) -> list[Any]:
    return [
        c
        for c in sent.children(tok)
        if c.rel in ("obl", "nmod", "obj", "iobj")
        and any(lemma(g) in preps and g.rel == "case" for g in sent.children(c))
    ]


def _subject(sent: Sent, verb: Any) -> Any | None:
    for cur in [verb, *sent.ancestors(verb, limit=3)]:
        subj = best_subject(sent, cur)
        if subj is not None and lemma(subj) == "который" and cur.rel.startswith("acl"):
            # "Миллер и Озерец, которые сегодня встречаются": the relative's antecedent
            return sent.head(cur)
        if subj is not None:
            return subj
        if cur.rel != "conj":
            break
    return None


def _governing_verb(sent: Sent, tok: Any) -> Any | None:
    return next((t for t in sent.ancestors(tok, limit=4) if t.pos in ("VERB", "AUX")), None)


def place_and_time(doc: Doc, sent: Sent, trigger: Any) -> dict[str, Any]:
    args: dict[str, Any] = {}
    scope = [trigger]
    verb = trigger if trigger.pos == "VERB" else _governing_verb(sent, trigger)
    if verb is not None:
        scope.append(verb)
    for head in scope:
        for c in _with_case(sent, head, ("в", "на")):
            ent = sent.entity_at(c, ("location",))
            if ent is not None:
                args["place"] = ent.id
                break
        if "place" in args:
            break
    for when in sorted(
        doc.dates_in(sent.start, sent.stop), key=lambda d: abs(d.start - trigger.start)
    ):
        if _governed_by(sent, when.start, scope):
            args.update(time_args(when))
            break
    return args


def _governed_by(sent: Sent, offset: int, heads: list[Any]) -> bool:
    """Whether the word at offset depends on one of heads outside any participle clause.

    "встречи с послом, вступившим в должность в феврале": February dates the
    ambassador's appointment, not the meeting.
    """
    tok = next((t for t in sent.tokens if t.start <= offset < t.stop), None)
    if tok is None:
        return False
    for cur in [tok, *sent.ancestors(tok)]:
        if any(cur is h for h in heads):
            return True
        if cur.rel.startswith(("acl", "advcl", "ccomp", "parataxis")):
            return False
    return False


def _host_sides(
    doc: Doc, sent: Sent, verb: Any, trigger: Any, occupations: list[Fact]
) -> list[tuple]:
    """The subject's side and its conjuncts ("Овезов и Рахимов провели встречу"); a
    post word or pronoun resolved to its holder, or with no subject the person named
    just before the trigger (meeting_hosts.py)."""
    subj = _subject(sent, verb)
    if subj is trigger:
        return []
    # the fallbacks only for "X встретился", "X провёл встречу": not for a meeting
    # named inside a phrase ("в ходе встречи с ...", "на встречу с ... прибудут")
    direct = trigger is verb or (trigger.rel in ("obj", "nsubj") and sent.head(trigger) is verb)
    if subj is None:
        found = persons_before(sent, verb) if direct else []
        return [([e], False) for e in found]
    sides = [resolve_side(doc, sent, subj, occupations)]
    if not sides[0][0] and direct:
        ent = host_of_word(doc, sent, subj, occupations)
        if ent is not None:
            sides = [([ent], False)]
    for c in sent.children(subj):
        if c.rel == "conj" and sent.entity_at(c, ("person",)) is not None:
            sides.append(resolve_side(doc, sent, c, occupations))
    return sides


def _sides(doc: Doc, sent: Sent, trigger: Any, occupations: list[Fact]) -> list[tuple]:
    """(entities, split) for each side the trigger names."""
    sides = []
    if trigger.pos in ("VERB", "AUX") and lemma(trigger) in HEAR_VERBS | TALK_VERBS:
        return _hear_or_talk_sides(doc, sent, trigger, occupations)
    if trigger.pos in ("VERB", "AUX"):
        sides.extend(_host_sides(doc, sent, trigger, trigger, occupations))
        for c in _with_case(sent, trigger, ("с", "со")):
            sides.append(resolve_side(doc, sent, c, occupations))
        if lemma(trigger) in HOST_VERBS:
            # "Обама принимает в Белом доме Николя Саркози": a guest, not a law
            # the parser sometimes hangs the guest off the place ("в Белом доме своего
            # коллегу"): any accusative guest word under the verb counts
            below = [
                t
                for t in sent.tokens
                if (t.feats or {}).get("Case") == "Acc"
                and (lemma(t) in GUEST_NOUNS or lemma(t) in POSITION_HEADS)
                and any(a is trigger for a in sent.ancestors(t, limit=3))
            ]
            if any(lemma(c) in ("участие", "решение", "меры") for c in sent.children(trigger)):
                return []  # "приняли участие", "принял решение": idioms, not a reception
            kids = sent.children(trigger)
            for c in kids + [t for t in below if all(t is not k for k in kids)]:
                guest = lemma(c) in POSITION_HEADS or lemma(c) in GUEST_NOUNS
                direct = c.rel == "obj" or guest
                if direct and (guest or sent.entity_at(c, ("person",))):
                    ents, split = resolve_side(doc, sent, c, occupations)
                    persons = [e for e in ents if e.type == "person"]
                    if persons:
                        sides.append((persons, split))
        return sides
    verb = _governing_verb(sent, trigger)
    if verb is not None:
        sides.extend(_host_sides(doc, sent, verb, trigger, occupations))
    for c in _with_case(sent, trigger, ("с", "со")):
        sides.append(resolve_side(doc, sent, c, occupations))
    for c in _with_case(sent, trigger, ("между",)):
        ents, _ = resolve_side(doc, sent, c, occupations)
        sides.extend(([e], False) for e in ents)
    for c in sent.children(trigger):
        if lemma(c) == "участие" and any(lemma(g) == "с" for g in sent.children(c)):
            for g in sent.children(c):  # "с участием министра финансов X"
                if g.rel == "nmod":
                    sides.append(resolve_side(doc, sent, g, occupations))
            continue
        if lemma(trigger) in SESSION_NOUNS:
            continue
        genitive = c.rel == "nmod" and (c.feats or {}).get("Case") == "Gen"
        if genitive and not any(g.rel == "case" for g in sent.children(c)):
            sides.append(resolve_side(doc, sent, c, occupations))
    return sides


def _hear_or_talk_sides(doc: Doc, sent: Sent, verb: Any, occupations: list[Fact]) -> list[tuple]:
    """ "X выслушал отчёт Y" (X and Y), "X и Y обсудили ..." / "X обсудил с Y ..."
    (people only: "Казахстан и Китай обсудили" is no meeting of persons)."""
    sides: list[tuple] = []
    subj = _subject(sent, verb)
    if lemma(verb) in HEAR_VERBS:
        report = next((c for c in sent.children(verb) if lemma(c) in REPORT_NOUNS), None)
        if subj is None or report is None:
            return []
        sides.append(resolve_side(doc, sent, subj, occupations))
        for c in sent.children(report):
            if c.rel == "nmod" and not any(g.rel == "case" for g in sent.children(c)):
                sides.append(resolve_side(doc, sent, c, occupations))
        return sides
    if subj is not None:
        sides.append(resolve_side(doc, sent, subj, occupations))
        for c in sent.children(subj):
            if c.rel == "conj":
                sides.append(resolve_side(doc, sent, c, occupations))
    for c in _with_case(sent, verb, ("с", "со")):
        sides.append(resolve_side(doc, sent, c, occupations))
    people = [(ents, split) for ents, split in sides if ents and ents[0].type == "person"]
    return people if len(people) == len(sides) else []


def _host(doc: Doc, seen: Counter[str], parts: list[Entity]) -> Entity | None:
    ids = {p.id for p in parts}
    for entity_id, _n in seen.most_common():
        if entity_id not in ids:
            return doc.entity(entity_id)
    return None


def extract_meetings(doc: Doc) -> list[Fact]:
    occupations = [f for f in doc.facts if f.type == "occupation"]
    facts: dict[frozenset[str], Fact] = {}
    seen: Counter[str] = Counter()  # how often each person took part so far
    for sent in sentences(doc):
        for tok in sent.tokens:
            lem = lemma(tok)
            is_verb = lem in VERB_TRIGGERS | HEAR_VERBS | TALK_VERBS and tok.pos == "VERB"
            is_noun = lem in MEETING_NOUNS | SESSION_NOUNS and tok.pos == "NOUN"
            if not (is_verb or is_noun):
                continue
            sides = [s for s in _sides(doc, sent, tok, occupations) if s[0]]
            if lem in HOST_VERBS and len(sides) < 2:
                continue  # "приняли участие": no guest, no meeting
            groups: list[list[Entity]] = []
            fixed: list[Entity] = []
            for ents, split in sides:
                if split:
                    groups.extend([e] for e in ents)
                else:
                    fixed.extend(e for e in ents if e not in fixed)
            if not fixed and len(sides) == 1 and len(groups) >= 2:
                # "Министры иностранных дел Казахстана и Узбекистана провели переговоры":
                # a plural subject meets itself
                groups = [[g[0] for g in groups]]
            meetings = [fixed + g for g in groups] if groups else [fixed]
            conf = 0.85 if is_verb else 0.7
            for parts in meetings:
                parts = list({p.id: p for p in parts}.values())
                host = _host(doc, seen, parts)
                if len(parts) == 1 and is_noun and host is not None and parts[0].type == "person":
                    # "Во время встречи с послом Индонезии ... обсудили": the host is
                    # the person of the article's earlier meetings (only for a person:
                    # "Турция ... по итогам встреч" names no guest)
                    parts = [host, *parts]
                    conf = 0.55
                if len(parts) < 2:
                    continue
                seen.update(p.id for p in parts if p.type == "person")
                key = frozenset(p.id for p in parts)
                args = {"participants": [p.id for p in parts]}
                args.update(place_and_time(doc, sent, tok))
                fact = Fact(
                    type="meeting",
                    args=args,
                    evidence=[(sent.start, sent.stop)],
                    confidence=conf,
                    extractor="meeting",
                )
                add_once(facts, key, fact, fill=args)
    return list(facts.values())


@component("meeting")
def meeting_layer(doc: Doc) -> None:
    for fact in extract_meetings(doc):
        doc.add_fact(fact)
