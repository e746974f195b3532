"""Appointments whose post is not next to the name: successions and elided posts.

News about appointments often names the post once and then refers back to it:
- «X сменил Y на посту председателя» — X starts the post, Y ends it;
- «Его сменил X», «На эту должность назначен X», «Вместо него исполняющим
  обязанности назначен X» — the post is the one the previous sentences named;
- «Место во главе компании Z занимает X», «во главе Z встал X» — X heads Z.

All are found in the tree: a succession verb (сменить, заменить) with its subject and
object, an appointment verb with «вместо ...» or a «на эту должность» complement,
or «во главе» + genitive under a verb of standing/occupying. The post referred back
to is the latest occupation fact of the current or the two preceding sentences.
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.tokens import Sent, lemma, sentences
from newsfacts.extract.lexicons import position_head
from newsfacts.extract.meeting_hosts import person_named_before
from newsfacts.extract.occupation_phase import END, HOLD, START, past_marked
from newsfacts.model import Entity, Fact
from newsfacts.pipeline import Doc

SUCCEED = frozenset({"сменить", "заменить", "сменять", "заменять"})
APPOINT = frozenset({"назначить", "назначать", "избрать", "утвердить", "стать", "занять"})
POST_NOUNS = frozenset({"должность", "пост", "место", "кресло"})
POINTERS = frozenset({"этот", "данный", "его", "ее", "её", "их", "тот", "освободившийся"})
HEAD_VERBS = frozenset(
    {"стоять", "встать", "занимать", "занять", "оказаться", "находиться", "остаться", "быть"}
)
SUCCESSOR_NOUNS = frozenset({"преемник", "преемница", "сменщик"})
LOOKBACK = 3  # sentences: the current one and the two before it


def _person(sent: Sent, tok: Any | None) -> Entity | None:
    if tok is None:
        return None
    for cand in [tok, *(c for c in sent.children(tok) if c.rel in ("appos", "flat:name"))]:
        ent = sent.entity_at(cand, ("person",))
        if ent is not None:
            return ent
    return None


def _child(sent: Sent, tok: Any, rels: tuple[str, ...]) -> Any | None:
    return next((c for c in sent.children(tok) if c.rel in rels), None)


def _preps(sent: Sent, tok: Any) -> set[str]:
    return {lemma(c) for c in sent.children(tok) if c.rel in ("case", "fixed")}


# acting posts that only say "the head": the post is the one just left
GENERIC_POSTS = frozenset({"глава", "руководитель", "начальник"})


def _acting_post(sent: Sent, acting: Any) -> str | None:
    """The post word under «исполняющим обязанности»: "акима" -> "аким"; None if bare."""
    duties = acting if lemma(acting) == "обязанность" else None
    duties = duties or next((c for c in sent.children(acting) if lemma(c) == "обязанность"), None)
    if duties is None:
        return None
    post = next(
        (c for c in sent.children(duties) if c.rel == "nmod" and c.pos in ("NOUN", "PROPN")),
        None,
    )
    return lemma(post) if post is not None else None


def _genitive(post: str) -> str:
    """ "аким" -> "акима", "первый заместитель министра" -> "первого заместителя министра"."""
    from newsfacts.nlp.morph import morph

    words = post.split()
    out = []
    for i, word in enumerate(words):
        parses = morph().parse(word)
        parse = parses[0] if parses else None
        form = parse.inflect({"gent"}) if parse is not None else None
        out.append(form.word if form is not None else word)
        if parse is not None and parse.tag.POS == "NOUN":
            out += words[i + 1 :]
            break
    return " ".join(out)


class Succession:
    """Looks back over the occupation facts already found in the article."""

    def __init__(self, doc: Doc, facts: list[Fact]) -> None:
        self.doc = doc
        self.facts = sorted(facts, key=lambda f: f.evidence[0][0] if f.evidence else 0)
        self.starts = [s for s, _ in doc.sentences()]

    def antecedent(self, sent: Sent, person: Entity | None = None) -> Fact | None:
        """The latest occupation fact within LOOKBACK sentences before the trigger's
        end (of `person` when given)."""
        cands = [f for f in self._recent(sent) if person is None or f.args["person"] == person.id]
        return cands[-1] if cands else None

    def _recent(self, sent: Sent) -> list[Fact]:
        """The occupation facts starting within LOOKBACK sentences before `sent`'s end,
        in text order."""
        before = [s for s in self.starts if s <= sent.start]
        window = before[-LOOKBACK] if len(before) >= LOOKBACK else 0
        return [f for f in self.facts if f.evidence and window <= f.evidence[0][0] < sent.stop]

    def make(
        self,
        sent: Sent,
        person: Entity,
        post: str,
        where: str | None,
        phase: str,
        conf: float,
        written: str | None = None,
    ) -> Fact:
        """An occupation fact; a post taken from an earlier sentence has no words
        of its own here, so it carries `post_from: antecedent` instead of
        `position_text`."""
        args: dict[str, Any] = {"person": person.id, "position": post}
        if written:
            args["position_text"] = written
        else:
            args["post_from"] = "antecedent"
        if where and where != person.id:
            args["where"] = where
        args["phase"] = phase
        return Fact(
            type="occupation",
            args=args,
            evidence=[(sent.start, sent.stop)],
            confidence=conf,
            extractor="occupation",
        )

    def in_sentence(self, sent: Sent) -> list[Fact]:
        out: list[Fact] = []
        for tok in sent.tokens:
            lem = lemma(tok)
            if tok.pos == "VERB" and lem in SUCCEED:
                out += self.succeeded(sent, tok)
            elif tok.pos == "VERB" and lem in APPOINT:
                out += self.elided(sent, tok)
            elif tok.pos == "VERB" and lem == "исполнять":
                out += self.acting_for(sent, tok)
            elif lem == "глава" and self._after_vo(sent, tok):
                out += self.at_the_head(sent, tok)
            elif lem in SUCCESSOR_NOUNS and tok.pos == "NOUN":
                out += self.successor(sent, tok)
        return out

    def succeeded(self, sent: Sent, verb: Any) -> list[Fact]:
        """ "X сменил Y на посту Z", "Его сменил X"."""
        subj = _child(sent, verb, ("nsubj",))
        head = sent.head(verb)
        if subj is None and (verb.feats or {}).get("VerbForm") == "Conv" and head is not None:
            subj = _child(sent, head, ("nsubj", "nsubj:pass"))  # "X назначен ..., сменив Y"
        new = _person(sent, subj)
        # "Он сменил на этом посту Y", "X назначен ..., сменив Y": Y leaves only the
        # post X was just given, never one Y is said to take
        indirect = subj is not None and (
            lemma(subj) in ("он", "она") or (verb.feats or {}).get("VerbForm") == "Conv"
        )
        if new is None and subj is not None and lemma(subj) in ("он", "она"):
            new = person_named_before(self.doc, subj.start)
        obj = _child(sent, verb, ("obj",))
        old = _person(sent, obj)
        on_post = self._post_named_on(sent, verb, old) if new is not None else None
        if on_post is not None and on_post.args["person"] != new.id:
            # "Он сменил на посту президента компании Y": the rules read the post as
            # Y's title (the name follows it); Y leaves it and X takes it
            on_post.args["phase"] = "end"
            post, where = on_post.args["position"], on_post.args.get("where")
            return [self.make(sent, new, post, where, "start", 0.7)]
        if new is None or obj is None:
            return []
        if indirect and old is not None and old.id != new.id:
            own = self.antecedent(sent, new)
            if own is None or own.args.get("phase") != "start":
                return []
            return [self.make(sent, old, own.args["position"], own.args.get("where"), "end", 0.6)]
        if old is None and obj.pos == "PRON":
            ante = self.antecedent(sent)
            old = self.doc.entity(ante.args["person"]) if ante is not None else None
        if old is None or old.id == new.id:
            return []
        own = self.antecedent(sent, new)
        if own is not None and own.evidence[0][0] >= sent.start:
            # "X сменил Y на посту Z": the rules gave X the post Z; Y leaves it
            return [self.make(sent, old, own.args["position"], own.args.get("where"), "end", 0.65)]
        ante = self.antecedent(sent, old)
        if ante is None:
            return []
        post, where = ante.args["position"], ante.args.get("where")
        return [
            self.make(sent, new, post, where, "start", 0.7),
            self.make(sent, old, post, where, "end", 0.65),
        ]

    def _post_named_on(self, sent: Sent, verb: Any, old: Entity | None) -> Fact | None:
        """The occupation fact the rules gave the predecessor (`old`, or whoever the
        name after the post is) for the post of «на посту …» under the verb."""
        spot = next(
            (
                c
                for c in sent.children(verb)
                if lemma(c) in POST_NOUNS and _preps(sent, c) & {"на", "в"}
            ),
            None,
        )
        if spot is None:
            return None
        lo = spot.stop
        for f in self.facts:
            text = f.args.get("position_text")
            if (old is not None and f.args["person"] != old.id) or not text or not f.evidence:
                continue
            at = self.doc.text.find(text, lo, sent.stop)
            if at != -1 and at - lo <= 2 and f.evidence[0][0] < sent.stop:
                return f
        return None

    def elided(self, sent: Sent, verb: Any) -> list[Fact]:
        """ "Вместо него исполняющим обязанности назначен X", "На эту должность назначен X"."""
        person = _person(sent, _child(sent, verb, ("nsubj", "nsubj:pass")))
        if person is None:
            return []
        kids = sent.children(verb)
        instead = any("вместо" in _preps(sent, c) for c in kids)
        pointed = any(
            lemma(c) in POST_NOUNS and any(lemma(g) in POINTERS for g in sent.children(c))
            for c in kids
        )
        acting = next(
            (
                c
                for c in kids
                if lemma(c) == "исполнять"
                or any(lemma(g) == "обязанность" for g in sent.children(c))
            ),
            None,
        )
        own_post = _acting_post(sent, acting) if acting is not None else None
        # "Исполняющим обязанности (главы региона) назначен X" after a dismissal: the
        # acting post is the one just left, when the sentence names none or the same
        bare_acting = acting is not None and (own_post is None or own_post in GENERIC_POSTS)
        if not (instead or pointed or bare_acting or own_post):
            return []
        ante = self.predecessor(sent, person)
        if ante is None:
            return []
        post = ante.args["position"]
        named = own_post is not None and own_post not in GENERIC_POSTS
        if named and not (instead or pointed) and own_post != position_head(post):
            return []  # "исполняющим обязанности министра" after an akim left
        if acting is not None:
            post = f"исполняющий обязанности {_genitive(post)}"
        return [self.make(sent, person, post, ante.args.get("where"), "start", 0.65)]

    def acting_for(self, sent: Sent, verb: Any) -> list[Fact]:
        """ "Его обязанности временно исполняет X": X acts in the post just left."""
        duties = _child(sent, verb, ("obj",))
        if duties is None or lemma(duties) != "обязанность":
            return []
        if not any(lemma(g) in POINTERS for g in sent.children(duties)):
            return []
        person = _person(sent, _child(sent, verb, ("nsubj",)))
        if person is None:
            return []
        ante = self.predecessor(sent, person)
        if ante is None or ante.args.get("phase") != "end":
            return []
        post = f"исполняющий обязанности {_genitive(ante.args['position'])}"
        return [self.make(sent, person, post, ante.args.get("where"), "start", 0.6)]

    def predecessor(self, sent: Sent, person: Entity) -> Fact | None:
        """The post another person left (or else held) within LOOKBACK sentences."""
        cands = [
            f
            for f in self._recent(sent)
            if f.args["person"] != person.id and f.args.get("phase") != "past"
        ]
        ended = [f for f in cands if f.args.get("phase") == "end"]
        return (ended or cands or [None])[-1]

    def successor(self, sent: Sent, noun: Any) -> list[Fact]:
        """ "X стал преемником спикера Y": Y leaves the post, X takes it."""
        old = None
        for c in sent.children(noun):
            if c.rel == "nmod" and (c.feats or {}).get("Case") == "Gen":
                old = _person(sent, c) or next(
                    (p for g in sent.children(c) if (p := _person(sent, g)) is not None), None
                )
            if old is not None:
                break
        if old is None:
            return []
        ante = self.antecedent(sent, old)
        if ante is None:
            return []
        post, where = ante.args["position"], ante.args.get("where")
        out = [self.make(sent, old, post, where, "end", 0.6)]
        verb = sent.head(noun)
        new = _person(sent, _child(sent, verb, ("nsubj",))) if verb is not None else None
        if new is not None and new.id != old.id:
            out.append(self.make(sent, new, post, where, "start", 0.6))
        return out

    @staticmethod
    def _after_vo(sent: Sent, tok: Any) -> bool:
        i = sent.index[tok.id]
        return i > 0 and sent.tokens[i - 1].text.lower() == "во"

    def at_the_head(self, sent: Sent, glava: Any) -> list[Fact]:
        """ "Место во главе компании Z занимает X", "во главе Z встал X".

        The parser reads «во главе» as a compound preposition of the genitive that
        follows, so the organisation is the next genitive word and the verb governs it.
        """
        i = sent.index[glava.id]
        org_tok = sent.tokens[i + 1] if i + 1 < len(sent.tokens) else None
        if org_tok is None or (org_tok.feats or {}).get("Case") != "Gen":
            return []
        where = None
        if org_tok is not None:
            where = sent.entity_at(org_tok, ("organization", "location"))
            if where is None:
                inner = [
                    c for c in sent.children(org_tok) if c.rel in ("appos", "flat:name", "nmod")
                ]
                where = next(
                    (e for c in inner if (e := sent.entity_at(c, ("organization", "location")))),
                    None,
                )
        verb = next(
            (
                a
                for t in (glava, org_tok)
                for a in sent.ancestors(t, limit=3)
                if a.pos in ("VERB", "AUX")
            ),
            None,
        )
        if where is None or verb is None or lemma(verb) not in HEAD_VERBS:
            return []
        person = _person(sent, _child(sent, verb, ("nsubj",)))
        if person is None:
            return []
        lem = lemma(verb)
        past = (verb.feats or {}).get("Tense") == "Past" or past_marked(sent, verb)
        phase = "start" if lem in START and lem not in HOLD else "past" if past else "current"
        if lem in END:
            phase = "end"
        return [self.make(sent, person, "глава", where.id, phase, 0.7, glava.text)]


def succession_facts(doc: Doc, facts: list[Fact]) -> list[Fact]:
    """Occupation facts for successions, elided posts and «во главе» in `doc`."""
    triggers = SUCCEED | APPOINT | SUCCESSOR_NOUNS | {"глава", "исполнять"}
    sents = [s for s in sentences(doc) if any(lemma(t) in triggers for t in s.tokens)]
    if not sents:
        return []
    finder = Succession(doc, facts)
    out: list[Fact] = []
    for sent in sents:
        out += finder.in_sentence(sent)
    return out
