"""Sentence views for the statement extractors: natasha sentences with tree lookups.

Why a module of its own: every statement helper walks the same dependency tree
(children, subtrees, contiguous runs, clause runs), and glued title lines must be
split and parsed again before any of them reads a sentence; that view is one job,
below phrase building and entity lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsfacts.extract.grammars.tokens import lemma
from newsfacts.extract.grammars.tokens import time_args as time_args  # shared with relations
from newsfacts.model import Span
from newsfacts.pipeline import Doc

Token = Any  # natasha.doc.DocToken


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


CLOSERS = {"»": "«", ")": "(", "”": "“"}
# punctuation that lives inside a phrase: quotes around names, dashes in routes
INNER_PUNCT = {"«", "»", '"', "“", "”", "„", "(", ")"} | DASHES


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
