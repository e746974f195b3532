"""The phase of an occupation: is the post held now, taken up, left, or held before?

Every occupation fact carries `phase`:
- `start`: the text reports the person entering the post («назначен», «избран»,
  «стал», «возглавил», «сменил X»), dated by the nearest date («был назначен послом
  в феврале 2019 года» starts in 2019-02);
- `end`: the text reports the person leaving it («освобожден от должности»,
  «отставка», «покинул пост», the predecessor in «X сменил Y»);
- `past`: the post was held before and is not any more («бывший», «экс-»,
  «ранее занимал», «до этого возглавлял», «в разное время работал»);
- `current`: the post is held at the time of the text (an apposition such as
  «аким Алматы Ерболат Досаев», or «занимает», «возглавляет»).

The phase comes from the verb that governs the post or its holder in the tree, never
from a word merely nearby: in «вступившим в эту должность в феврале» the participle
governs the holder, and in «указом президента ... назначен» the verb governs
another post than «президента».
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.lexicon import FORMER, POSITION_HEADS
from newsfacts.extract.grammars.tokens import Sent, lemma

PHASES = ("current", "start", "end", "past")

START = frozenset(
    [
        "назначить",
        "назначать",
        "назначение",
        "переназначить",
        "избрать",
        "избирать",
        "избрание",
        "переизбрать",
        "стать",
        "становиться",
        "вступить",
        "вступать",
        "вступление",
        "занять",
        "возглавить",
        "утвердить",
        "перевести",
        "переводить",
        "утверждение",
        "сменить",
        "заменить",
        "прийти",
    ]
)
END = frozenset(
    [
        "освободить",
        "освобождать",
        "освобождение",
        "уволить",
        "увольнять",
        "увольнение",
        "отставка",
        "уйти",
        "уходить",
        "покинуть",
        "покидать",
        "сложить",
        "слагать",
        "снять",
        "снимать",
        "отстранить",
        "отстранять",
        "отстранение",
        "оставить",
        "оставлять",
    ]
)
# verbs of holding: their tense says whether the post is held now or was before
HOLD = frozenset(
    [
        "занимать",
        "возглавлять",
        "руководить",
        "работать",
        "служить",
        "являться",
        "состоять",
        "трудиться",
    ]
)
# adverbials that put a held post in the past: «ранее», «до этого», «в разное время»
PAST_MARKERS = frozenset(["ранее", "прежде", "раньше", "некогда", "когда-то"])
PAST_PHRASES = (("до", "это"), ("в", "прошлое"), ("в", "разный", "время"), ("в", "свой", "время"))


def past_marked(sent: Sent, verb: Any) -> bool:
    """Whether the clause of `verb` opens with «ранее», «до этого», «в разное время»."""
    kids = sent.children(verb)
    if any(lemma(k) in PAST_MARKERS for k in kids):
        return True
    lemmas = [lemma(t) for t in sent.tokens]
    index = sent.index[verb.id]
    for phrase in PAST_PHRASES:
        n = len(phrase)
        for i in range(0, index - n + 1):
            if tuple(lemmas[i : i + n]) == phrase:
                return True
    return False


def _tense(tok: Any) -> str | None:
    return (tok.feats or {}).get("Tense")


POST_NOUNS = frozenset(["должность", "пост", "место", "кресло", "обязанность", "руководство"])


def _governors(sent: Sent, toks: list[Any], limit: int = 4) -> list[Any]:
    """Words governing any of `toks`, nearest first, up to the clause's predicate.

    The walk stops at a noun that is neither a post word nor a phase noun: in «стал
    преемником спикера Пелоси» the verb governs «преемником», not the post. A verb
    whose subject is the post and which has a nominal complement of its own («премьер
    Ансип стал первым жителем») says nothing about the post either.
    """
    out: list[Any] = []
    for tok in toks:
        cur, steps = tok, 0
        while steps < limit:
            up = sent.head(cur)
            if up is None or up in out or up in toks:
                break
            if up.pos == "NOUN" and lemma(up) not in START | END | POST_NOUNS:
                break
            if cur.rel.startswith("nsubj") and _own_complement(sent, up):
                break
            out.append(up)
            if up.pos in ("VERB", "AUX") and (up.feats or {}).get("VerbForm") != "Part":
                break  # the clause's own predicate: stop there
            if cur.rel.startswith(("advcl", "parataxis", "ccomp")):
                break
            cur, steps = up, steps + 1
    return out


def _own_complement(sent: Sent, verb: Any) -> bool:
    """Whether `verb` takes a nominal complement that is not a post word."""
    for c in sent.children(verb):
        if c.rel not in ("obj", "xcomp", "obl") or c.pos != "NOUN":
            continue
        if c.rel == "obl" and (c.feats or {}).get("Case") != "Ins":
            continue
        if lemma(c) not in POST_NOUNS:
            return True
    return False


def _agreeing_participles(sent: Sent, near: list[Any]) -> list[Any]:
    """ "послом ... Рахманом, вступившим в эту должность": a participle right after the
    holder that agrees with it in case modifies it, wherever the parser hung it."""
    last = max(sent.index[t.id] for t in near)
    case = (near[0].feats or {}).get("Case")
    out = []
    for tok in sent.tokens[last + 1 : last + 3]:
        feats = tok.feats or {}
        if feats.get("VerbForm") == "Part" and case and feats.get("Case") == case:
            out.append(tok)
    return out


def find_phase(
    sent: Sent, head: Any, first: Any, former: bool, holder: Any | None = None
) -> tuple[str, Any | None]:
    """(phase, the token that signals it) for the post headed by `head`.

    `first` is the first token of the post phrase, `former` whether «бывший»/«экс-»
    precede it, `holder` the first token of the holder's name when known.
    """
    if former:
        return "past", first
    toks = [head] + ([holder] if holder is not None else [])
    if head.rel == "conj" and sent.head(head) is not None:
        toks.append(sent.head(head))  # "стал министром, а затем и вице-премьером"
    govs = _governors(sent, toks)
    # «вступившим в эту должность»: a participle on the holder
    near = [head] + ([holder] if holder is not None else [])
    near += [c for t in list(near) for c in sent.children(t) if c.rel in ("appos", "flat:name")]
    acl = [c for t in near for c in sent.children(t) if c.rel.startswith("acl")]
    acl += _agreeing_participles(sent, near)
    govs = [c for c in acl if lemma(c) in START | END] + govs
    for gov in govs:
        lem = lemma(gov)
        if lem in START and not _irrealis(sent, gov):
            if _title_of_appointee(sent, gov, head):
                return "current", None
            return "start", gov
        if lem in END and _leaves_a_post(sent, gov) and not _irrealis(sent, gov):
            return "end", gov
        if lem in HOLD:
            past = _tense(gov) == "Past" or past_marked(sent, gov)
            return ("past" if past else "current"), gov
    # «был министром»: the copula's tense
    for c in sent.children(head):
        if c.rel == "cop" and _tense(c) == "Past":
            return "past", c
    # a phase noun right before the post: «отставка министра», «назначение послом»
    i = sent.index.get(first.id, 0)
    for tok in sent.tokens[max(0, i - 2) : i]:
        if tok.pos != "NOUN" or _irrealis(sent, tok):
            continue  # «требуя отставки президента»: demanded, not done
        if lemma(tok) in START:
            return "start", tok
        if lemma(tok) in END:
            return "end", tok
    return "current", None


def _title_of_appointee(sent: Sent, verb: Any, head: Any) -> bool:
    """ "Исполняющим обязанности акима назначен его первый заместитель X": the post in
    the nominative is the appointee's present title; the new post is the instrumental."""
    if (head.feats or {}).get("Case") != "Nom" or sent.head(head) is not verb:
        return False
    for c in sent.children(verb):
        if c is head or (c.feats or {}).get("Case") != "Ins":
            continue
        if lemma(c) in POSITION_HEADS or c.text.lower().startswith("исполняющ"):
            return True
    return False


# verbs of leaving that end a tenure only when what is left is a post or a body:
# «ушел в отставку», «покинул пост», but «ушедший из жизни», «покинул зал»
LEAVE = frozenset(["уйти", "уходить", "покинуть", "покидать", "оставить", "оставлять"])
# heads under which a change is wanted or expected, not reported
IRREALIS = frozenset(
    [
        "требовать",
        "потребовать",
        "призвать",
        "призывать",
        "добиваться",
        "просить",
        "попросить",
        "предложить",
        "предлагать",
        "угрожать",
        "грозить",
        "хотеть",
        "намереваться",
        "планировать",
    ]
)


def _leaves_a_post(sent: Sent, verb: Any) -> bool:
    if lemma(verb) not in LEAVE:
        return True
    for c in sent.children(verb):
        if c.rel not in ("obj", "obl"):
            continue
        if lemma(c) in POST_NOUNS | {"отставка", "правление", "совет", "кабинет"}:
            return True
        if sent.entity_at(c, ("organization",)) is not None:
            return True
    return False


def _irrealis(sent: Sent, tok: Any) -> bool:
    """«требуя отставки», «призвал уйти в отставку», «хочет назначить»."""
    return any(lemma(a) in IRREALIS for a in sent.ancestors(tok, limit=2))


def is_former_word(tok: Any) -> bool:
    return lemma(tok) in FORMER
