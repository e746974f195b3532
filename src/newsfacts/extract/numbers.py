"""Russian number, scale, currency and qualifier parsing shared by the extractors.

Kept free of natasha so it is cheap to test and reuse: everything here works on
plain strings with regular expressions. News writes the same figure many ways
("13,5 млн долларов США", "$13.5 млн", "13 500 000 долл."), and every one of them
has to land on one number in base units and one ISO-4217 code, or the store cannot
put two articles' figures on the same series.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# A digit group: "280", "13,5", "1 200 000" (space, NBSP or thin space as thousands
# separator), "1.200.000" (dots as thousands separators, at least two groups).
_SP = r"[ \u00a0\u202f]"
NUMBER_RE = (
    r"\d{1,3}(?:\.\d{3}){2,}(?!\d)"
    rf"|\d{{1,3}}(?:{_SP}\d{{3}})+(?:[.,]\d+)?(?!\d)"
    r"|\d+(?:[.,]\d+)?"
)

# Scale words in every case and their abbreviations.
SCALES: tuple[tuple[str, float], ...] = (
    (r"тыс(?:\.|яч[а-яё]*\b)?", 1e3),
    (r"млн\.?|миллион[а-яё]*\b", 1e6),
    (r"млрд\.?|миллиард[а-яё]*\b", 1e9),
    (r"трлн\.?|триллион[а-яё]*\b", 1e12),
)
SCALE_RE = "|".join(f"(?:{p})" for p, _ in SCALES)

# Currency words in all cases, symbols and codes → ISO 4217. Order matters: the
# qualified names ("белорусских рублей") must be tried before the bare ones.
CURRENCIES: tuple[tuple[str, str], ...] = (
    (r"белорусск[а-яё]*\s+рубл[а-яё]*", "BYN"),
    (r"(?:российск[а-яё]*\s+)?рубл(?:ь|я|ю|ем|е|и|ей|ям|ями|ях)\b|руб\.?(?![а-яё])|₽|rub\b", "RUB"),
    (
        r"(?:американск[а-яё]*\s+)?доллар(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b(?:\s+сша\b)?"
        r"|долл\.?(?:\s+сша\b)?|\$|usd\b",
        "USD",
    ),
    (r"евро\b|€|eur\b", "EUR"),
    (r"тенге\b|₸|kzt\b", "KZT"),
    (r"(?:узбекск[а-яё]*\s+)?сум(?:а|у|ом|ов|ам|ами|ах)?\b|uzs\b", "UZS"),
    (r"(?:китайск[а-яё]*\s+)?юан(?:ь|я|ю|ем|е|и|ей|ям|ями|ях)\b|cny\b|rmb\b", "CNY"),
    (r"сомони\b|tjs\b", "TJS"),
    (r"(?:кыргызск[а-яё]*\s+|киргизск[а-яё]*\s+)?сом(?:а|у|ом|ов|ам|ами|ах)?\b|kgs\b", "KGS"),
    (r"туркменск[а-яё]*\s+манат[а-яё]*|tmt\b", "TMT"),
    (r"(?:азербайджанск[а-яё]*\s+)?манат(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b|azn\b", "AZN"),
    (r"фунт[а-яё]*\s+стерлинг[а-яё]*|британск[а-яё]*\s+фунт[а-яё]*|£|gbp\b", "GBP"),
    (r"кипрск[а-яё]*\s+фунт[а-яё]*|cyp\b", "CYP"),
    (r"египетск[а-яё]*\s+фунт[а-яё]*|egp\b", "EGP"),
    (r"(?:японск[а-яё]*\s+)?[ий]ен(?:а|ы|е|у|ой|ам|ами|ах)?\b|jpy\b", "JPY"),
    (r"турецк[а-яё]*\s+лир[а-яё]*|try\b", "TRY"),
    (r"дирхам[а-яё]*|aed\b", "AED"),
    (r"(?:южнокорейск[а-яё]*|корейск[а-яё]*)\s+вон\b|krw\b", "KRW"),
    (r"(?:индийск[а-яё]*\s+)?рупи[а-яё]*|inr\b", "INR"),
    (r"гривн[а-яё]*|uah\b", "UAH"),
    (r"лари\b|gel\b", "GEL"),
    (r"драм(?:а|ов|ам|ами|ах)?\b|amd\b", "AMD"),
    (r"швейцарск[а-яё]*\s+франк[а-яё]*|chf\b", "CHF"),
)
CURRENCY_RES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), code) for p, code in CURRENCIES
)
PREFIX_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₸": "KZT", "₽": "RUB"}

PERCENT_RE = re.compile(r"%|процент(?:а|у|ом|е|ы|ов|ам|ами|ах)?\b(?!н)", re.IGNORECASE)
POINTS_RE = re.compile(r"п\.\s?п\.|процентн(?:ых|ого|ый|ые|ым|ыми)\s+пункт[а-яё]*", re.IGNORECASE)

# Number words we trust only next to a scale word ("два миллиарда долларов",
# "полтора млн"); alone they are too often pronouns ("один из крупнейших").
NUMBER_WORDS: dict[str, float] = {
    "один": 1, "одна": 1, "одного": 1, "одной": 1, "одну": 1, "одним": 1, "одном": 1,
    "полтора": 1.5, "полутора": 1.5,
    "два": 2, "две": 2, "двух": 2, "двум": 2, "двумя": 2,
    "три": 3, "трех": 3, "трёх": 3, "трем": 3, "трём": 3, "тремя": 3,
    "четыре": 4, "четырех": 4, "четырёх": 4, "четырем": 4, "четырьмя": 4,
    "пять": 5, "пяти": 5, "пятью": 5, "шесть": 6, "шести": 6, "шестью": 6,
    "семь": 7, "семи": 7, "семью": 7, "восемь": 8, "восьми": 8, "восемью": 8,
    "девять": 9, "девяти": 9, "девятью": 9, "десять": 10, "десяти": 10, "десятью": 10,
    "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30,
    "сорок": 40, "сорока": 40, "пятьдесят": 50, "пятидесяти": 50,
    "сто": 100, "ста": 100, "двести": 200, "двухсот": 200, "триста": 300, "трехсот": 300,
    "пятьсот": 500, "пятисот": 500,
}  # fmt: skip
NUMBER_WORD_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

# Qualifiers are read from the words right before the figure. Longer phrases first:
# "не более" must win over "более".
QUALIFIER_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"не\s+менее|не\s+меньше|как\s+минимум|минимум|по\s+меньшей\s+мере|от", "ge"),
    (
        r"не\s+более|не\s+больше|не\s+свыше|не\s+превыша[а-яё]*|не\s+превыс[а-яё]*|максимум"
        r"|вплоть\s+до|в\s+пределах|до",
        "le",
    ),
    (
        r"более\s+чем|больше\s+чем|более|больше|свыше|сверх|с\s+лишним|превыси[а-яё]*"
        r"|превыша[а-яё]*|перевали[а-яё]*\s+за",
        "gt",
    ),
    (r"менее\s+чем|меньше\s+чем|менее|меньше|ниже", "lt"),
    (
        r"около|порядка|почти|примерно|приблизительно|ориентировочно|практически"
        r"|без\s+малого|в\s+районе|в\s+среднем",
        "approx",
    ),
)
_QUALIFIER_RES = tuple(
    (re.compile(rf"(?:^|[\s(«\"])(?:{p})\s*$", re.IGNORECASE), q) for p, q in QUALIFIER_PATTERNS
)
_POST_QUALIFIER_RE = re.compile(r"^\s*(?:и|или)\s+(?:более|больше|свыше)\b", re.IGNORECASE)


class NumberError(ValueError):
    """Text that looked like a number but is not one we can read."""


def parse_number(text: str) -> float:
    """Read "13,5", "1 200 000", "1.200.000", "2.5" into a float.

    A comma is always a decimal mark in Russian; a dot is a decimal mark unless it
    separates two or more groups of exactly three digits.
    """
    s = re.sub(_SP, "", text.strip())
    if not s:
        raise NumberError(f"not a number: {text!r}")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", s):
        s = s.replace(".", "")
    s = s.replace(",", ".")
    try:
        value = float(s)
    except ValueError as exc:
        raise NumberError(f"not a number: {text!r}") from exc
    if not math.isfinite(value):  # a run of hundreds of digits is no figure (issue 12)
        raise NumberError(f"not a figure: {len(s)} characters long")
    return value


def scale_of(word: str) -> float:
    """The multiplier of a scale word ("млн", "миллиарда", "тыс.") or 1.0."""
    w = word.strip().lower()
    for pattern, mult in SCALES:
        if re.fullmatch(pattern, w):
            return mult
    return 1.0


# Abbreviated units of measure, as the lemma of the full word ("км" → "километр"), so
# "120 км" and "120 километров" give one unit. Case matters: "МВт" is not "мвт" text.
MEASURE_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    (r"кв\.\s?(?:м|метр[а-яё]*)(?![а-яё])\.?|м²|м2(?!\d)", "метр"),
    (r"куб\.\s?(?:м|метр[а-яё]*)(?![а-яё])\.?|м³|м3(?!\d)", "кубометр"),
    (r"[кК][вВ]т[·.⋅]?\s?ч(?![а-яё])\.?", "киловатт-час"),
    (r"[мМ]Вт[·.⋅]?\s?ч(?![а-яё])\.?", "мегаватт-час"),
    (r"[гГ]Вт[·.⋅]?\s?ч(?![а-яё])\.?", "гигаватт-час"),
    (r"кВт(?![а-яё])", "киловатт"),
    (r"МВт(?![а-яё])", "мегаватт"),
    (r"ГВт(?![а-яё])", "гигаватт"),
    (r"км(?![а-яё²2/])\.?", "километр"),  # not "км/ч": a speed
    (r"кг(?![а-яё])\.?", "килограмм"),
    (r"га(?![а-яё])", "гектар"),
    (r"т(?![а-яё]|\.\s?[а-яё]\.)\.?", "тонна"),  # "3 млн т", not "т. е." / "т.д."
)
MEASURE_RES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), lemma) for p, lemma in MEASURE_ABBREVIATIONS
)


def measure_of(text: str) -> tuple[str, int] | None:
    """Unit lemma and match length of an abbreviated measure at the start of `text`."""
    for rx, lemma in MEASURE_RES:
        m = rx.match(text)
        if m:
            return lemma, m.end()
    return None


def currency_of(text: str) -> tuple[str, int] | None:
    """ISO code and match length of a currency written at the start of `text`."""
    for rx, code in CURRENCY_RES:
        m = rx.match(text)
        if m:
            return code, m.end()
    return None


def qualifier_before(prefix: str) -> str | None:
    """The qualifier the words just before a figure express ("более" → "gt")."""
    tail = prefix[-40:]
    for rx, q in _QUALIFIER_RES:
        if rx.search(tail):
            return q
    return None


def qualifier_after(suffix: str) -> str | None:
    """ "100 и более" says at-least, written after the figure."""
    return "ge" if _POST_QUALIFIER_RE.match(suffix) else None


def to_base(value: float) -> int | float:
    """Whole numbers as int (13500000, not 13500000.0), others rounded sensibly."""
    whole = round(value)
    if abs(value - whole) <= 1e-9 * max(1.0, abs(value)):  # 16,6 млрд is 16600000000
        return int(whole)
    return round(value, 6)


@dataclass
class Amount:
    """One figure found in text: its span, value in base units and unit if written."""

    start: int
    end: int
    value: int | float
    unit: str | None = None  # ISO code, "%", "п.п." or None (a count: noun decides)
    scaled: bool = False  # a scale word followed ("тыс.", "млн")
    number_end: int = 0  # where the number (and scale word) ends, before the unit
    scale: float = 1.0


_AMOUNT_RE = re.compile(
    rf"(?P<pre>[$€£₸₽]\s?)?"
    rf"(?:(?P<num>{NUMBER_RE})|(?P<word>\b(?:{NUMBER_WORD_RE}))(?=\s+(?:{SCALE_RE})))"
    rf"(?:\s?(?P<scale>{SCALE_RE}))?",
    re.IGNORECASE,
)


_MAYBE_AMOUNT_RE = re.compile(rf"\d|{SCALE_RE}", re.IGNORECASE)


def find_amounts(text: str) -> list[Amount]:
    """Every figure in `text` with scale and currency/percent applied.

    Nouns that count things ("100 предприятий") are left to the caller, which has
    morphology; here `unit` is only set for money and percentages.
    """
    out: list[Amount] = []
    if not _MAYBE_AMOUNT_RE.search(text):
        return out  # every figure has a digit or a scale word: most sentences have neither
    for m in _AMOUNT_RE.finditer(text):
        if m.group("num"):
            try:
                value = parse_number(m.group("num"))
            except NumberError:
                continue
        else:
            value = NUMBER_WORDS[m.group("word").lower()]
        scale = m.group("scale")
        if scale:
            value *= scale_of(scale)
        if not math.isfinite(value):
            continue
        start, end = m.start(), m.end()
        number_end = end
        unit: str | None = None
        if m.group("pre"):
            unit = PREFIX_SYMBOLS[m.group("pre").strip()]
        rest = text[end:]
        gap = len(rest) - len(rest.lstrip(" \u00a0\u202f"))
        after = rest[gap:]
        if unit is None:
            pm = POINTS_RE.match(after)
            if pm:
                unit, end = "п.п.", end + gap + pm.end()
            elif PERCENT_RE.match(after):
                unit, end = "%", end + gap + PERCENT_RE.match(after).end()  # type: ignore[union-attr]
            else:
                cur = currency_of(after)
                if cur:
                    unit, end = cur[0], end + gap + cur[1]
        mult = scale_of(scale) if scale else 1.0
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.unit is None
            and prev.scaled
            and mult < prev.scale
            and not text[prev.end : start].strip()
            and math.isfinite(prev.value + value)
        ):
            # "1 млн 145 тыс. человек" is one figure.
            prev.value = to_base(prev.value + value)
            prev.end, prev.number_end, prev.unit = end, number_end, unit
            continue
        out.append(Amount(start, end, to_base(value), unit, bool(scale), number_end, mult))
    return out
