"""Find an outlet's reuse-policy footer at the end of an article and read its terms.

Russian outlets end stories with a line such as "При работе с материалами ... разрешено
использование лишь 30% текста с обязательной гиперссылкой". That line is not news (it
must stay out of the text facts are extracted from) but it is the only statement of
how much of the story we may quote, so we turn it into a `Policy`.

Only the trailing sentences are examined: a footer is recognised by walking back from
the end while sentences match one of `FOOTER_CUES`, so a news sentence that mentions
copying in the middle of a story is never cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfacts.model import Policy

_F = re.IGNORECASE

# A sentence is footer-like when one of these matches. Each cue combines words that
# rarely co-occur in news prose, so a closing news sentence mentioning a "ссылка"
# or "использование" alone is not taken for a footer.
_REUSE = r"(?:перепечатк\w*|копировани\w*|воспроизведени\w*|цитировани\w*|использовани\w*|распространени\w*|работе\s+с\s+материал\w*)"
_MATERIAL = r"(?:материал\w*|текст\w*|стат(?:ья|ьи|ей|ью)|публикаци\w*|информаци\w*|контент\w*|сайт\w*|новост\w*)"
_TERMS = r"(?:гиперссылк\w*|ссылк\w*|разрешени\w*|разрешен\w*|согласи\w*|запрещ\w*|допуска\w*|не\s+более|лишь|только|\d+\s*%)"


def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, _F)


# Each cue is a sequence of patterns that must match in this order within one line
# (what `A.*B.*C` would say). They are searched one after the other, each from where
# the previous match ended, so a cue costs one pass over the sentence; written as one
# regex, `(?=.*A)` lookaheads and `A.*B` backtracking are quadratic in its length
# (issue 12: a 5-million-character line stalled ingest for more than 10 minutes).
# The first cue needs its three parts in any order.
_UNORDERED_CUE = (_c(rf"\b{_REUSE}"), _c(rf"\b{_MATERIAL}"), _c(_TERMS))
FOOTER_CUES: tuple[tuple[re.Pattern[str], ...], ...] = tuple(
    tuple(_c(p) for p in parts)
    for parts in (
        # "Перепечатка без гиперссылки запрещена"
        (rf"\b{_REUSE}", r"\bбез\b", r"(?:гипер)?ссылк"),
        # "Активная ссылка обязательна", "гиперссылка на источник обязательна"
        (r"\b(?:гипер)?ссылк\w*\b", r"\bобязательн\w*"),
        (r"\bобязательн\w*\s+(?:активн\w*\s+)?(?:гипер)?ссылк",),
        # "Полное или частичное копирование запрещено"
        (
            r"\b(?:полн\w+|частичн\w+)\s+(?:или\s+(?:полн\w+|частичн\w+)\s+)?(?:копировани\w*|воспроизведени\w*|использовани\w*|перепечатк\w*)",
        ),
        # "необходимо разрешение редакции"
        (
            r"(?:необходимо|требуется|нужно|только\s+с)\s+(?:письменного\s+|письменное\s+)?(?:разрешени\w*|согласи\w*)\s+(?:редакци\w*|правообладател\w*|автор\w*)",
        ),
        (r"\bвсе\s+права\s+защищены\b",),
    )
)
# "© Kapital.kz": at the start of the sentence only, not of any line in it.
_COPYRIGHT_START = _c(r"\s*(?:©|\(c\))")
# A footer sentence is a line or two; a longer "sentence" (a run-on text with no
# sentence ends) is no footer, and is not searched at all.
MAX_FOOTER_SENTENCE_CHARS = 2000

_SHARE = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*(?:%|процент\w*)", _F)
_LINK = re.compile(r"(?:гипер)?ссылк\w*", _F)
_PERMISSION = re.compile(r"разрешени[еяюи]\w*|согласи[еяюи]\w*", _F)
_BAN = re.compile(
    r"(?:полн\w+|частичн\w+|любое)\s+(?:или\s+(?:полн\w+|частичн\w+)\s+)?"
    r"(?:копировани\w*|воспроизведени\w*|использовани\w*|перепечатк\w*|распространени\w*)"
    r"(?:[^.]|\.(?=\w))*?запрещ\w*",  # a dot inside "Kursiv.media" is no sentence end
    _F,
)
# "без ссылки запрещено" forbids linkless reuse only; it is not a total ban.
_BAN_UNLESS_LINK = re.compile(r"без\s+(?:активн\w+\s+)?(?:гипер)?ссылк", _F)
_TLDS = r"(?:kz|ru|kg|uz|tj|tm|az|by|ua|am|ge|mn|com|net|org|info|biz|media|news|today|su|рф)"
_OUTLET = re.compile(rf"(?<![\w.@/])([A-Za-zА-Яа-яЁё0-9][\w-]*(?:\.[\w-]+)*\.{_TLDS})(?![\w-])", _F)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")

# A footer is a few closing sentences, never half the story.
MAX_FOOTER_SENTENCES = 4


@dataclass
class FooterMatch:
    start: int  # offset in the text where the footer begins
    policy: Policy
    outlet: str | None  # the outlet the footer names, as written ("Kapital.kz")


def _sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _in_order(line: str, parts: tuple[re.Pattern[str], ...]) -> bool:
    """Whether `parts` match one after another in `line`: `A.*B` in one pass.

    Taking each part's first match after the previous one is enough: any later
    match of a part leaves less room for the parts after it."""
    pos = 0
    for part in parts:
        m = part.search(line, pos)
        if m is None:
            return False
        pos = m.end()
    return True


def is_footer_sentence(sentence: str) -> bool:
    if len(sentence) > MAX_FOOTER_SENTENCE_CHARS:
        return False
    if _COPYRIGHT_START.match(sentence):
        return True
    # Callers pass one sentence or one line; a cue of several parts (`.` never
    # crossed a line break) is looked for within each line of anything longer.
    for line in sentence.split("\n"):
        if all(part.search(line) for part in _UNORDERED_CUE):
            return True
        if any(_in_order(line, parts) for parts in FOOTER_CUES if len(parts) > 1):
            return True
    return any(parts[0].search(sentence) for parts in FOOTER_CUES if len(parts) == 1)


def parse_policy(footer: str) -> Policy:
    """Read the terms of a footer; anything not stated keeps the permissive default."""
    policy = Policy(origin="footer")
    share = _SHARE.search(footer)
    if share:
        value = float(share.group(1).replace(",", "."))
        policy.max_share = max(0.0, min(1.0, value / 100))
    policy.link_required = bool(_LINK.search(footer))
    permission = bool(_PERMISSION.search(footer))
    ban = _BAN.search(footer)
    if ban and not share and not _BAN_UNLESS_LINK.search(ban.group(0)):
        policy.max_share = 0.0
        policy.full_text = "permission" if permission else "forbidden"
    elif permission:
        policy.full_text = "permission"
    elif policy.max_share < 1.0:
        # Only a share is allowed and no way to get more is named.
        policy.full_text = "forbidden"
    return policy


def detect_footer(text: str) -> FooterMatch | None:
    """The reuse-policy footer closing `text`, or None when the text has none."""
    spans = _sentences(text)
    start: int | None = None
    for a, b in reversed(spans[-MAX_FOOTER_SENTENCES:]):
        if not is_footer_sentence(text[a:b]):
            break
        start = a
    if start is None:
        return None
    footer = text[start:]
    outlet = _OUTLET.search(footer)
    return FooterMatch(
        start=start,
        policy=parse_policy(footer),
        outlet=outlet.group(1) if outlet else None,
    )
