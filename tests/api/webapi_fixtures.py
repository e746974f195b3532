"""Hand-made fact records (our own short articles) for API and page tests.

Offsets are computed from the text, so the articles can be edited freely.
"""

from __future__ import annotations

from typing import Any

from newsfacts.model import Article, Entity, Fact, Policy, Record, article_id

TOKEN = "test-token-123"


def _span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return (start, start + len(needle))


def _sentence(text: str, needle: str) -> tuple[int, int]:
    """The sentence (up to the next full stop) that contains `needle`."""
    s, _ = _span(text, needle)
    stop = text.rfind(". ", 0, s)
    begin = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, s) + 1)
    end = text.find(".", s)
    return (begin, end + 1 if end >= 0 else len(text))


def build(
    text: str,
    *,
    title: str,
    source: str | None,
    url: str | None,
    published: str | None,
    entities: list[tuple[str, str, str, list[str], dict[str, Any]]],
    facts: list[tuple[str, dict[str, Any], str, dict[str, Any]]],
    policy: Policy | None = None,
) -> Record:
    art = Article(
        id=article_id(text),
        text=text,
        title=title,
        source=source,
        url=url,
        published=published,
        policy=policy or Policy(),
    )
    ents = []
    for eid, etype, name, surfaces, extra in entities:
        mentions = [_span(text, s) for s in surfaces]
        ents.append(Entity(id=eid, type=etype, name=name, mentions=mentions, **extra))
    fs = []
    for ftype, args, evidence_needle, extra in facts:
        fs.append(
            Fact(
                type=ftype,
                args=args,
                evidence=[_sentence(text, evidence_needle)],
                confidence=extra.pop("confidence", 0.8),
                **extra,
            )
        )
    return Record(article=art, entities=ents, facts=fs, extractor_version="test-1")


ALMATY_TEXT = (
    "Италия готова профинансировать создание в Алматы центра дизайна. "
    "Аким Алматы Ерболат Досаев встретился с послом Италии Марко Альберти. "
    "Стороны обсудили открытие прямого авиасообщения между Алматы и Миланом. "
    "Товарооборот между Казахстаном и Италией по итогам 2021 года составил 15,2 млрд долларов США. "
    "Посол предложил провести в сентябре неделю итальянского кино в Алматы. "
    "При работе с материалами разрешено использование лишь 30% текста с обязательной "
    "гиперссылкой на источник."
)

TASHKENT_TEXT = (
    "Министр инвестиций Узбекистана Лазиз Кудратов провел переговоры с послом Турции "
    "Олгаем Булуту в Ташкенте. Товарооборот между Узбекистаном и Турцией в 2022 году "
    "достиг 3,1 млрд долларов США. Стороны договорились запустить совместный текстильный "
    "кластер в Намангане."
)

BISHKEK_TEXT = (
    "Мэр Бишкека Айбек Джунушалиев встретился с послом Италии Марко Альберти. "
    "Товарооборот между Казахстаном и Италией в 2022 году составил 17,8 млрд долларов США, "
    "сообщил посол. Стороны обсудили строительство в Бишкеке итальянской школы."
)


def almaty_record() -> Record:
    t = ALMATY_TEXT
    return build(
        t,
        title="Италия готова профинансировать центр дизайна в Алматы",
        source="kapital.kz",
        url="https://kapital.kz/economic/100/italiya-centr.html",
        published="2022-04-28",
        policy=Policy(max_share=0.3, link_required=True, full_text="permission", origin="footer"),
        entities=[
            (
                "E1",
                "location",
                "Италия",
                ["Италия", "Италии"],
                {"subtype": "country", "code": "IT"},
            ),
            ("E2", "location", "Алматы", ["Алматы"], {"subtype": "city", "country": "KZ"}),
            ("E3", "person", "Ерболат Досаев", ["Ерболат Досаев"], {"aliases": ["Досаев"]}),
            ("E4", "person", "Марко Альберти", ["Марко Альберти"], {}),
            ("E5", "location", "Казахстан", ["Казахстаном"], {"subtype": "country", "code": "KZ"}),
            ("E6", "location", "Милан", ["Миланом"], {"subtype": "city", "country": "IT"}),
        ],
        facts=[
            (
                "intent",
                {
                    "agent": "E1",
                    "action": "профинансировать",
                    "object": "центр дизайна",
                    "place": "E2",
                },
                "Италия готова",
                {"modality": "readiness"},
            ),
            (
                "occupation",
                {"person": "E3", "position": "аким", "where": "E2"},
                "Аким Алматы",
                {"confidence": 0.93},
            ),
            ("meeting", {"participants": ["E3", "E4"], "place": "E2"}, "встретился с послом", {}),
            (
                "launch",
                {"object": "прямое авиасообщение", "route": ["E2", "E6"]},
                "авиасообщения",
                {},
            ),
            (
                "quantity",
                {
                    "indicator": "товарооборот",
                    "subjects": ["E5", "E1"],
                    "value": 15_200_000_000,
                    "unit": "USD",
                    "qualifier": "eq",
                    "period": "2021",
                },
                "Товарооборот",
                {},
            ),
            (
                "proposal",
                {"proposer": "E4", "proposal": "неделя итальянского кино", "place": "E2"},
                "Посол предложил",
                {},
            ),
        ],
    )


def tashkent_record() -> Record:
    t = TASHKENT_TEXT
    return build(
        t,
        title="Узбекистан и Турция создадут текстильный кластер",
        source="example.uz",
        url=None,
        published="2023-03-10",
        entities=[
            ("E1", "person", "Лазиз Кудратов", ["Лазиз Кудратов"], {}),
            (
                "E2",
                "location",
                "Узбекистан",
                ["Узбекистана", "Узбекистаном"],
                {"subtype": "country", "code": "UZ"},
            ),
            ("E3", "person", "Олгай Булуту", ["Олгаем Булуту"], {}),
            (
                "E4",
                "location",
                "Турция",
                ["Турции", "Турцией"],
                {"subtype": "country", "code": "TR"},
            ),
            ("E5", "location", "Ташкент", ["Ташкенте"], {"subtype": "city", "country": "UZ"}),
        ],
        facts=[
            (
                "occupation",
                {"person": "E1", "position": "министр инвестиций", "where": "E2"},
                "Министр",
                {},
            ),
            ("meeting", {"participants": ["E1", "E3"], "place": "E5"}, "переговоры", {}),
            (
                "quantity",
                {
                    "indicator": "Товарооборот",
                    "subjects": ["E2", "E4"],
                    "value": 3_100_000_000,
                    "unit": "USD",
                    "qualifier": "eq",
                    "period": "2022",
                },
                "Товарооборот",
                {},
            ),
            (
                "intent",
                {"agent": "E2", "action": "запустить", "object": "текстильный кластер"},
                "договорились",
                {"modality": "agreement"},
            ),
        ],
    )


def bishkek_record() -> Record:
    t = BISHKEK_TEXT
    return build(
        t,
        title="Мэр Бишкека встретился с послом Италии",
        source="ru.wikinews.org",
        url="https://ru.wikinews.org/wiki/Bishkek_Italy",
        published="2023-05-02",
        entities=[
            ("E1", "person", "Айбек Джунушалиев", ["Айбек Джунушалиев"], {}),
            (
                "E2",
                "location",
                "Бишкек",
                ["Бишкека", "Бишкеке"],
                {"subtype": "city", "country": "KG"},
            ),
            ("E3", "person", "Марко Альберти", ["Марко Альберти"], {}),
            (
                "E4",
                "location",
                "Италия",
                ["Италии", "Италией"],
                {"subtype": "country", "code": "IT"},
            ),
            ("E5", "location", "Казахстан", ["Казахстаном"], {"subtype": "country", "code": "KZ"}),
        ],
        facts=[
            ("occupation", {"person": "E1", "position": "мэр", "where": "E2"}, "Мэр", {}),
            ("meeting", {"participants": ["E1", "E3"]}, "встретился", {}),
            (
                "quantity",
                {
                    "indicator": "товарооборот",
                    "subjects": ["E5", "E4"],
                    "value": 17_800_000_000,
                    "unit": "USD",
                    "qualifier": "eq",
                    "period": "2022",
                },
                "Товарооборот",
                {},
            ),
            (
                "discussion",
                {"participants": ["E1", "E3"], "topic": "итальянская школа"},
                "обсудили",
                {},
            ),
        ],
    )


def all_records() -> list[Record]:
    return [almaty_record(), tashkent_record(), bishkek_record()]
