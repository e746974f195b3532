"""Indicator hits: the lexicon words and measure-naming verbs of a sentence.

Each hit is a lexicon entry matched on lemmas, grown by its adjectives, genitive
phrase and governed prepositional phrase (`phrases`), or a verb that names a
measure (a trigger, a deverbal verb, goods sent abroad). Which hit a figure gets is
`pick`'s job.
"""

from __future__ import annotations

import re

from newsfacts.extract.quantity.base import (
    COUNT_HEADS,
    GENERIC_HEADS,
    WEAK_HEADS,
    IndicatorHit,
    Tok,
    display_word,
    fold,
)
from newsfacts.extract.quantity.lexicon import lexicon
from newsfacts.extract.quantity.phrases import (
    adj_grams,
    agreement,
    genitive_phrase,
    inflect,
    left_adjectives,
    prep_phrase,
    skip_subject,
)
from newsfacts.extract.quantity.syntax import argument
from newsfacts.extract.quantity.verbs import DEVERBAL, infinitive_of, trade_abroad
from newsfacts.model import Span
from newsfacts.pipeline import Doc


def find_indicators(doc: Doc, toks: list[Tok], skip: list[Span]) -> list[IndicatorHit]:
    lex = lexicon()
    hits: list[IndicatorHit] = []
    i = 0
    entity_spans = doc.mention_spans()
    stop = entity_spans + skip
    while i < len(toks):
        t = toks[i]
        if any(s <= t.start < e for s, e in skip):
            i += 1
            continue
        matched = None
        for entry in lex.by_first.get(t.lemma, ()):
            n = len(entry.lemmas)
            if n > 1 and entry.display.split()[0] in COUNT_HEADS:
                # "число посетителей | посетить" names a verb's count; written out,
                # "число посетителей выставки" is the generic "число" + its genitive.
                continue
            window = toks[i : i + n]
            if len(window) == n and all(
                x.lemma in lemmas or fold(x.text) in lemmas
                for x, lemmas in zip(window, entry.lemmas, strict=True)
            ):
                matched = entry
                break
        if matched is not None:
            n = len(matched.lemmas)
            adjs = left_adjectives(toks, i)
            gender, number = agreement(matched.display)
            words = [inflect(a, adj_grams("Nom", gender, number)) for a in adjs]
            words.append(matched.display)
            noun_lemma = None
            end = toks[i + n - 1].stop
            comp: list[Tok] = []
            # NER sometimes tags the indicator itself as a name ("Капитализация
            # фондового рынка"): a mention that starts at the head does not stop it.
            stop_here = [sp for sp in stop if not sp[0] <= t.start < sp[1]]
            if matched.complement:
                comp = genitive_phrase(toks, i + n, stop_here)
                if comp:
                    words += [display_word(c) for c in comp]
                    end = comp[-1].stop
                    # the counted noun is the first: "число посетителей выставки"
                    noun_lemma = next((c.lemma for c in comp if c.pos == "NOUN"), comp[-1].lemma)
            # A governed "от/на/по/в" phrase right after the head or its last genitive
            # word: "доход от экспорта услуг", "ставка налога на прибыль".
            allowed = lex.preps.get(comp[-1].lemma, frozenset()) if comp else matched.preps
            pp = prep_phrase(toks, i + n + len(comp), allowed, stop_here) if allowed else []
            if allowed and not pp:
                # "доля Китая во внешнеторговом обороте": the owner is a subject, the
                # governed phrase after it is still part of the indicator.
                j = skip_subject(toks, i + n + len(comp), entity_spans, matched.complement)
                if j > i + n + len(comp):
                    pp = prep_phrase(toks, j, allowed, stop_here)
            if pp:
                words += [display_word(c) for c in pp]
                end = pp[-1].stop
            bare = not comp and not pp
            k = i - 1 - len(adjs)
            while k >= 0 and toks[k].pos in {"ADJ", "DET"}:
                k -= 1
            head_noun = next((x for x in toks[i : i + n] if x.pos == "NOUN"), t)
            case = head_noun.case
            # "принёс бюджету 1,5 трлн": a recipient in the dative is, like a
            # prepositional phrase, used only when nothing else names the figure.
            in_pp = (k >= 0 and toks[k].pos == "ADP") or (case == "Dat" and bare)
            measures_next = case == "Ins" and re.match(
                r"\s*(?:(?:около|порядка|почти|примерно|более|менее|свыше|до)\s+)?\d",
                doc.text[end : end + 20],
            )
            if not (bare and matched.display in WEAK_HEADS) or measures_next:
                # A bare "уровень" ("на уровне 16%") says nothing about what is measured;
                # "облигации объёмом 1 млрд долларов" names the volume, like "мощностью".
                hits.append(
                    IndicatorHit(
                        adjs[0].start if adjs else t.start, end, " ".join(words),
                        matched.display, case,
                        generic=bare and matched.display in GENERIC_HEADS,
                        noun_lemma=noun_lemma, money=matched.money, in_pp=in_pp, bare=bare,
                        tok=head_noun,
                    )
                )  # fmt: skip
            i += n
            continue
        if t.pos in {"ADJ", "NOUN"} and t.text.isalpha() and t.text[:1].islower():
            # natasha tags a rare verb as an adjective ("прокредитовали"): ask pymorphy.
            verb_lemma = infinitive_of(t.text.lower())
            if verb_lemma in lex.triggers or verb_lemma in DEVERBAL:
                t.pos, t.lemma = "VERB", verb_lemma
        trade = trade_abroad(doc.text, t) if t.pos == "VERB" else None
        if trade is not None:
            # "отправил на внешние рынки 12 тыс. тонн": goods sent abroad are exports;
            # "закупил за рубежом" is an import.
            hits.append(IndicatorHit(t.start, t.stop, trade, trade, None, tok=t))
            i += 1
            continue
        # "производится", "экспортируется": the passive names the same measure.
        base = t.lemma[:-2] if t.lemma.endswith("ся") else t.lemma
        if t.pos == "VERB" and t.lemma not in lex.triggers and base in lex.triggers:
            t.lemma = base
        if t.pos == "VERB" and t.lemma not in DEVERBAL and base in DEVERBAL:
            t.lemma = base
        if t.pos == "VERB" and t.lemma in lex.triggers:
            display, money = lex.triggers[t.lemma]
            hits.append(IndicatorHit(t.start, t.stop, display, display, None, money=money, tok=t))
        elif t.pos == "VERB" and t.lemma in DEVERBAL:
            subj = argument(toks, t, ("nsubj",))
            # "стоимость проекта обойдётся в ...": the noun already says it.
            if subj is None or not any(h.start <= subj.start < h.end for h in hits):
                display = next(d for d in DEVERBAL[t.lemma] if d)
                hits.append(IndicatorHit(t.start, t.stop, display, display, None, verb=t, tok=t))
        i += 1
    return hits
