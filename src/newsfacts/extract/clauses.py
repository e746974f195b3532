"""Shared helpers for the statement extractors (intent, proposal, plan, launch, discussion).

The five extractors read the same things off natasha's dependency trees: who is the
subject of a trigger, which noun phrase is its object, which location and time hang
off it. Keeping that here means each extractor is a short list of decisions about
its own trigger words, and a fix to phrase building helps all five at once.

Trees from natasha's news parser are often wrong around long genitive chains and
glued constructions, so every helper degrades to a linear reading of the sentence
rather than giving up.
"""

from __future__ import annotations

import logging
import os
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from pymorphy2.analyzer import Parse as PymorphyParse

from newsfacts.extract.grammars.tokens import lemma
from newsfacts.extract.grammars.tokens import time_args as time_args  # shared with relations
from newsfacts.extract.org_refs import represented_at
from newsfacts.model import Entity, Fact, Span
from newsfacts.pipeline import Doc, TimeExpr

Token = Any  # natasha.doc.DocToken
log = logging.getLogger(__name__)

UD_TO_OC = {
    "Nom": "nomn",
    "Gen": "gent",
    "Dat": "datv",
    "Acc": "accs",
    "Ins": "ablt",
    "Loc": "loct",
}
UD_NUMBER = {"Sing": "sing", "Plur": "plur"}
UD_GENDER = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
DASHES = {"-", "–", "—", "‒", "―"}
# dependents that end a noun phrase: they start another clause or a new argument
PHRASE_STOP_RELS = {
    "punct",
    "acl:relcl",
    "parataxis",
    "advcl",
    "nsubj",
    "nsubj:pass",
    "discourse",
    "mark",
    "ccomp",
    "csubj",
    "vocative",
}
AGREEING_RELS = {"amod", "det"}
CLOSERS = {"»": "«", ")": "(", "”": "“"}
# punctuation that lives inside a phrase: quotes around names, dashes in routes
INNER_PUNCT = {"«", "»", '"', "“", "”", "„", "(", ")"} | DASHES
DEVERBAL_SUFFIXES = ("ние", "тие", "пуск", "ввод", "ция", "старт")
DEVERBAL_WORDS = frozenset(
    {"строительство", "производство", "поставка", "закупка", "покупка", "продажа", "перевозка"}
)


# --- triggers ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def triggers() -> dict[str, Any]:
    """Trigger lexicons live in data so coverage grows without code changes."""
    raw = resources.files("newsfacts").joinpath("data/statement_triggers.toml").read_bytes()
    return tomllib.loads(raw.decode("utf-8"))


# --- sentence view ------------------------------------------------------------------


@dataclass
class Sent:
    """One natasha sentence with parent/child lookups the extractors need."""

    doc: Doc
    tokens: list[Token]
    by_id: dict[str, Token] = field(default_factory=dict)
    kids: dict[str, list[Token]] = field(default_factory=dict)
    pos: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for i, tok in enumerate(self.tokens):
            self.by_id[tok.id] = tok
            self.pos[tok.id] = i
        for tok in self.tokens:
            if tok.head_id in self.by_id:
                self.kids.setdefault(tok.head_id, []).append(tok)

    @property
    def span(self) -> Span:
        return (self.tokens[0].start, self.tokens[-1].stop)

    def head(self, tok: Token) -> Token | None:
        return self.by_id.get(tok.head_id)

    def children(self, tok: Token, *rels: str) -> list[Token]:
        """Children with one of `rels` ("nsubj" also matches "nsubj:pass"); all if none."""
        out = self.kids.get(tok.id, [])
        if not rels:
            return list(out)
        return [c for c in out if c.rel in rels or c.rel.split(":")[0] in rels]

    def case_of(self, tok: Token) -> str | None:
        """The preposition lemma governing a noun ("в", "с", "между"), if any."""
        for c in self.children(tok, "case"):
            return lemma(c)
        return None

    def subtree(
        self, tok: Token, skip: Iterable[Token] = (), stop_rels: set[str] | None = None
    ) -> list[Token]:
        stop = PHRASE_STOP_RELS if stop_rels is None else stop_rels
        skipped = {t.id for t in skip}
        out = [tok]
        todo = [tok]
        seen = {tok.id}  # the parser can emit head cycles: never walk one twice
        while todo:
            cur = todo.pop()
            for c in self.kids.get(cur.id, []):
                # commas between coordinated words stay: "в энергетике, сельском хозяйстве"
                inner = c.text in INNER_PUNCT or (c.text == "," and cur.rel == "conj")
                if c.id in skipped or c.id in seen or (c.rel in stop and not inner):
                    continue
                seen.add(c.id)
                out.append(c)
                todo.append(c)
        return sorted(out, key=lambda t: self.pos[t.id])

    def contiguous(self, anchor: Token, toks: list[Token]) -> list[Token]:
        """The run of `toks` around `anchor` without gaps: a misattached word far
        away must not glue two unrelated stretches of text into one phrase."""
        ids = {t.id for t in toks}
        i = j = self.pos[anchor.id]
        while i > 0 and self.tokens[i - 1].id in ids:
            i -= 1
        while j + 1 < len(self.tokens) and self.tokens[j + 1].id in ids:
            j += 1
        run = self.tokens[i : j + 1]
        while run and run[0].pos in ("PUNCT", "ADP", "CCONJ") and run[0] is not anchor:
            run = run[1:]
        while run and run[-1].pos in ("PUNCT", "ADP", "CCONJ") and run[-1] is not anchor:
            if run[-1].text in CLOSERS and _opened(run[:-1], run[-1].text):
                break  # keep the closing quote of «Фольксваген» or (Volkswagen)
            run = run[:-1]
        return run

    def clause_run(self, first: Token, toks: list[Token]) -> list[Token]:
        """Extend a phrase starting at `first` rightwards to the end of its clause.

        Used for proposals and plans written as an infinitive clause, where the
        parser often hangs the last object on the main verb. The run stops at a
        comma that opens something the phrase does not govern (a relative clause,
        a participle), at "и"/"а" before a finite verb, and at the sentence end.
        """
        ids = {t.id for t in toks}
        i = self.pos[first.id]
        last = max((self.pos[t.id] for t in toks), default=i)
        j = i + 1
        while j < len(self.tokens):
            tok = self.tokens[j]
            nxt = self.tokens[j + 1] if j + 1 < len(self.tokens) else None
            if (
                tok.pos == "PUNCT"
                and tok.text not in INNER_PUNCT
                and (tok.text != "," or nxt is None or nxt.head_id not in ids)
            ):
                break
            if tok.pos == "CCONJ" and nxt is not None:
                nf = dict(nxt.feats or {})
                if nxt.pos in ("VERB", "AUX") and nf.get("VerbForm") in ("Fin", None):
                    break
            if (
                tok.pos == "VERB"
                and dict(tok.feats or {}).get("VerbForm") == "Fin"
                and tok.id not in ids
            ):
                break
            ids.add(tok.id)
            last = j
            j += 1
        run = self.tokens[i : last + 1]
        while (
            run and run[-1].pos in ("PUNCT", "ADP", "CCONJ") and run[-1].text not in ("»", ")", '"')
        ):
            run = run[:-1]
        return run

    def negated(self, tok: Token) -> bool:
        """A negated trigger ("не запущен", "не был запущен", "не готова") is no fact;
        nor is a question or a condition ("согласятся ли", "был бы готов")."""
        kids = self.children(tok)
        if any(lemma(c) in ("не", "ли", "бы") for c in kids):
            return True
        return any(
            lemma(g) == "не" for c in kids if c.rel.startswith("aux") for g in self.children(c)
        )

    def after(self, tok: Token, n: int) -> list[Token]:
        i = self.pos[tok.id]
        return self.tokens[i + 1 : i + 1 + n]


def _opened(run: list[Token], closer: str) -> bool:
    opener = CLOSERS[closer]
    texts = [t.text for t in run]
    return texts.count(opener) > texts.count(closer)


def nearest_after(sent: Sent, verb: Token, cands: list[Token]) -> Token | None:
    """Of several candidates (a parser giving a verb two objects), the nearest one
    after the verb, else the nearest before: Russian news puts objects after verbs."""
    if not cands:
        return None
    at = sent.pos[verb.id]
    after = [c for c in cands if sent.pos[c.id] > at]
    if after:
        return min(after, key=lambda c: sent.pos[c.id])
    return max(cands, key=lambda c: sent.pos[c.id])


def sentences(doc: Doc) -> list[Sent]:
    """Sentence views, built once per doc and shared by the five extractors."""
    cached = doc.user.get("clauses.sents")
    if cached is None:
        cached = []
        for s in doc.nlp.sents if doc.nlp else []:
            lines = _lines(doc.text, list(s.tokens))
            if len(lines) == 1:
                cached.append(Sent(doc, lines[0]))
            else:
                for line in lines:
                    try:
                        cached.extend(_reparse(doc, line[0].start, line[-1].stop))
                    except ValueError:  # slovnet refuses some token-less lines
                        cached.append(Sent(doc, line))
        doc.user["clauses.sents"] = cached
    return cached


def _lines(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Split a sentence at line breaks: a title without a full stop is glued to the
    lead by the segmenter, and a fact must not take its agent from one and its
    object from the other."""
    out: list[list[Token]] = []
    for tok in tokens:
        if out and "\n" not in text[out[-1][-1].stop : tok.start]:
            out[-1].append(tok)
        else:
            out.append([tok])
    return out


@dataclass
class LineToken:
    """A token of a line parsed on its own, with offsets into the article text."""

    id: str
    head_id: str
    rel: str
    pos: str
    feats: dict[str, str]
    lemma: str
    text: str
    start: int
    stop: int


def _reparse(doc: Doc, start: int, stop: int) -> list[Sent]:
    """Parse one line of a glued sentence again: the tree natasha built across the
    break is wrong on both sides of it, and lines are short, so this is cheap."""
    from newsfacts.nlp.natasha_pipe import analyse

    parsed = analyse(doc.text[start:stop], ner=False)
    out = []
    for s in parsed.sents:
        toks = [
            LineToken(
                id=f"L{start}:{t.id}",
                head_id=f"L{start}:{t.head_id}",
                rel=t.rel or "",
                pos=t.pos or "X",
                feats=dict(t.feats or {}),
                lemma=t.lemma or t.text.lower(),
                text=t.text,
                start=t.start + start,
                stop=t.stop + start,
            )
            for t in s.tokens
        ]
        if toks:
            out.append(Sent(doc, toks))
    return out


def token_text(doc: Doc, toks: list[Token]) -> str:
    """Surface text of a token run, with line breaks collapsed."""
    if not toks:
        return ""
    return " ".join(doc.text[toks[0].start : toks[-1].stop].split())


# --- normal forms -------------------------------------------------------------------


def _morph() -> Any:
    from newsfacts.nlp.natasha_pipe import models

    return models().morph_vocab


def inflect(
    tok: Token, case: str = "nomn", number: str | None = None, gender: str | None = None
) -> str:
    """The token's word form in `case`, keeping number (and gender for adjectives)."""
    feats = dict(tok.feats or {})
    want_case = UD_TO_OC.get(feats.get("Case", ""))
    if want_case == case:
        return tok.text
    parses = _morph().parse(tok.text)
    noun_like = tok.pos in ("NOUN", "PROPN")

    def fits(p: Any) -> bool:
        ok_pos = (
            (p.tag.POS in ("NOUN",))
            if noun_like
            else (p.tag.POS in ("ADJF", "PRTF", "NUMR", "NPRO"))
        )
        return ok_pos and (want_case is None or p.tag.case == want_case)

    parse = next((p for p in parses if fits(p)), None)
    if parse is None:
        return tok.text
    grams = {case}
    num = number or UD_NUMBER.get(feats.get("Number", ""))
    if num:
        grams.add(num)
    if not noun_like and num == "sing" and gender:
        grams.add(gender)
    # natasha's MorphForm.inflect wants UD grams; pymorphy2's own takes OpenCorpora ones
    form = PymorphyParse.inflect(parse, grams) or PymorphyParse.inflect(parse, {case})
    if form is None:
        return tok.text
    word = form.word
    if tok.text[:1].isupper():
        word = word[:1].upper() + word[1:]
    return word


def _agreeing(sent: Sent, head: Token) -> set[str]:
    """Ids of adjectives agreeing with `head`, following coordinated adjectives too."""
    out: set[str] = set()
    todo = [c for c in sent.children(head) if c.rel in AGREEING_RELS]
    while todo:
        tok = todo.pop()
        if tok.id in out or tok.pos not in ("ADJ", "DET", "VERB", "NUM"):
            continue  # `in out`: the parser can emit conj cycles
        if "Case" not in (tok.feats or {}):
            continue
        out.add(tok.id)
        todo.extend(c for c in sent.children(tok, "conj"))
    return out


@dataclass
class Phrase:
    text: str  # normalized where feasible
    surface: str
    start: int
    end: int
    tokens: list[Token]


def phrase(
    sent: Sent,
    head: Token,
    *,
    skip: Iterable[Token] = (),
    keep_conj: bool = False,
    normalize: bool = True,
) -> Phrase:
    """The noun (or verb) phrase headed by `head`, in the nominative when it is a noun.

    Only the head and the adjectives agreeing with it change form ("прямого
    авиасообщения" → "прямое авиасообщение"); genitive and prepositional
    dependents stay as written, which is what a person writing a card would do.
    """
    # only the head's own conjuncts are separate phrases; "в регионе Центральной Азии
    # и Кавказа" inside the phrase keeps its "и Кавказа"
    own_conj = [] if keep_conj else sent.children(head, "conj", "cc")
    skipped = [t for s in skip for t in sent.subtree(s, stop_rels=set())]
    skipped_ids = {t.id for t in skipped}
    full = sent.subtree(head, skip=own_conj)
    # skipped parts (a place already reported as its own argument) may sit in the
    # middle of the phrase: bridge over them, then leave them out of the text
    toks = [t for t in sent.contiguous(head, full) if t.id not in skipped_ids]
    # adjectives right before the head that agree with it belong to it even when
    # the parser hung them elsewhere ("Первую очередь предприятия")
    hf = dict(head.feats or {})
    stray: set[str] = set()
    while toks:
        i = sent.pos[toks[0].id] - 1
        prev = sent.tokens[i] if i >= 0 else None
        pf = dict(prev.feats or {}) if prev is not None else {}
        if (
            prev is None
            or prev.pos != "ADJ"
            or prev.id in skipped_ids
            or pf.get("Case") != hf.get("Case")
            or pf.get("Number", hf.get("Number")) != hf.get("Number")
        ):
            break
        toks.insert(0, prev)
        stray.add(prev.id)
    doc = sent.doc
    surface = token_text(doc, toks)
    text = surface
    counted = head.pos == "NUM" or any(
        t.rel.startswith("nummod") and sent.pos[t.id] < sent.pos[head.id] for t in toks
    )
    # "два других государства", "300 тысяч баррелей": numerals govern the case, and
    # changing it would need the numeral changed too; such phrases stay as written
    if normalize and head.pos in ("NOUN", "PROPN") and toks and not counted:
        feats = dict(head.feats or {})
        number = UD_NUMBER.get(feats.get("Number", ""))
        gender = UD_GENDER.get(feats.get("Gender", ""))
        agree = _agreeing(sent, head) | stray
        heads = {head.id}
        if keep_conj:  # "укрепление ... и партнерство": every conjunct head to nominative
            case = feats.get("Case")
            for c in toks:
                if c.rel != "conj" or c.pos != "NOUN" or dict(c.feats or {}).get("Case") != case:
                    continue
                parent = sent.head(c)
                # a conjunct in the head's case is the head's, even when the parser
                # hung it on a genitive inside ("развитие перевозок и цифровизацию")
                if parent is head or dict(parent.feats or {}).get("Case") != case:
                    heads.add(c.id)
                    agree |= _agreeing(sent, c)
        parts: list[str] = []
        prev: Token | None = None
        for tok in toks:
            if prev is not None:
                parts.append(" " if doc.text[prev.stop : tok.start] else "")
            if tok.id in heads:
                tf = dict(tok.feats or {})
                parts.append(inflect(tok, "nomn", UD_NUMBER.get(tf.get("Number", ""))))
            elif tok.id in agree:
                h = head if tok.id in stray else sent.head(tok)
                while h is not None and h.id not in heads and h.rel == "conj" and h.id in agree:
                    h = sent.head(h)
                hf = dict(h.feats or {}) if h is not None else feats
                parts.append(
                    inflect(
                        tok,
                        "nomn",
                        UD_NUMBER.get(hf.get("Number", "")) or number,
                        UD_GENDER.get(hf.get("Gender", "")) or gender,
                    )
                )
            else:
                parts.append(tok.text)
            prev = tok
        text = "".join(parts)
    start = toks[0].start if toks else head.start
    end = toks[-1].stop if toks else head.stop
    return Phrase(text=text, surface=surface, start=start, end=end, tokens=toks)


def is_deverbal(tok: Token) -> bool:
    """Nouns that name an action ("открытие", "запуск", "проведение")."""
    lem = lemma(tok)
    return tok.pos == "NOUN" and (lem.endswith(DEVERBAL_SUFFIXES) or lem in DEVERBAL_WORDS)


def genitive_complement(sent: Sent, noun: Token) -> Token | None:
    """The object of an action noun: "открытие [центра]", "запуск [авиасообщения]"."""
    for c in sent.children(noun, "nmod", "obj"):
        if (
            dict(c.feats or {}).get("Case") == "Gen"
            and sent.case_of(c) is None
            and c.pos in ("NOUN", "PROPN")
        ):
            return c
    return None


def genitive_after(sent: Sent, noun: Token, limit: int = 12) -> Token | None:
    """Linear fallback when the parser hung the object elsewhere: the first genitive
    noun after `noun` that is not inside a prepositional phrase or a date."""
    dates = sent.doc.dates
    in_pp = False
    for tok in sent.after(noun, limit):
        if (tok.pos == "PUNCT" and tok.text not in INNER_PUNCT - DASHES) or (
            tok.pos == "VERB" and "Case" not in tok.feats
        ):
            return None
        if tok.pos == "ADP":
            in_pp = True
            continue
        if any(d.start <= tok.start < d.end for d in dates):
            continue
        feats = dict(tok.feats or {})
        if tok.pos == "ADJ":
            if in_pp and feats.get("Case") == "Gen":
                # an adjective after a PP noun starts a new phrase only when the parser
                # did not attach it inside that PP
                head = sent.head(tok)
                if head is not None and sent.case_of(head) is None:
                    in_pp = False
            continue
        if tok.pos == "NOUN":
            if not in_pp and feats.get("Case") == "Gen":
                return tok
            if not in_pp:
                return None  # "открытия аким области": another phrase has begun
            if in_pp and sent.case_of(tok) is None and feats.get("Case") == "Gen":
                head = sent.head(tok)
                if head is not None and sent.case_of(head) is None and head.pos != "NOUN":
                    return tok
    return None


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


# --- time ---------------------------------------------------------------------------


def time_in(doc: Doc, start: int, end: int) -> TimeExpr | None:
    for te in sorted(doc.dates, key=lambda d: d.start):
        if te.start < end and start < te.end:
            return te
    return None


# --- facts --------------------------------------------------------------------------


def make_fact(
    fact_type: str,
    args: dict[str, Any],
    sent: Sent,
    confidence: float,
    modality: str | None = None,
    at: Token | None = None,
) -> Fact:
    """Evidence is the sentence around `at`: short enough to quote, long enough to
    check. A title glued to the lead by the segmenter is cut off at the line break."""
    start, end = sent.span
    if at is not None:
        text = sent.doc.text
        line_start = text.rfind("\n", start, at.start) + 1
        line_end = text.find("\n", at.stop, end)
        start = max(start, line_start)
        end = line_end if line_end != -1 else end
    return Fact(
        type=fact_type,
        args=args,
        evidence=[(start, end)],
        confidence=round(max(0.05, min(confidence, 0.99)), 3),
        modality=modality,
        extractor=fact_type,
    )


def add_unique(doc: Doc, fact: Fact) -> bool:
    """Skip a fact already present with the same type, args and evidence."""
    for f in doc.facts:
        if f.type == fact.type and f.args == fact.args and f.evidence == fact.evidence:
            return False
    doc.add_fact(fact)
    return True


def iter_tokens(doc: Doc) -> Iterator[tuple[Sent, Token]]:
    for sent in sentences(doc):
        for tok in sent.tokens:
            yield sent, tok


def guarded(name: str, extract: Any, doc: Doc) -> None:
    """Run one statement extractor; a parse it cannot handle costs that extractor's
    remaining facts for this article (logged, noted in doc.user["skipped"]), never
    the article itself or the other components."""
    if doc.nlp is None:
        return
    try:
        extract(doc)
    except Exception as exc:  # a bug or an odd tree must not stop ingest
        log.warning(
            "%s: article %s: skipped after %s: %s", name, doc.article.id, type(exc).__name__, exc
        )
        doc.user.setdefault("skipped", []).append(f"{name}: {type(exc).__name__}: {exc}")
