"""Turn a reader's RawDocument into the Article every offset downstream refers to.

Cleaning is deliberately conservative: it only removes what is never news (page
furniture, the reuse-policy footer, invisible characters) and repairs one damage
pattern seen in scraped feeds: a lost paragraph break that glues two sentences
into one token ("сотрудничестваАким"), or a lost space after a full stop
("года.Аким"). Repairs only insert, and each is recorded so analysts can see
where the text differs from the source.

Order matters: normalise, drop furniture, repair glue, then cut the footer (a
footer glued to the last sentence is found only after the repair); repairs never
point into the removed footer.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from newsfacts.ingest.boilerplate import is_boilerplate
from newsfacts.ingest.language import detect_language
from newsfacts.model import Article, Policy, RawDocument, Repair, article_id
from newsfacts.nlp.morph import is_known, is_nominative
from newsfacts.policy.footer import detect_footer
from newsfacts.urls import BadUrl, check_url


class Rejected(ValueError):
    """A documented skip: the document is readable but not something we ingest."""


# An article needs a body: at least this many words besides its title. Fewer is a
# navigation page ("Меню"), a title-only file or an emptied feed entry, never news:
# the shortest real brief, one sentence, has more (issue 12).
MIN_BODY_WORDS = 5

GLUE_BREAK = ".\n"  # what a repaired glue becomes: a sentence and paragraph break
# Second halves that make brand compounds ("ЕвразХолдинг", "СберБанк"), never split
# after a capitalised first half.
COMPOUND_TAILS = frozenset(
    [
        "банк",
        "холдинг",
        "газ",
        "ойл",
        "нефть",
        "строй",
        "сервис",
        "инвест",
        "транс",
        "энерго",
        "телеком",
        "капитал",
        "групп",
        "пром",
        "агро",
        "финанс",
        "маш",
        "мет",
        "трейд",
        "логистик",
        "тех",
        "снаб",
        "экспорт",
        "импорт",
        "лизинг",
        "авто",
    ]
)

# Control characters are never text: an ESC sequence or a NUL in a stored article
# would reach terminals, exports and the PostgreSQL backend (which refuses NUL).
# Tab, newline and CR are whitespace, handled by `normalize_text`; the vertical
# separators (VT, FF, FS/GS/RS, NEL) break lines; every other C0/C1 control goes.
_WHITESPACE = frozenset(map(ord, "\t\n\r"))
_LINE_BREAKS = frozenset(map(ord, "\v\f\x1c\x1d\x1e\x85"))
_INVISIBLE: dict[int, str | None] = {
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None),
    **{
        code: "\n" if code in _LINE_BREAKS else None
        for code in (*range(0x20), *range(0x7F, 0xA0))
        if code not in _WHITESPACE
    },
}
_SPACES = re.compile(r"[ \t\u00a0\u2007\u202f\u2000-\u200a\u3000]+")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_GLUE = re.compile(r"(?<=[а-яё])(?=[А-ЯЁ])")
_LOWER = re.compile(r"[а-яё]+")
_TITLE_CASE = re.compile(r"[А-ЯЁ][а-яё]+")
# A sentence end with no space before the next sentence. The word before the stop
# must be lower-case and 2+ letters: initials, "г.Алматы" and brands such as
# "Яндекс.Новости" are left alone.
_NO_SPACE = re.compile(r"(?<![^\W\d_])[а-яё]{2,}[.!?…]+(?=[А-ЯЁ][а-яё])")


def normalize_text(text: str) -> str:
    """NFC, no invisible or control characters, single spaces, stripped non-empty lines."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _is_glue(left: str, right: str) -> bool:
    """Whether `left|right` is two sentences run together rather than one name.

    A lower-case known word followed by a capitalised word is glue: Russian has no
    legitimate lower-case-initial CamelCase. A capitalised first half ("Казахстане")
    is glue only if both halves are dictionary words, the first cannot be a
    nominative (brand compounds join nominative stems: "ЦентрКредит") and the second
    is not a brand tail, which keeps "ЕвразХолдинг", "СберБанк", "КазМунайГаз" whole.
    """
    head = right.split("-")[0]
    left = left.rsplit("-", 1)[-1]  # "торгово-экономическогоСотрудничество"
    if not _TITLE_CASE.fullmatch(head):
        return False
    if _LOWER.fullmatch(left):
        return len(left) >= 3 and is_known(left)
    if _TITLE_CASE.fullmatch(left):
        return (
            len(left) >= 4
            and len(head) >= 4
            and is_known(left)
            and not is_nominative(left)
            and (is_known(head) or is_known(right))
            and head.lower() not in COMPOUND_TAILS
        )
    return False


def repair_glued_sentences(text: str) -> tuple[str, list[Repair]]:
    """Repair run-together sentences; each repair's offset is in the returned text.

    "сотрудничестваАким" gets `GLUE_BREAK` inserted (`at` is the inserted full stop);
    "году.Аким", a sentence end with its space lost, gets a space (`at` is the space).
    Nothing is ever deleted, so removing the insertions gives back the input.
    """
    inserts: list[tuple[int, str, str]] = []  # (offset in input, insertion, kind)
    for token in _TOKEN.finditer(text):
        word = token.group(0)
        cuts = [m.start() for m in _GLUE.finditer(word)]
        if len(cuts) != 1:  # none, or a multi-part name like "КазТрансЭнерго"
            continue
        if _is_glue(word[: cuts[0]], word[cuts[0] :]):
            inserts.append((token.start() + cuts[0], GLUE_BREAK, "split_glued_sentence"))
    for m in _NO_SPACE.finditer(text):
        inserts.append((m.end(), " ", "space_after_punctuation"))
    out: list[str] = []
    repairs: list[Repair] = []
    pos = length = 0
    for at, insertion, kind in sorted(inserts):
        out.append(text[pos:at])
        length += at - pos
        repairs.append(Repair(kind=kind, at=length))
        out.append(insertion)
        length += len(insertion)
        pos = at
    out.append(text[pos:])
    return "".join(out), repairs


def domain_of(url: str | None) -> str | None:
    """ "kapital.kz" for "https://www.Kapital.kz/a/1"; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def normalize_date(value: str | None) -> str | None:
    """YYYY-MM-DD for an ISO, dd.mm.yyyy, RFC 2822 or Russian written date, else None.

    The date is the one printed by the outlet (its local time), not converted to UTC,
    because relative dates in the story ("в этом году") are relative to it.
    """
    if not value or not value.strip():
        return None
    value = value.strip()
    for pattern, order in ((_ISO, (1, 2, 3)), (_DMY, (3, 2, 1))):
        m = pattern.match(value)
        if m:
            try:
                return date(*(int(m.group(i)) for i in order)).isoformat()
            except ValueError:
                return None
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser  # slow to import; only needed for written-out dates

    parsed: datetime | None = dateparser.parse(
        value,
        languages=["ru", "en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date().isoformat() if parsed else None


def _source(raw: RawDocument, outlet: str | None) -> str | None:
    domain = domain_of(raw.url)
    if domain:
        return domain
    source = normalize_text(raw.source or "").replace("\n", " ")
    if source:
        return source.lower() if domain_of(source) == source.lower() else source
    return outlet.lower() if outlet else None


def clean(raw: RawDocument) -> Article:
    """The cleaned Article; raises `Rejected` for non-Russian or empty documents, and
    for a URL that is not http(s) (a `javascript:` link would become an href)."""
    try:
        url = check_url(raw.url)
    except BadUrl as exc:
        raise Rejected(f"{raw.origin or 'document'}: {exc}") from None
    raw = RawDocument(raw.text, raw.title, url, raw.published, raw.source, raw.origin)
    title = normalize_text(raw.title or "").replace("\n", " ") or None
    lines = normalize_text(raw.text).split("\n")
    if title and lines and lines[0].rstrip(".") == title.rstrip("."):
        lines = lines[1:]  # HTML extractors repeat the <h1> as the first line
    text = "\n".join(line for line in lines if line and not is_boilerplate(line))
    head = ""
    if title and text:
        # The title is the story's first sentence and often its main claim ("Италия
        # готова профинансировать ..."): it is part of the text facts are found in.
        head = f"{title}\n"
        text = head + text
    text, repairs = repair_glued_sentences(text)
    policy = Policy()
    outlet = None
    footer = detect_footer(text)
    if footer:
        text = text[: footer.start].rstrip()
        policy, outlet = footer.policy, footer.outlet
        repairs = [r for r in repairs if r.at < len(text)]
    origin = raw.origin or "document"
    if not text and title:
        raise Rejected(f"{origin}: only a title, no article text")
    if not text:
        raise Rejected(f"{origin}: no text left after cleaning")
    words = len(_TOKEN.findall(text[len(head) :]))
    if words < MIN_BODY_WORDS:
        raise Rejected(
            f"{origin}: the article body has {words} word{'s' if words != 1 else ''}, "
            f"at least {MIN_BODY_WORDS} words are needed (a title or a navigation page alone)"
        )
    language = detect_language(text)
    if language != "ru":
        raise Rejected(f"{origin}: language is {language!r}, not Russian")
    return Article(
        id=article_id(text),
        text=text,
        title=title,
        source=_source(raw, outlet),
        url=raw.url,
        published=normalize_date(raw.published),
        language=language,
        policy=policy,
        repairs=repairs,
    )
