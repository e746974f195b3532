"""Who holds a post phrase: the name after it, before it, the subject of a
predicate that takes it, or the person coreference resolved it to.

The holder must be the post's own referent: a genitive name after a post in another
case is its superior ("помощник Касым-Жомарта Токаева"), a genitive name under a
kinship or post noun is the relative's other end ("зятя Назарбаева"), and a name
after a verb is no apposition ("Указом президента новым акимом назначен X").
"""

from __future__ import annotations

from typing import Any

from newsfacts.extract.grammars.lexicon import FORMER, POSITION_HEADS
from newsfacts.extract.grammars.tokens import Sent, is_break, is_finite_verb, lemma
from newsfacts.extract.occupation_phase import END, START
from newsfacts.extract.occupation_posts import PLACE_TYPES, PostChunk, head_lemma

# verbs whose subject gives a post to their object
APPOINTERS = frozenset(
    ["назначить", "назначать", "утвердить", "утверждать", "рекомендовать", "перевести", "избрать"]
)
LEFT_JOINERS = frozenset({",", "—", "–", "-", "("})
MAX_GAP = 12
KINSHIP = frozenset(
    [
        "зять",
        "тесть",
        "свекор",
        "сын",
        "дочь",
        "жена",
        "муж",
        "супруга",
        "супруг",
        "брат",
        "сестра",
        "отец",
        "мать",
        "племянник",
        "племянница",
        "внук",
        "внучка",
        "дядя",
        "тетя",
        "сват",
        "невестка",
        "родственник",
        "вдова",
    ]
)


def _mention_starting(sent: Sent, tok: Any, types: tuple[str, ...]) -> tuple | None:
    # only names: a nominal mention ("посол Италии") is a post, not its holder's name
    for m in sent.mentions:
        if m[0] == tok.start and m[2].type in types and m[3] == "name":
            return m
    return None


def _mention_ending(sent: Sent, tok: Any, types: tuple[str, ...]) -> tuple | None:
    for m in sent.mentions:
        if m[1] == tok.stop and m[2].type in types and m[3] == "name":
            return m
    return None


def _agrees(post: Any, name: Any) -> bool:
    """An apposition agrees in case: "помощник Хиллари Клинтон" names the boss."""
    a = (post.feats or {}).get("Case")
    b = (name.feats or {}).get("Case")
    # only a genitive name after a post in another case is the boss; foreign names
    # ("Марко Альберти") do not decline, so other mismatches prove nothing
    return not (b == "Gen" and a not in (None, "Gen", "Acc"))


def _case(tok: Any) -> str | None:
    return (tok.feats or {}).get("Case")


def is_partner(sent: Sent, post: Any, start: int) -> bool:
    """ "Аким X встретился с послом Турции": the subject of the verb that takes the post
    with «с» is the post holder's partner, not the holder."""
    if not any(c.rel == "case" and lemma(c) in ("с", "со") for c in sent.children(post)):
        return False
    gov = next((a for a in sent.ancestors(post, limit=3) if a.pos in ("VERB", "AUX")), None)
    if gov is None:
        return False
    for subj in sent.children(gov):
        if subj.rel.startswith("nsubj"):
            span = [subj, *(c for c in sent.children(subj) if c.rel in ("appos", "flat:name"))]
            if any(t.start == start for t in span):
                return True
    return False


def is_possessor(sent: Sent, start: int) -> bool:
    """A name in the genitive of a kinship or post noun ("зятя Назарбаева", "первый
    заместитель Чернышова") names the relative's or the subordinate's other end: it
    is never the holder of a post found through the clause or a model."""
    tok = next((t for t in sent.tokens if t.start == start), None)
    if tok is None or tok.rel != "nmod" or _case(tok) != "Gen":
        return False
    head = sent.head(tok)
    if head is None or head.pos not in ("NOUN", "PROPN"):
        return False
    if lemma(head) not in KINSHIP and head_lemma(head) not in POSITION_HEADS:
        return False
    return not any(c.rel == "case" for c in sent.children(tok))


def holder_right(sent: Sent, chunk: PostChunk, starts: dict[int, PostChunk]) -> tuple | None:
    """The person named after the post: "посол Италии в Казахстане Марко Альберти"."""
    toks = sent.tokens
    k = chunk.last + 1
    steps = 0
    post = toks[chunk.head]
    while k < len(toks) and steps < MAX_GAP:
        tok = toks[k]
        m = _mention_starting(sent, tok, ("person",))
        if m is not None:
            # "Указом главы государства Нурлан Ногаев освобожден": a name that is the
            # clause's subject is no apposition of a post in an oblique case
            oblique = _case(post) in ("Gen", "Dat", "Ins", "Loc")
            name = [t for t in toks if m[0] <= t.start < m[1]]
            if oblique and all(_case(t) == "Nom" for t in name):
                return None
            return m if _agrees(sent.tokens[chunk.head], tok) else None
        if tok.text == "(":  # "лидер Национального фронта (FN) Марин Ле Пен"
            close = next((j for j in range(k, len(toks)) if toks[j].text == ")"), None)
            if close is not None and close - k <= 6:
                k = close + 1
                continue
        if is_break(tok) and sent.entity_at(tok, PLACE_TYPES) is None:  # "Kaspi.kz"
            # a list of posts held by one person: "депутат ..., сопредседатель ... Имя"
            if tok.text == "," and k + 1 in starts:
                k = starts[k + 1].last + 1
                steps += 1
                continue
            # "первый вратарь сборной последних лет, Оливер Кан будет ...": the name
            # set off by a comma, then the clause's verb
            if tok.text == "," and k + 1 < len(toks):
                m = _mention_starting(sent, toks[k + 1], ("person",))
                after = next((t for t in toks[k + 1 :] if t.start >= m[1]), None) if m else None
                if m and after is not None and is_finite_verb(after):
                    return m
            return None
        verbal = lemma(tok) in START | END and not lemma(tok).endswith(("ние", "ка"))
        ins_break = _case(tok) == "Ins" != _case(post) and sent.entity_at(tok) is None
        if tok.pos == "VERB" or verbal or (ins_break and tok.pos in ("NOUN", "ADJ")):
            # "Указом президента новым акимом назначен X": a verb (the tagger may
            # call "назначен" a noun) or a predicate instrumental ends the phrase, so
            # the name after it is no apposition of the post before it
            return None
        if k in starts and k != chunk.first and lemma(toks[k - 1]) not in ("и", "или"):
            # "представитель вооружённых сил полковник Сансерн Каевкамнерд": stacked
            # titles of one person share their case; "президента новым акимом" do not
            if _case(toks[starts[k].head]) != _case(toks[chunk.head]):
                return None
            k = starts[k].last + 1
            steps += 1
            continue
        if is_finite_verb(tok) or (k in starts and k != chunk.first):
            return None
        if lemma(tok) in ("и", "или") and k + 1 < len(toks) and sent.entity_at(toks[k + 1]) is None:
            return None  # "Президент и первая леди Мишель Обама": another person's title
        k += 1
        steps += 1
    return None


def holder_left(sent: Sent, chunk: PostChunk) -> tuple | None:
    """The person named before the post: "Марко Альберти, посол Италии"."""
    k = chunk.first - 1
    while k >= 0 and lemma(sent.tokens[k]) in FORMER:
        k -= 1
    if k < 1 or sent.tokens[k].text not in LEFT_JOINERS:
        return None
    k -= 1
    # "Скотт Хоровитц (Scott Horowitz), бывший астронавт"
    if sent.tokens[k].text == ")":
        while k > 0 and sent.tokens[k].text != "(":
            k -= 1
        k -= 1
    if k < 0:
        return None
    return _mention_ending(sent, sent.tokens[k], ("person",))


def holder_predicate(sent: Sent, chunk: PostChunk) -> tuple | None:
    """The subject of "стал президентом", "назначен на пост министра"."""
    head = sent.tokens[chunk.head]
    feats = head.feats or {}
    acting = next(
        (
            t
            for t in sent.tokens[chunk.first : chunk.head]
            if t.text.lower().startswith("исполняющ")
        ),
        None,
    )
    if acting is not None and acting.text.lower().endswith(("им", "ей")):
        # "Исполняющим обязанности акима назначен X": the participle is the predicate
        # instrumental, the post its genitive
        head, feats = acting, {"Case": "Ins"}
    if any(c.rel == "case" for c in sent.children(head)):
        return None  # "встретился с послом": a prepositional phrase, not a predicate
    if head.rel == "conj" and sent.head(head) is not None:
        # "занимал должности акима ... и премьер-министра": the first conjunct's verb
        head = sent.head(head)
    gov = sent.head(head)
    if feats.get("Case") != "Ins":
        if gov is None or lemma(gov) not in ("пост", "должность", "место", "кресло"):
            return None
        gov = sent.head(gov)
    if gov is not None and gov.pos not in ("VERB", "AUX"):
        # natasha trees can contain cycles, so walk a bounded ancestor list
        gov = next((t for t in sent.ancestors(gov) if t.pos in ("VERB", "AUX")), None)
    if gov is None:
        return None
    feats_gov = gov.feats or {}
    if feats_gov.get("VerbForm") == "Part" and gov.rel.startswith("acl"):
        # "Роман Скляр, ранее работавший первым вице-министром": the participle's noun
        return _person_mention(sent, sent.head(gov))
    if lemma(gov) in APPOINTERS and feats_gov.get("Voice") != "Pass":
        # "Токаев назначил Куантырова министром": the object takes the post, the
        # subject only gives it
        obj = next((c for c in sent.children(gov) if c.rel == "obj"), None)
        if obj is None:
            # "избрал председателем правления Азамата Сыдыкова": an animate accusative
            # looks genitive, and the parser hangs the name on the post's complement
            return _name_after(sent, chunk.last)
        return _person_mention(sent, obj)
    subjects = [c for c in sent.children(gov) if c.rel in ("nsubj", "nsubj:pass")]
    if not subjects and gov.rel == "xcomp" and sent.head(gov) is not None:
        gov = sent.head(gov)  # "Путин согласился занять пост премьер-министра"
    for child in sent.children(gov):
        if child.rel in ("nsubj", "nsubj:pass"):
            # "премьер-министром станет глава партии Саломе Зурабишвили": the name is
            # the subject itself or its apposition
            for cand in [child, *(c for c in sent.children(child) if c.rel == "appos")]:
                for m in sent.mentions:
                    if m[0] <= cand.start < m[1] and m[2].type == "person" and m[3] == "name":
                        return m
    return None


def _person_mention(sent: Sent, tok: Any | None) -> tuple | None:
    """The person name on `tok` or in its apposition."""
    if tok is None:
        return None
    for cand in [tok, *(c for c in sent.children(tok) if c.rel in ("appos", "flat:name"))]:
        for m in sent.mentions:
            if m[0] <= cand.start < m[1] and m[2].type == "person" and m[3] == "name":
                return m
    return None


def holder_coref(sent: Sent, chunk: PostChunk) -> tuple | None:
    """A post word that coreference already resolved to a person ("Посол отметил")."""
    head = sent.tokens[chunk.head]
    for m in sent.mentions:
        if m[0] <= head.start and head.stop <= m[1] and m[2].type == "person":
            return m
    return None


def co_holders(sent: Sent, holder: tuple) -> list[tuple]:
    """The persons coordinated with a holder ("назначены X и Y"): each holds a plural
    post of the clause too."""
    tok = next((t for t in sent.tokens if t.start == holder[0]), None)
    if tok is None:
        return []
    out = []
    for c in sent.children(tok):
        if c.rel == "conj":
            m = _person_mention(sent, c)
            if m is not None and m[2] is not holder[2]:
                out.append(m)
    return out


def _name_after(sent: Sent, last: int) -> tuple | None:
    """A person named right after the post phrase, in the accusative/genitive."""
    if last + 1 >= len(sent.tokens):
        return None
    tok = sent.tokens[last + 1]
    m = _mention_starting(sent, tok, ("person",))
    return m if m is not None and _case(tok) in ("Acc", "Gen") else None


def appointed_object(sent: Sent, chunk: PostChunk) -> bool:
    """ "избрал председателем правления Азамата Сыдыкова": the genitive-looking name
    after a predicate instrumental of an active appointer is the appointee, not a boss."""
    head = sent.tokens[chunk.head]
    gov = sent.head(head)
    return (
        _case(head) == "Ins"
        and gov is not None
        and lemma(gov) in APPOINTERS
        and (gov.feats or {}).get("Voice") != "Pass"
    )
