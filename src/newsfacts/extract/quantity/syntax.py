"""The indicator from natasha's tree: the noun the figure's verb is about.

The noun the figure's verb is about wins: the subject of "составить/достичь/
вырасти" or the object of "увеличить/нарастить" ("доходы превысили 2 млрд"), even
when the lexicon does not know it ("профицит бюджета составил ..."); a currency as
the subject is its rate ("тенге укрепился на 1,2%" → "курс тенге"). A figure that
specifies an instrumental noun ("с запасами в 100 млн тонн нефти") is named by it.
"""

from __future__ import annotations

from newsfacts.extract.quantity.base import (
    CURRENCY_UNITS,
    GENERIC_HEADS,
    MEASURES,
    PLACE_NOUNS,
    WEAK_HEADS,
    Figure,
    IndicatorHit,
    Tok,
    display_word,
    fold,
    index_after,
    is_currency_word,
)
from newsfacts.extract.quantity.phrases import (
    adj_grams,
    count_indicator,
    genitive_phrase,
    inflect,
    left_adjectives,
    noun_phrase_gen,
    prep_phrase,
)
from newsfacts.extract.quantity.verbs import (
    AGENT_NOUNS,
    CHANGE_NOUNS,
    FRAME_NOUNS,
    OBJECT_VERBS,
    PRICE_VERBS,
    SUBJECT_VERBS,
    VAGUE_NOUNS,
    deverbal_display,
)
from newsfacts.model import Span
from newsfacts.pipeline import Doc


def argument(toks: list[Tok], verb: Tok, rels: tuple[str, ...]) -> Tok | None:
    """The verb's dependent noun with one of these relations ("nsubj", "obj"), if parsed."""
    if not verb.id:
        return None
    for t in toks:
        if t.head == verb.id and t.rel.split(":")[0] in rels and t.pos in {"NOUN", "PROPN"}:
            return t
    if "nsubj" in rels and verb.rel == "conj":
        # "рынок вырос на 18% и достиг 1,5 трлн": the second verb shares the subject.
        first = next((t for t in toks if t.id == verb.head and t.pos == "VERB"), None)
        if first is not None and first is not verb:
            return argument(toks, first, rels)
    return None


def _usable_argument(doc: Doc, noun: Tok | None, figure: Span) -> bool:
    if noun is None or figure[0] <= noun.start < figure[1]:
        return False
    if is_currency_word(noun):
        return True  # "тенге укрепился": NER may tag it, it is still what is measured
    if noun.pos != "NOUN" or noun.lemma in WEAK_HEADS | GENERIC_HEADS:
        return False
    if noun.lemma in FRAME_NOUNS and noun.lemma != "размер":
        return False  # "размер пособия" names it, "на уровне", "отметка" do not
    if noun.lemma in VAGUE_NOUNS:
        return False  # "этот показатель составил 5%" points back; it names nothing
    if noun.lemma in AGENT_NOUNS or noun.lemma in PLACE_NOUNS:
        return False
    return not any(m.start <= noun.start < m.end for m in doc.mentions)


def indicator_text(doc: Doc, toks: list[Tok], f: Figure, h: IndicatorHit) -> str | None:
    """The indicator a hit gives a figure, with the complements found around the figure.

    A verb hit takes its subject ("туристы потратили" → "расходы иностранных туристов")
    or, for goods, what the measure is of ("ввести 1,5 млн кв. м жилья" → "ввод жилья").
    A bare "доля" takes the "в" phrase after its figure ("с долей 35% во внешней
    торговле").
    """
    stop = doc.mention_spans()
    a = f.amount
    if h.verb is None:
        if h.bare and h.head == "доля" and h.end <= a.start:
            # "на долю Китая приходится 25% оборота", "с долей 35% во внешней торговле"
            j = index_after(toks, a.end)
            tail = prep_phrase(toks, j, frozenset({"в"}), stop) or genitive_phrase(toks, j, stop)
            if tail:
                return " ".join([h.text, *(display_word(c) for c in tail)])
        return h.text
    display = deverbal_display(h, f, doc.text)
    if display is None:
        return None
    if f.unit not in CURRENCY_UNITS:
        # Goods: what the measure is of ("собрали 22 млн тонн зерна" → "сбор зерна");
        # the subject is whoever did it.
        if f.noun is not None and f.unit not in MEASURES:
            # "выпустили 120 тыс. автомобилей" → "выпуск автомобилей"
            from newsfacts.nlp.natasha_pipe import models

            counted = count_indicator(models().morph_vocab, f.noun, f.adjs, toks)
            return display + counted[len("число") :]
        end = f.noun.stop if f.noun else (f.unit_end or a.end)
        j = index_after(toks, end)
        if j < len(toks) and fold(toks[j].text) in {"больше", "меньше"}:
            j += 1  # "выплавили на 5% больше стали"
        comp = genitive_phrase(toks, j, stop)
        if comp:
            return " ".join([display, *(display_word(c) for c in comp)])
        return display
    # Money: whose spending, what costs ("строительство обойдётся" → "стоимость
    # строительства").
    subj = argument(toks, h.verb, ("nsubj",))
    if subj is not f.noun and _usable_argument(doc, subj, (a.start, a.end)):
        assert subj is not None
        return f"{display} {noun_phrase_gen(toks, subj)}"
    return display


def governor(toks: list[Tok], f: Figure) -> Tok | None:
    """The verb a figure belongs to in natasha's tree, through "на уровне", "в размере"."""
    by_id = {t.id: t for t in toks if t.id}
    a = f.amount
    end = f.unit_end or a.end
    inside = [t for t in toks if a.start <= t.start < end or t is f.noun]
    ids = {x.id for x in inside}
    top = next((t for t in inside if t.head not in ids), None)
    if top is not None and top.head:
        up = by_id.get(top.head)
        if up is not None and up.pos in {"NUM", "ADV"} and up.head in ids:
            top = None  # "на 20% меньше зерна": "%" ↔ "меньше" loop
    if top is None and inside:
        # natasha's parse can loop ("млрд" ↔ "сумов"): the sentence's root verb then.
        root = next((t for t in toks if t.rel == "root"), None)
        if root is None or root.pos != "VERB":
            return None
        if f.clause is not None and not f.clause[0] <= root.start < f.clause[1]:
            return None
        return root
    cur = top
    for _ in range(4):
        if cur is None or not cur.head:
            return None
        cur = by_id.get(cur.head)
        if cur is None:
            return None
        if cur.pos == "VERB":
            if f.clause is not None and not f.clause[0] <= cur.start < f.clause[1]:
                # "ВРП вырос на 6%, а объём производства — на 4%": natasha hangs the
                # elided figure on the first verb, whose subject is not its indicator;
                # but "вырастет на 16,6% — до 22 440 рублей" continues the verb's clause.
                prev = f.prev_clause
                if prev is None or not prev[0] <= cur.start < prev[1]:
                    return None
            return cur
        if cur.pos in {"ADV", "ADP", "NUM"}:
            # "поступило более 40 тыс. тонн": natasha hangs the figure on "более"; "от
            # 1,5 до 2 млн тонн": the second bound on the first.
            continue
        if cur.pos != "NOUN" or cur.lemma not in FRAME_NOUNS:
            return None
    return None


def _verb_argument(doc: Doc, toks: list[Tok], f: Figure) -> tuple[Tok | None, Tok | None]:
    """The figure's verb and the noun it says the figure is about (subject or object)."""
    verb = governor(toks, f)
    if verb is None:
        return None, None
    if verb.lemma in SUBJECT_VERBS:
        arg = argument(toks, verb, ("nsubj",))
    elif verb.lemma in OBJECT_VERBS:
        arg = argument(toks, verb, ("obj",))
    else:
        return verb, None
    if arg is None:
        return verb, None
    # natasha often tags an inanimate subject accusative ("Валовой сбор"): both count.
    cases = {"Nom", "Acc"} if verb.lemma in SUBJECT_VERBS else {"Acc", "Gen"}
    # "Килограмм говядины подорожал": natasha reads the first word as a genitive.
    unit_priced = verb.lemma in PRICE_VERBS and arg.lemma in MEASURES
    if arg.case is not None and arg.case not in cases and not unit_priced:
        return verb, None  # "Грузооборот порта вырос": a misparse put "порта" as subject
    arg = _through_change_noun(toks, arg)
    if arg is f.noun or not _usable_argument(doc, arg, (f.amount.start, f.amount.end)):
        return verb, None
    return verb, arg


def _through_change_noun(toks: list[Tok], arg: Tok | None) -> Tok | None:
    """ "рост экспорта составил 12%" measures the export: a change (or portion) noun's
    genitive."""
    if arg is None or arg.lemma not in CHANGE_NOUNS:
        return arg
    return next((t for t in toks if t.head == arg.id and t.case == "Gen"), None)


def attached(doc: Doc, toks: list[Tok], f: Figure, hits: list[IndicatorHit]) -> IndicatorHit | None:
    """The hit natasha's tree attaches the figure to: its verb's subject or object
    ("доходы превысили 2 млрд"), or the verb itself when it names the measure."""
    verb = governor(toks, f)
    if verb is None:
        return None
    arg = None  # any subject/object, usable or not: "ВВП (на душу населения) превысил"
    if verb.lemma in SUBJECT_VERBS:
        arg = argument(toks, verb, ("nsubj",))
    elif verb.lemma in OBJECT_VERBS:
        arg = argument(toks, verb, ("obj",))
    arg = _through_change_noun(toks, arg)
    for h in hits:
        if arg is not None and h.tok is arg:
            return h
    for h in hits:
        if h.verb is not None and h.verb is verb:
            return h
    return None


def inside_argument(doc: Doc, toks: list[Tok], f: Figure, h: IndicatorHit) -> bool:
    _, arg = _verb_argument(doc, toks, f)
    return arg is not None and h.tok is not None and h.tok is not arg and h.tok.head == arg.id


def syntactic_indicator(doc: Doc, toks: list[Tok], f: Figure) -> str | None:
    """No lexicon word: the noun the figure's verb is about ("выплаты выросли на 8%").

    Only an unambiguous attachment counts: the subject of "составить/вырасти/превысить",
    the object of "увеличить/нарастить/довести", a common noun that names no company or
    place. A currency as the subject is its exchange rate ("тенге укрепился на 1,2%").
    """
    verb, arg = _verb_argument(doc, toks, f)
    if verb is None or arg is None:
        return _modified_noun(doc, toks, f)
    idx = toks.index(arg)
    if not (arg.text[:1].islower() or idx == 0):
        return None
    if is_currency_word(arg):
        # "тенге", "евро", "сомони" do not decline; "рубль" → "курс рубля".
        indeclinable = arg.text.lower()[-1:] in {"е", "о", "и"}
        return "курс " + (arg.text.lower() if indeclinable else inflect(arg, {"Gen", "Sing"}))
    if arg.pos != "NOUN":
        return None
    if verb.lemma in PRICE_VERBS:
        if arg.lemma in MEASURES:
            return "цена"  # "килограмм риса подорожал": the unit priced says nothing
        return "цена " + noun_phrase_gen(toks, arg)  # "пшеница подорожала на 5%"
    number = arg.number or "Sing"
    adjs = left_adjectives(toks, idx)
    stop = doc.mention_spans()
    comp = genitive_phrase(toks, idx + 1, stop)
    if arg.lemma in FRAME_NOUNS and not comp:
        return None  # "его размер составит 100 млрд": the size of what is not said
    words = [inflect(a, adj_grams("Nom", arg.gender, number)) for a in adjs]
    words.append(inflect(arg, {"Nom", number}))  # "выплаты пенсионерам" stay plural
    words += [display_word(c) for c in comp]
    return " ".join(words)


def _modified_noun(doc: Doc, toks: list[Tok], f: Figure) -> str | None:
    """ "с запасами в 100 млн тонн нефти" → "запасы нефти": the instrumental noun the
    figure specifies ("тиражом", "весом", "запасами в"), when no verb says more."""
    by_id = {t.id: t for t in toks if t.id}
    a = f.amount
    end = f.unit_end or a.end
    inside = [t for t in toks if a.start <= t.start < end or t is f.noun]
    ids = {t.id for t in inside}
    top = next((t for t in inside if t.id and t.head not in ids), None)
    noun = by_id.get(top.head) if top is not None and top.rel == "nmod" else None
    if noun is None or noun.pos != "NOUN" or noun.case != "Ins" or not noun.text[:1].islower():
        return None
    if not _usable_argument(doc, noun, (a.start, end)):
        return None
    number = noun.number or "Sing"
    words = [inflect(noun, {"Nom", number})]
    stop = doc.mention_spans()
    after = f.noun.stop if f.noun is not None else end
    words += [display_word(c) for c in genitive_phrase(toks, index_after(toks, after), stop)]
    return " ".join(words)
