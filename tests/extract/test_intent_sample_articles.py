"""Six short articles of our own, in the seed's style, for the statement extractors.

They are the hand-checked sample behind the precision figure in the report: run

    .venv/bin/python tests/extract/test_intent_sample_articles.py

to print every statement fact with its sentence, and judge each one by hand. The
tests below pin a few facts per article so a regression shows up in pytest too.
"""

from __future__ import annotations

import json

from newsfacts.extract.discussion import extract_discussions
from newsfacts.extract.intent import extract_intents
from newsfacts.extract.launch import extract_launches
from newsfacts.extract.plan import extract_plans
from newsfacts.extract.proposal import extract_proposals
from newsfacts.pipeline import Doc

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation")
PUBLISHED = "2024-05-20"
STATEMENTS = ("intent", "proposal", "plan", "launch", "discussion")
ARTICLES = [
    """Казахстан и Корея запустят совместное производство аккумуляторов
Министр промышленности и строительства Казахстана Канат Шарлапаев провел переговоры с вице-министром торговли, промышленности и энергетики Республики Корея Чхве Сан Моком, сообщает пресс-служба ведомства. Стороны обсудили реализацию совместных проектов в сфере машиностроения и переработки редкоземельных металлов.
Корейская сторона выразила готовность инвестировать в строительство завода по производству литий-ионных аккумуляторов в Павлодарской области. Первую очередь предприятия планируется ввести в эксплуатацию в 2026 году.
Канат Шарлапаев предложил создать в Астане совместный инжиниринговый центр для подготовки кадров. Кроме того, министры договорились провести в ноябре заседание рабочей группы по промышленной кооперации.
По итогам 2023 года товарооборот между странами составил 6,5 млрд долларов.""",
    """В Актобе заработал новый завод по выпуску труб
В Актобе начал работу завод по производству полиэтиленовых труб мощностью 20 тысяч тонн в год. Стоимость проекта составила 12 млрд тенге, сообщает акимат области.
На церемонии открытия аким Актюбинской области Асхат Шахаров отметил, что предприятие создаст 150 рабочих мест. По его словам, в следующем году в регионе планируется открытие еще двух производств строительных материалов.
Директор компании Ерлан Нурпеисов пообещал довести долю местного сырья до 60% к 2027 году. Компания также намерена выйти на рынки России и Узбекистана.""",
    """Узбекистан и Таджикистан откроют новые пункты пропуска
Президенты Узбекистана и Таджикистана Шавкат Мирзиёев и Эмомали Рахмон провели телефонный разговор. Главы государств рассмотрели ход выполнения договоренностей, достигнутых в ходе визита в Душанбе.
Стороны договорились открыть до конца года два новых пункта пропуска на границе. С 1 марта запущены регулярные пассажирские поезда по маршруту Ташкент – Душанбе – Ташкент.
Эмомали Рахмон предложил провести в Самарканде бизнес-форум двух стран. Узбекская сторона готова поставить в Таджикистан 500 тысяч тонн зерна.""",
    """Кыргызстан намерен привлечь инвестиции в гидроэнергетику
Министр энергетики Кыргызстана Таалайбек Ибраев встретился с вице-президентом Всемирного банка Антонеллой Бассани. Во время встречи обсуждались вопросы финансирования строительства Камбаратинской ГЭС-1.
Всемирный банк готов выделить грант на подготовку технико-экономического обоснования проекта. Таалайбек Ибраев заявил, что Кыргызстан намерен завершить строительство станции к 2030 году.
Кроме того, в Бишкеке открыт региональный офис Всемирного банка. Стороны согласились создать совместную рабочую группу. Готовый проект будет представлен инвесторам в декабре.""",
    """Азербайджан предложил Казахстану расширить транзит по Среднему коридору
Министр цифрового развития и транспорта Азербайджана Рашад Набиев провел встречу с министром транспорта Казахстана Мараты Карабаевым в Баку. Министры обсудили увеличение грузоперевозок по Транскаспийскому международному транспортному маршруту.
Рашад Набиев предложил увеличить число паромов между портами Актау и Алят. Казахстанская сторона пообещала модернизировать порт Курык до конца 2025 года.
В апреле стартовал контейнерный сервис Китай – Казахстан – Азербайджан – Грузия. В этом году планируется строительство нового терминала в порту Актау.""",
    """В Шымкенте откроется центр поддержки экспортеров
Аким Шымкента Габит Сыздыкбеков провел встречу с представителями деловых кругов Турции. Участники встречи обсудили создание текстильного кластера в индустриальной зоне «Тассай».
Турецкие компании готовы вложить в проект около 100 млн долларов. Аким предложил инвесторам земельные участки с готовой инфраструктурой.
В мае в Шымкенте откроется центр поддержки экспортеров. Власти города не планируют повышать тарифы на коммунальные услуги.""",
]


def run(doc: Doc) -> Doc:
    for extract in (
        extract_intents,
        extract_proposals,
        extract_plans,
        extract_launches,
        extract_discussions,
    ):
        extract(doc)
    return doc


def facts_of(nlp_doc, i: int) -> list[tuple[str, str | None, dict]]:
    doc = run(nlp_doc(ARTICLES[i], published=PUBLISHED, components=COMPONENTS))

    def show(value: object) -> object:
        if isinstance(value, list):
            return [show(v) for v in value]
        ent = doc.entity(value) if isinstance(value, str) else None
        return ent.name if ent else value

    return [
        (f.type, f.modality, {k: show(v) for k, v in f.args.items()})
        for f in doc.facts
        if f.type in STATEMENTS
    ]


def find(facts: list, fact_type: str, **expected: object) -> dict:
    for ftype, _, args in facts:
        if ftype == fact_type and all(args.get(k) == v for k, v in expected.items()):
            return args
    raise AssertionError(f"no {fact_type} with {expected} in {facts}")


def test_battery_plant_article(nlp_doc) -> None:
    facts = facts_of(nlp_doc, 0)
    find(facts, "intent", action="инвестировать", place="Павлодарская область")
    find(facts, "proposal", place="Астана")
    # «Первую очередь планируется ввести в эксплуатацию в 2026 году»: a planned launch
    # (spec 4.7), not a second, agentless plan of the same thing
    find(facts, "launch", object="Первая очередь", time="2026")
    assert not any(t == "plan" and a.get("action") == "ввести" for t, _m, a in facts)
    find(facts, "intent", action="провести", time="2024-11")


def test_pipe_plant_article(nlp_doc) -> None:
    facts = facts_of(nlp_doc, 1)
    find(facts, "launch", place="Актобе")
    find(facts, "intent", action="довести", time="2027")
    # a numeral before the head freezes the phrase as written
    find(facts, "plan", action="открытие", object="еще двух производств строительных материалов")
    assert all(args.get("object") != "Актюбинская область" for _, _, args in facts)


def test_border_crossings_article(nlp_doc) -> None:
    facts = facts_of(nlp_doc, 2)
    launch = find(facts, "launch", object="регулярные пассажирские поезда")
    assert launch["route"] == ["Ташкент", "Душанбе", "Ташкент"]
    assert (launch["time"], launch["time_kind"]) == ("2024-03-01", "since")
    find(facts, "proposal", proposer="Эмомали Рахмон", place="Самарканд")


def test_hydropower_article(nlp_doc) -> None:
    facts = facts_of(nlp_doc, 3)
    find(facts, "launch", object="региональный офис Всемирного банка", place="Бишкек")
    find(facts, "intent", action="завершить", agent="Кыргызстан")
    # "Готовый проект будет представлен" is no readiness
    assert [a for t, m, a in facts if m == "readiness"] == [
        find(facts, "intent", action="выделить")
    ]


def test_middle_corridor_article(nlp_doc) -> None:
    facts = facts_of(nlp_doc, 4)
    launch = find(facts, "launch", object="контейнерный сервис")
    assert launch["route"] == ["Китай", "Казахстан", "Азербайджан", "Грузия"]
    find(facts, "plan", action="строительство")


def test_exporters_centre_article(nlp_doc) -> None:
    facts = facts_of(nlp_doc, 5)
    find(facts, "launch", object="центр поддержки экспортеров", place="Шымкент", time="2024-05")
    # "Власти города не планируют повышать тарифы": negated, no intent
    assert all(args.get("action") != "повышать" for _, _, args in facts)


if __name__ == "__main__":  # print the sample for hand-checking
    from newsfacts.model import Article, article_id
    from newsfacts.pipeline import Pipeline

    pipeline = Pipeline(list(COMPONENTS))
    for text in ARTICLES:
        doc = run(pipeline.make_doc(Article(article_id(text), text, published=PUBLISHED)))
        print("####", text.splitlines()[0])
        for fact in doc.facts:
            if fact.type in STATEMENTS:
                start, end = fact.evidence[0]
                print(
                    f"{fact.type:<10} {fact.modality or '':<10}",
                    json.dumps(fact.args, ensure_ascii=False),
                )
                print("           ", doc.text[start:end])
