"""Typed, normalized, merged entities from natasha's NER spans, a gazetteer and syntax.

natasha's NER is good at finding names but leaves four jobs to us, each a short
pass below:

1. *clean*: drop what is not a name (a capitalised adjective tagged PER, a glued
   "сотрудничестваАким" tagged ORG, a lone "СМИ"), trim punctuation, split lists;
2. *type*: the gazetteer says "Алматы" is a city in KZ, "ЕС" an organisation, and
   adds the places NER missed ("Европы");
3. *extend*: "правительство Китая", "пресс-служба акима Алматы" are organisations
   named after a place or a post; the place stays a mention of its own;
4. *merge*: "Марко Альберти", "Альберти" and "М. Альберти" are one person;
   "Организация Объединённых Наций" and "ООН" one organisation.

`Entity.mentions` holds the name mentions only; nominal mentions ("посол") are
added to `doc.mentions` by the coref component, so a mention-level evaluation that
reads entities sees names, and fact extractors that read `doc.mentions` see both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from natasha.norm import recover_shapes, recover_spaces
from pymorphy2.analyzer import Parse

from newsfacts.extract import entity_filters, gazetteer, lexicons, names, org_aliases, phrase_case
from newsfacts.extract.gazetteer import Place, normal_key
from newsfacts.extract.span_index import ByInitial, LastBefore, Taken, initial
from newsfacts.model import Entity
from newsfacts.nlp.natasha_pipe import models
from newsfacts.pipeline import Doc, Mention, component

NER_TYPES = {"PER": "person", "ORG": "organization", "LOC": "location"}
LETTER_RE = re.compile(r"[A-Za-zА-Яа-яЁё]")
TITLE_RE = re.compile(r"^[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?$")
GLUED_RE = re.compile(r"^[а-яё]{3,}(?=[А-ЯЁ][а-яё])")
SEPARATORS = frozenset({"•", "·", ";", "|", "/", "—", "–", ",", "(", ")", "[", "]"})
ABBR_SKIP = frozenset({"и", "по", "о", "в", "на", "для", "за", "де"})


@dataclass
class Candidate:
    """One mention before merging: where it is, what it is, its nominative name."""

    start: int
    end: int
    type: str  # person | organization | location
    tokens: list[Any]  # natasha tokens it covers
    source: str  # ner | gazetteer | org-head | name-scan | repeat
    place: Place | None = None
    normal: str = ""
    text: str = ""


@dataclass
class _Ent:
    type: str
    name: str
    place: Place | None = None
    mentions: list[Candidate] = field(default_factory=list)
    parts: names.NameParts | None = None

    @property
    def first_start(self) -> int:
        return min(c.start for c in self.mentions)


def _has_letters(text: str) -> bool:
    return bool(LETTER_RE.search(text))


def _lemma(token: Any) -> str:
    return (token.lemma or token.text).lower().replace("ё", "е")


def _place_of(text: str, tokens: list[Any]) -> Place | None:
    place = gazetteer.lookup(text)
    if place is None and tokens:
        place = gazetteer.lookup(" ".join(_lemma(t) for t in tokens))
    return place


def _make(doc: Doc, tokens: list[Any], etype: str, source: str) -> Candidate:
    start, end = tokens[0].start, tokens[-1].stop
    return Candidate(start, end, etype, tokens, source, text=doc.text[start:end])


# --- 1. clean ---------------------------------------------------------------------
def _split_span(doc: Doc, tokens: list[Any], etype: str) -> list[Candidate]:
    """Trim punctuation, split "Эль Сальвадор • Эфиопия", cut a glued left part."""
    groups: list[list[Any]] = [[]]
    for token in tokens:
        if groups[-1] and "\n" in doc.text[groups[-1][-1].stop : token.start]:
            groups.append([])  # a title line is its own sentence: "…Аскар Мамин\nНижняя…"
        if token.text in SEPARATORS or not (_has_letters(token.text) or token.text.isdigit()):
            if token.text in SEPARATORS:
                groups.append([])
            elif groups[-1] and token.text in {"-", "."}:
                groups[-1].append(token)  # "Ахмат - Хаджи", "Kapital.kz" pieces
            continue
        groups[-1].append(token)
    out = []
    for group in groups:
        while group and not _has_letters(group[-1].text) and not group[-1].text.isdigit():
            group.pop()
        if not group:
            continue
        kind = etype
        if len(groups) > 1 and _person_words(group):
            kind = "person"  # a name line cut from the line below: "Аскар Мамин"
        cand = _make(doc, group, kind, "ner")
        glued = GLUED_RE.match(group[0].text)
        if glued:
            # "сотрудничестваАким Алматы": the left part belongs to the previous
            # sentence; keep the rest only if it still names something
            rest = group[1:]
            tail = group[0].text[glued.end() :]
            if rest:
                cand = _make(doc, rest, etype, "ner")
            elif lexicons.is_position(tail) or not names.name_like(tail):
                continue
            else:
                cand.start += glued.end()
                cand.text = doc.text[cand.start : cand.end]
                cand.tokens = []
        out.append(cand)
    return out


def _person_words(group: list[Any]) -> bool:
    """2-3 capitalised words the tagger reads as animate proper names."""
    return (
        2 <= len(group) <= 3
        and all(TITLE_RE.match(t.text) and t.pos == "PROPN" for t in group)
        and all(t.feats.get("Animacy") == "Anim" for t in group)
    )


def _is_noise(cand: Candidate, person_words: set[str], text: str) -> bool:
    words = [t for t in cand.tokens if _has_letters(t.text)]
    if not _has_letters(cand.text):
        return True
    if cand.type == "person":
        if cand.place is not None:
            return False
        if words and all(names.is_initial(t.text) for t in words):
            return True  # "А. Б." alone names nobody
        if len(words) == 1 and words[0].text.lower() in person_words:
            return False  # a surname seen elsewhere in a full name
        if not words:
            return not names.name_like(cand.text)
        meaningful = [
            t
            for t in words
            if _lemma(t) not in lexicons.PERSON_STOP
            and not lexicons.is_position(_lemma(t))
            and names.name_like(t.text)
        ]
        return not meaningful
    if cand.type == "location" and len(words) == 1 and cand.place is None:
        if lexicons.is_position(_lemma(words[0])):
            return True  # "Хоким Ферганской области": the post tagged LOC on its own
        # "Кипрское", "Южная": an adjective on its own is not a place name
        if words[0].pos == "ADJ" and not names.name_like(words[0].text):
            return True
        # "Товарооборот" opening a sentence: capitalised by position alone, and a
        # dictionary noun that names no place ("Луну" mid-sentence stays a place)
        return _sentence_initial(text, words[0].start) and _common_noun(words[0].text)
    if cand.type == "organization" and len(words) == 1:
        lemma = _lemma(words[0])
        return (
            lemma in lexicons.ORG_STOP
            or words[0].text.lower() in lexicons.ORG_STOP
            or lexicons.is_position(lemma)
            or (words[0].text[:1].islower() and not words[0].text.isascii())  # not "eBay"
        )
    return False


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(' \t«"(')
    return not before or before[-1] in "\n.!?:"


@lru_cache(maxsize=65_536)
def _common_noun(word: str) -> bool:
    """Known to the dictionary only as a common noun: no reading as a place,
    a name or an organisation ("товарооборот" yes; "Орёл", "Бали", "Шымкент" no)."""
    if word.isupper():
        return False  # abbreviations: "США", "ОАЭ"
    parses = models().morph_vocab.parse(word.lower())
    proper = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr"}
    return bool(parses) and all(
        p.is_known and p.tag.POS == "NOUN" and not (proper & p.tag.grammemes) for p in parses
    )


def _close_quotes(cand: Candidate, doc: Doc) -> None:
    """NER stops before the closing quote of «Самрук-Казына»; take it in, so the
    mention and the name read as written."""
    if cand.text.count("«") > cand.text.count("»") and doc.text[cand.end : cand.end + 1] == "»":
        quote = next((t for t in doc.nlp.tokens if t.start == cand.end), None)
        cand.end += 1
        cand.text = doc.text[cand.start : cand.end]
        if quote is not None:
            cand.tokens = [*cand.tokens, quote]


def _in_domain(cand: Candidate, doc: Doc) -> bool:
    """ "в зоне .РФ", "Kapital.kz": a piece of a domain name is not a place."""
    return cand.start > 0 and doc.text[cand.start - 1] == "." and cand.type == "location"


def _strip_post(cand: Candidate, doc: Doc) -> Candidate:
    """ "Аким Туркестанской области" tagged LOC: the post is not part of the place."""
    tokens = list(cand.tokens)
    while len(tokens) > 1 and lexicons.is_position(_lemma(tokens[0])):
        tokens.pop(0)
    if len(tokens) == len(cand.tokens):
        return cand
    rest = _make(doc, tokens, cand.type, cand.source)
    _apply_gazetteer(rest)
    return rest


def _strip_titles(cand: Candidate, doc: Doc) -> list[Candidate]:
    """A PER span with a title or a place in front ("Господин Иванов", "Шымкента
    Нурлан Жумабеков"): keep the name part; a place cut off becomes a location."""
    tokens = list(cand.tokens)
    out = []
    while len(tokens) > 1:
        lemma = _lemma(tokens[0])
        if lemma in lexicons.PERSON_STOP or lexicons.is_position(lemma):
            tokens.pop(0)
            continue
        place = _place_of(tokens[0].text, tokens[:1])
        if place is not None and normal_key(tokens[0].text) not in gazetteer.AMBIGUOUS:
            loc = _make(doc, tokens[:1], place.entity_type, "ner")
            loc.place = place
            out.append(loc)
            tokens.pop(0)
            continue
        break
    if len(tokens) != len(cand.tokens):
        cand = _make(doc, tokens, cand.type, cand.source)
    return out + [cand]


# --- 2. type and add places ----------------------------------------------------------
# surname endings of the region, for a surname printed in capitals after a first name
_CAPS_SURNAME_RE = re.compile(r"(?:о|е|ё)ва?$|ина?$|ск(?:ий|ая)$|зода$|заде$|уулу$|кызы$|ли$")


def _apply_gazetteer(cand: Candidate) -> None:
    place = _place_of(cand.text, cand.tokens)
    if place is None:
        words = [t.text for t in cand.tokens if _has_letters(t.text)]
        # "Уктам ХОЛМАТОВ" tagged ORG: a first name and a surname in capitals
        caps = (
            cand.type == "organization"
            and len(words) in (2, 3)
            and words[-1].isupper()
            and words[0][:1].isupper()
            and words[0][1:].islower()
        )
        if caps and _CAPS_SURNAME_RE.search(words[-1].lower()):
            cand.type = "person"  # "Уктам ХОЛМАТОВ", "Сафарали НАЗРИЕВ"
        elif (cand.type == "location" or caps) and names.looks_like_person(words):
            cand.type = "person"
        return
    if cand.type == "person" and normal_key(cand.text) in gazetteer.AMBIGUOUS:
        return
    cand.place = place
    cand.type = place.entity_type


def _seat_as_place(cand: Candidate, doc: Doc) -> None:
    """ "Кремль заявил" is an organisation, "в Кремле" the building it sits in."""
    place = cand.place
    if place is None or place.name not in lexicons.SEATS:
        return
    before = doc.text[max(0, cand.start - 4) : cand.start].split()
    if before and before[-1].lower() in {"в", "во", "на"}:
        cand.place = Place(place.name, "other", country=place.country)
        cand.type = "location"


def _facility_as_place(cand: Candidate, previous: Any | None) -> None:
    """ "Дворце молодёжи", "аэропорту Домодедово" tagged ORG are buildings, i.e. places.
    `previous` is the token before the mention."""
    if cand.type != "organization" or cand.place is not None or not cand.tokens:
        return
    words = [t for t in cand.tokens if _has_letters(t.text)]
    head = next((t for t in words if t.pos in ("NOUN", "PROPN")), None)
    if head is not None and _lemma(head) in lexicons.FACILITY_HEADS:
        cand.type = "location"
        return
    if previous is not None and _lemma(previous) in lexicons.FACILITY_HEADS:
        cand.type = "location"  # "аэропорт «Домодедово»": the name of the facility


def _name_scan(doc: Doc, taken: Taken) -> list[Candidate]:
    """People the NER model missed: a dictionary first name followed by a surname
    ("Ерболат Досаев" at the start of a paragraph), both capitalised, untagged."""
    out: list[Candidate] = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i in range(len(tokens) - 1):
            pair = tokens[i : i + 2]
            span = (pair[0].start, pair[1].stop)
            # the cheap test first: most pairs are not two capitalised words
            if not all(TITLE_RE.match(t.text) for t in pair) or taken.overlaps(span):
                continue
            if not names.looks_like_person([t.text for t in pair]):
                continue
            if any(
                _lemma(t) in lexicons.PERSON_STOP or lexicons.is_position(_lemma(t)) for t in pair
            ):
                continue
            if _place_of(pair[1].text, pair[1:]) is not None:
                continue
            out.append(_make(doc, pair, "person", "name-scan"))
            taken.add(span)
    return out


def _may_start_place(token: Any) -> bool:
    """Whether any gazetteer window from `token` can match, asked once, not per window.

    Both keys a window is looked up by (its text and its lemmas, through
    `normal_key`) begin with the key of this first token alone: a token holds no
    space, and `normal_key` maps characters one by one and only rewrites spaces.
    The exceptions are checked: a capital sigma lowercases by context, and a
    text or lemma with a space could join a " - " with the next word; then every
    window is tried as before."""
    text, lemma = token.text, _lemma(token)
    if "Σ" in text or len(text.split()) != 1 or len(lemma.split()) != 1:
        return True
    return gazetteer.has_prefix(normal_key(text)) or gazetteer.has_prefix(normal_key(lemma))


def _gazetteer_scan(doc: Doc, taken: Taken) -> list[Candidate]:
    """Places the NER model missed: longest gazetteer match over capitalised tokens."""
    out: list[Candidate] = []
    longest = gazetteer.max_words()
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        i = 0
        while i < len(tokens):
            first = tokens[i]
            if not first.text[:1].isupper() or not _may_start_place(first):
                i += 1
                continue
            found = None
            for n in range(min(longest, len(tokens) - i), 0, -1):
                window = tokens[i : i + n]
                if not window[-1].text[:1].isalnum():
                    continue
                text = doc.text[window[0].start : window[-1].stop]
                if n == 1 and normal_key(text) in gazetteer.AMBIGUOUS:
                    continue
                place = _place_of(text, window)
                if place is not None:
                    found = (window, place)
                    break
            if found is None:
                i += 1
                continue
            window, place = found
            span = (window[0].start, window[-1].stop)
            if not taken.overlaps(span):
                cand = _make(doc, window, place.entity_type, "gazetteer")
                cand.place = place
                out.append(cand)
                taken.add(span)
            i += len(window)
    return out


# --- 3. organisations named after a place or a post -------------------------------------
def _org_heads(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    by_start = {c.start: c for c in cands if c.type == "location"}
    org_spans = Taken(len(doc.text), ((c.start, c.end) for c in cands if c.type == "organization"))
    out = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i, token in enumerate(tokens):
            lemma = _lemma(token)
            if lemma not in lexicons.ORG_HEADS and lemma not in lexicons.ORG_HEADS_OF_POST:
                continue
            if org_spans.overlaps((token.start, token.stop)):
                continue
            j = i + 1
            end_token = None
            # "пресс-служба акима (Алматы)": a post in the genitive
            if (
                lemma in lexicons.ORG_HEADS_OF_POST
                and j < len(tokens)
                and lexicons.is_position(_lemma(tokens[j]))
                and tokens[j].feats.get("Case") == "Gen"
            ):
                end_token = tokens[j]
                j += 1
            place = by_start.get(tokens[j].start) if j < len(tokens) else None
            if place is not None and lemma in lexicons.ORG_HEADS:
                gen = [t for t in place.tokens if t.feats.get("Case") == "Gen"]
                if gen or not place.tokens:
                    end_idx = j
                    while end_idx < len(tokens) and tokens[end_idx].stop <= place.end:
                        end_idx += 1
                    end_token = tokens[end_idx - 1]
            first = i
            while (
                first > 0
                and tokens[first - 1].pos == "ADJ"
                and tokens[first - 1].head_id == token.id
                and tokens[first - 1].text[:1].islower()
            ):
                first -= 1
            if (
                end_token is None
                and lemma in lexicons.STATE_BODY_HEADS
                and token.feats.get("Number") != "Plur"  # "американские ведомства": generic
            ):
                end_token = _geo_adjective_org(tokens, first, i)
            if end_token is None:
                continue
            span_tokens = [t for t in tokens[first:] if t.stop <= end_token.stop]
            cand = _make(doc, span_tokens, "organization", "org-head")
            out.append(cand)
            org_spans.add((cand.start, cand.end))
    return out


def _services_of(doc: Doc, cands: list[Candidate]) -> list[Candidate]:
    """ "пресс-служба акимата Шымкента", "пресс-служба Министерства иностранных дел":
    a service of an organisation is an organisation too; the inner one stays."""
    orgs = {c.start: c for c in cands if c.type == "organization"}
    out = []
    for sent in doc.nlp.sents:
        tokens = sent.tokens
        for i, token in enumerate(tokens[:-1]):
            inner = orgs.get(tokens[i + 1].start)
            if _lemma(token) not in lexicons.ORG_HEADS_OF_POST or inner is None:
                continue
            if any(c.start <= token.start and inner.end <= c.end for c in cands if c is not inner):
                continue
            span = [t for t in tokens[i:] if t.stop <= inner.end]
            out.append(_make(doc, span, "organization", "org-head"))
    return out


def _geo_adjective_org(tokens: list[Any], first: int, head: int) -> Any | None:
    """ "российском министерстве финансов", "японского дипломатического ведомства": a
    state body named by a country adjective; returns the last token of the name."""
    adjectives = tokens[first:head]
    if not any(
        (place := gazetteer.place_by_adjective(_lemma(t))) is not None
        and place.kind in ("country", "organization", "other")
        for t in adjectives
    ):
        return None
    end = head
    ids = {t.id for t in tokens[first : head + 1]}
    k = head + 1
    while k < len(tokens) and k <= head + 3:
        t = tokens[k]
        if not (t.text[:1].islower() and t.pos in ("NOUN", "ADJ") and t.feats.get("Case") == "Gen"):
            break
        ids.add(t.id)
        if t.pos == "NOUN":
            end = k
        k += 1
    return tokens[end]


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


# --- 4. merge -----------------------------------------------------------------------
def _initials(name: str) -> str:
    words = re.split(r"[\s\-]+", name)
    return "".join(w[0] for w in words if w and w.lower() not in ABBR_SKIP).upper()


def _display_name(ent: _Ent) -> str:
    """The card name. Normal forms of oblique mentions can disagree ("Маэхара" read
    as a genitive gives "Маэхар"), so each full normal form scores a point per word
    the text itself spells that way, two if the whole mention was already nominative;
    ties go to the most frequent, then the earliest."""
    full = [c for c in ent.mentions if len(c.normal.split()) >= 2] or ent.mentions
    seen_words = {normal_key(w) for c in ent.mentions for w in c.text.split()}
    counts: dict[str, int] = {}
    for cand in full:
        counts[cand.normal] = counts.get(cand.normal, 0) + 1

    def score(cand: Candidate) -> tuple[int, int, int]:
        own = 2 if normal_key(cand.normal) == normal_key(cand.text) else 0
        words = sum(normal_key(w) in seen_words for w in cand.normal.split())
        return (own + words, counts[cand.normal], -cand.start)

    return max(full, key=score).normal


def _merge_people(cands: list[Candidate]) -> list[_Ent]:
    """Full names merge by key or by surname stem and first initial; a surname or a
    first name alone joins the person it names, the most recently mentioned namesake
    winning. People are filed by the initials of their name words (`ByInitial`), so
    each lookup reads a few candidates, not every person found so far."""
    ents: list[_Ent] = []
    by_name: dict[str, _Ent] = {}
    by_full: dict[tuple[str, str], list[_Ent]] = {}  # surname initial, first name's letter
    by_last_any: ByInitial[_Ent] = ByInitial()  # surname initial
    by_first: ByInitial[_Ent] = ByInitial()  # first-name initial
    last_before = LastBefore()  # the most recent mention before an offset, per person

    def new_ent(cand: Candidate, parts: names.NameParts) -> _Ent:
        ent = _Ent("person", cand.normal, parts=parts)
        ents.append(ent)
        if parts.last:
            by_last_any.add(parts.last, ent)
            if parts.first:
                by_full.setdefault((initial(parts.last), parts.first[:1]), []).append(ent)
        if parts.first:
            by_first.add(parts.first, ent)
        return ent

    def mention(ent: _Ent, cand: Candidate) -> None:
        ent.mentions.append(cand)
        last_before.add(id(ent), cand.start)

    full = [c for c in cands if len([w for w in c.normal.split() if not names.is_initial(w)]) >= 2]
    full_ids = {id(c) for c in full}
    short = [c for c in cands if id(c) not in full_ids]
    for cand in full:
        parts = names.split_name(cand.normal)
        key = normal_key(cand.normal)
        ent = by_name.get(key)
        if ent is None and parts.last and parts.first:
            for other in by_full.get((initial(parts.last), parts.first[:1]), []):
                op = other.parts
                if (
                    op
                    and op.last
                    and names.stem_match(op.last, parts.last)
                    and op.first
                    and op.first[:1] == parts.first[:1]
                ):
                    ent = other
                    break
        if ent is None:
            ent = new_ent(cand, parts)
        by_name[key] = ent
        mention(ent, cand)
    for cand in short:
        parts = names.split_name(cand.normal)
        word = parts.last or parts.first or cand.normal
        options = []
        for ent in by_last_any.get(word):
            ep = ent.parts
            if ep is None or not ep.last or not names.same_name_word(ep.last, word):
                continue
            if parts.initials and ep.first and ep.first[:1].upper() != parts.initials[0]:
                continue
            options.append(ent)
        if not options and not parts.initials:  # a first name alone: "Марко сказал"
            options = [
                e
                for e in by_first.get(word)
                if e.parts and e.parts.first and names.same_name_word(e.parts.first, word)
            ]
        if options:
            ent = max(options, key=lambda e: last_before.get(id(e), cand.start))
        else:
            ent = new_ent(cand, parts)
        mention(ent, cand)
    return ents


QUOTED_RE = re.compile(r"«([^«»]+(?:«[^«»]+»[^«»]*)?)»?")


def _org_key(name: str) -> str:
    """Organisations with a quoted name merge on the quoted part, so "АО «Самрук-Казына»",
    "фонд «Самрук-Казына»" and "Самрук-Казына" are one."""
    match = QUOTED_RE.search(name)
    return normal_key(match.group(1) if match else name).strip('«»" ')


def _stem_key(name: str) -> str:
    """Inflection-proof key: each word cut to its stem-ish prefix, abbreviations whole,
    so a failed normal form ("Больший театр" for "Большим театром") still merges with
    "Большой театр"."""
    words = []
    for word in _org_key(name).split():
        if word.isupper() or len(word) <= 4 or not _has_letters(word):
            words.append(word)
        else:
            words.append(word[: max(4, len(word) - 3)])
    return " ".join(words)


def _best_name(ent: _Ent) -> str:
    """The most frequent normal form; a quoted full name beats its bare core."""
    counts: dict[str, int] = {}
    for cand in ent.mentions:
        counts[cand.normal] = counts.get(cand.normal, 0) + 1
    return max(counts, key=lambda n: ("«" in n, counts[n], len(n)))


def _merge_others(cands: list[Candidate], doc: Doc) -> list[_Ent]:
    ents: dict[tuple[str, str], _Ent] = {}
    for cand in cands:
        if cand.place is not None:
            key = (cand.type, normal_key(cand.place.name))
        else:
            key = (cand.type, _stem_key(cand.normal))
        ent = ents.get(key)
        if ent is None:
            ent = ents[key] = _Ent(cand.type, cand.normal, place=cand.place)
        ent.mentions.append(cand)
    for ent in ents.values():
        if ent.place is None:
            ent.name = _best_name(ent)
    # abbreviations: "Центр деловой информации (ЦДИ)" or letters that spell a name
    orgs = [e for e in ents.values() if e.type == "organization"]
    merged: set[int] = set()
    for abbr in orgs:
        if not (abbr.name.isupper() and 2 <= len(abbr.name) <= 8) or abbr.place is not None:
            continue
        for full in orgs:
            if full is abbr or id(full) in merged or full.name.isupper():
                continue
            defined = any(
                re.match(r"\s*[(«\"]\s*" + re.escape(abbr.name), doc.text[m.end : m.end + 20])
                for m in full.mentions
            )
            if defined or _initials(full.name) == abbr.name:
                full.mentions.extend(abbr.mentions)
                merged.add(id(abbr))
                break
    return [e for e in ents.values() if id(e) not in merged]


# --- 5. repeated names the NER model missed the second time ---------------------------
def _repeats(doc: Doc, ents: list[_Ent], taken: Taken) -> None:
    surfaces: dict[str, _Ent] = {}
    surnames: ByInitial[tuple[str, _Ent]] = ByInitial()
    for ent in ents:
        if ent.type == "person":
            # the surname, or the one name a person goes by ("Марк")
            key = ent.parts.last or ent.parts.first if ent.parts else None
            if key and " " not in key and len(key) >= 4:
                surnames.add(key, (key, ent))
            continue
        for cand in ent.mentions:
            if len(cand.tokens) == 1 and len(cand.text) >= 3:
                surfaces.setdefault(cand.text, ent)
    for token in doc.nlp.tokens:
        text = token.text
        if not text[:1].isupper() or taken.overlaps((token.start, token.stop)):
            continue
        ent = surfaces.get(text)
        if ent is None:
            hits = [e for s, e in surnames.get(text) if names.stem_match(s, text)]
            ent = hits[0] if len(hits) == 1 else None
        if ent is None:
            continue
        cand = _make(doc, [token], ent.type, "repeat")
        cand.place = ent.place
        ent.mentions.append(cand)
        taken.add((token.start, token.stop))


def _retype_people(ents: list[_Ent]) -> list[_Ent]:
    """A non-place mention spelled like a known person's surname is that person
    ("в Свиридове" tagged LOC after "Георгий Свиридов")."""
    people = [e for e in ents if e.type == "person" and e.parts and e.parts.last]
    out = []
    for ent in ents:
        if ent.type != "person" and ent.place is None and len(ent.name.split()) == 1:
            target = next(
                (p for p in people if names.stem_match(p.parts.last, ent.name)),  # type: ignore[union-attr]
                None,
            )
            if target is not None:
                for cand in ent.mentions:
                    cand.type = "person"
                target.mentions.extend(ent.mentions)
                continue
        out.append(ent)
    return out


def extract_candidates(doc: Doc) -> list[Candidate]:
    """Cleaned, typed and normalized mention candidates (before merging)."""
    cands: list[Candidate] = []
    for span in doc.nlp.spans:
        for cand in _split_span(doc, list(span.tokens), NER_TYPES[span.type]):
            _apply_gazetteer(cand)
            if cand.type == "organization":
                _close_quotes(cand, doc)
            if cand.type == "person" and cand.tokens:
                cands += _strip_titles(cand, doc)
            elif cand.type == "location" and cand.place is None and len(cand.tokens) > 1:
                cands.append(_strip_post(cand, doc))
            else:
                cands.append(cand)
    person_words = {
        t.text.lower()
        for c in cands
        if c.type == "person" and len(c.tokens) > 1
        for t in c.tokens
        if names.name_like(t.text)
    }
    cands = [
        c for c in cands if not _is_noise(c, person_words, doc.text) and not _in_domain(c, doc)
    ]
    previous = {t.start: p for p, t in zip(doc.nlp.tokens, doc.nlp.tokens[1:], strict=False)}
    for cand in cands:
        _seat_as_place(cand, doc)
        _facility_as_place(cand, previous.get(cand.start))
    taken = Taken(len(doc.text), ((c.start, c.end) for c in cands))
    cands += [c for c in _gazetteer_scan(doc, taken) if not _in_domain(c, doc)]
    cands += _name_scan(doc, taken)
    cands += _org_heads(doc, cands)
    cands += _services_of(doc, cands)
    for cand in cands:
        cand.normal = _normalize(cand)
    cands = entity_filters.clean_candidates(doc, cands, _make, _normalize)
    # "Самрук-Казына сообщает" tagged PER after «Самрук-Казына» was an organisation
    org_keys = {_org_key(c.normal) for c in cands if c.type == "organization"}
    for cand in cands:
        if cand.type == "person" and _org_key(cand.text) in org_keys:
            cand.type = "organization"
            cand.normal = cand.text
    cands.sort(key=lambda c: (c.start, -c.end))
    return cands


@component("entities")
def entities_layer(doc: Doc) -> None:
    if doc.nlp is None:  # the natasha component did not run: nothing to read
        return
    cands = extract_candidates(doc)
    people = _merge_people([c for c in cands if c.type == "person"])
    others = _merge_others([c for c in cands if c.type != "person"], doc)
    for ent in people:
        ent.name = _display_name(ent)
    ents = _retype_people(people + org_aliases.merge_aliases(others))
    _repeats(doc, ents, Taken(len(doc.text), ((c.start, c.end) for c in cands)))
    ents.sort(key=lambda e: e.first_start)
    doc.entities = []
    doc.mentions = []
    for number, ent in enumerate(ents, start=1):
        entity = Entity(id=f"E{number}", type=ent.type, name=ent.name)
        if ent.place is not None:
            entity.subtype = ent.place.subtype
            if ent.place.kind == "country":
                entity.code = ent.place.code
            elif ent.place.kind != "organization":  # the schema gives places a country
                entity.country = ent.place.country
        elif ent.type == "location":
            entity.subtype = "other"
        seen: set[tuple[int, int]] = set()
        for cand in sorted(ent.mentions, key=lambda c: c.start):
            span = (cand.start, cand.end)
            if span in seen:
                continue
            seen.add(span)
            entity.mentions.append(span)
            if cand.text not in entity.aliases and cand.text != entity.name:
                entity.aliases.append(cand.text)
            doc.mentions.append(Mention(cand.start, cand.end, entity.id, "name"))
        doc.entities.append(entity)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
