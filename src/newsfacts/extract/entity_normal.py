"""Normal (nominative) names of entity candidates.

Why a module of its own: declining a name phrase back to the nominative
("правительства Китая" -> "правительство Китая") is morphology, used by the entity
passes and by `entity_filters` (through `entities`), independent of how the mention
was found.
"""

from __future__ import annotations

from typing import Any

from natasha.norm import recover_shapes, recover_spaces
from pymorphy2.analyzer import Parse

from newsfacts.extract import names, phrase_case
from newsfacts.extract.entity_candidates import (
    Candidate,
    _has_letters,
)
from newsfacts.nlp.natasha_pipe import models

GENDERS = {"Masc": "masc", "Fem": "femn", "Neut": "neut"}
UD_CASES = {"Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}


def _nominative(token: Any, case_hint: str | None = None, force: bool = False) -> str:
    """One word of an organisation name in the nominative. natasha's own inflection
    takes the first dictionary reading that fits the tags, which turns "Большого" into
    "Больший"; here the reading whose lemma is the word's lemma in context wins."""
    word = token.text.lower().replace("ё", "е")
    own = token.feats.get("Case")
    case = UD_CASES.get((case_hint if force and case_hint else own) or case_hint or "")
    if case is None or token.pos not in ("NOUN", "PROPN", "ADJ"):
        return word
    lemma = (token.lemma or "").lower().replace("ё", "е")
    number = "plur" if token.feats.get("Number") == "Plur" else "sing"
    gender = GENDERS.get(token.feats.get("Gender", ""), "masc")
    forms = [f for f in models().morph_vocab(word) if case in f.tag]
    if not forms and "-" in word:  # "северо-кавказском": decline the last part
        first, _, last = word.rpartition("-")
        forms = [f for f in models().morph_vocab(last) if case in f.tag]
        lemma = lemma.rpartition("-")[2]
        word = last
    else:
        first = ""
    if not forms:
        return f"{first}-{word}" if first else word
    best = max(
        forms,
        key=lambda f: (f.normal_form == lemma, number in f.tag, gender in f.tag, f.score),
    )
    inflected = Parse.inflect(best, {"nomn"})
    result = inflected.word if inflected is not None else word
    return f"{first}-{result}" if first else result


def syntax_normalize(vocab: Any, tokens: list[Any]) -> str:
    """Nominative of a name phrase: the head noun and the adjectives before it are
    declined, the complements after it stay ("правительства Китая" -> "правительство
    Китая", "Северо-Кавказском федеральном округе" -> "... федеральный округ"). The
    head is the first noun: the parser's own head is often outside a short span."""
    del vocab  # the shared natasha vocabulary is used through `models()`
    head = phrase_case.head_index(tokens)
    case = phrase_case.head_case(tokens, head) if head is not None else None
    words = []
    for i, token in enumerate(tokens):
        if head is not None and (i == head or (i < head and token.pos in ("ADJ", "PROPN"))):
            # words before the head agree with it: one case for the whole phrase
            words.append(_nominative(token, case, force=i == head))
        else:
            words.append(token.text)
    return recover_spaces(list(recover_shapes(words, tokens)), tokens)


# --- normal names ------------------------------------------------------------------
def _normalize(cand: Candidate) -> str:
    vocab = models().morph_vocab
    if cand.place is not None:
        return cand.place.name
    if not cand.tokens:
        return cand.text
    if cand.type == "person":
        return names.title_case(names.normalize_tokens(cand.tokens))
    if cand.type == "organization":
        if all(t.text.isupper() or not _has_letters(t.text) for t in cand.tokens):
            return cand.text
        if "«" in cand.text:  # a quoted name is not declined: АО «Самрук-Казына»
            head = [t for t in cand.tokens if t.start < cand.text.index("«") + cand.start]
            normal = syntax_normalize(vocab, head) if head else ""
            return f"{normal} {cand.text[cand.text.index('«') :]}".strip()
        return " ".join(syntax_normalize(vocab, cand.tokens).split())
    normal = " ".join(syntax_normalize(vocab, cand.tokens).split())  # "Дворец Независимости"
    return normal[:1].upper() + normal[1:]
