from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.ingest.clean import (
    Rejected,
    clean,
    domain_of,
    normalize_date,
    normalize_text,
    repair_glued_sentences,
)
from newsfacts.ingest.readers import read_path
from newsfacts.model import RawDocument, article_id

BODY = (
    "Председатель правления АО «Байтерек» Канат Шарлапаев провел встречу с "
    "делегацией Всемирного банка. Стороны обсудили финансирование проектов в сфере "
    "водоснабжения на сумму 250 млн долларов в этом году."
)


def test_normalisation_nbsp_soft_hyphen_whitespace() -> None:
    raw = "  Товаро\u00adоборот\u00a0вырос  на\t12%.\r\n\r\n\r\nВ  2022 году\u200b он составил 5 млрд тенге. "
    assert (
        normalize_text(raw) == "Товарооборот вырос на 12%.\nВ 2022 году он составил 5 млрд тенге."
    )


def test_nfc() -> None:
    decomposed = "Казахстан и Россия обсудили транзит. Объем вырос на 10%. Тариф и\u0306"
    assert normalize_text(decomposed).endswith("Тариф й")


def test_boilerplate_lines_removed_but_news_kept() -> None:
    text = "\n".join(
        [
            BODY,
            "Читайте также: Нацбанк сохранил базовую ставку",
            "Фото: пресс-служба АО «Байтерек»",
            "Поделиться: Telegram WhatsApp",
            "Подписывайтесь на наш Telegram-канал",
            "Фотовыставка казахстанских художников откроется в Астане в сентябре.",
        ]
    )
    art = clean(RawDocument(text=text))
    assert (
        art.text == BODY + "\nФотовыставка казахстанских художников откроется в Астане в сентябре."
    )


def test_title_leads_the_text_once() -> None:
    art = clean(
        RawDocument(text="Байтерек и Всемирный банк\n" + BODY, title="Байтерек и Всемирный банк")
    )
    assert art.text == "Байтерек и Всемирный банк\n" + BODY


@pytest.mark.parametrize(
    ("glued", "left", "right"),
    [
        ("перспектив сотрудничестваАким города", "сотрудничества", "Аким"),
        ("развития регионаВице-министр отметил", "региона", "Вице-министр"),
        ("инвестиций в КазахстанеПосол заявил", "Казахстане", "Посол"),
        ("по итогам годаТоварооборот вырос", "года", "Товарооборот"),
        ("культурно-гуманитарного сотрудничестваСтороны", "сотрудничества", "Стороны"),
        ("в торгово-экономическойСфере", "торгово-экономической", "Сфере"),
    ],
)
def test_glued_sentence_split(glued: str, left: str, right: str) -> None:
    text, repairs = repair_glued_sentences(glued)
    assert f"{left}.\n{right}" in text
    assert len(repairs) == 1
    assert repairs[0].kind == "split_glued_sentence"
    assert text[repairs[0].at] == "." and text[: repairs[0].at].endswith(left)


@pytest.mark.parametrize(
    "name",
    [
        "КазМунайГаз",
        "ЕвразХолдинг",
        "iPhone",
        "PayPal",
        "СберБанк",
        "КазТрансЭнерго",
        "ТрансКом",
        "мРНК",
        "ЦентрКредит",
        # CamelCase names seen in the FactRuEval and NEREL dev texts
        "МакЛарен",
        "ВымпелКом",
        "УралМетКом",
        "АрмРосГазпром",
        "АргоРечТур",
        "АвиаСервис",
        "СантехМастер",
        "ПрофМедиа",
        "ТиДжей",
        "Яндекс.Новости",
        "г.Алматы",
        "А.Н.Иванов",
    ],
)
def test_camelcase_names_not_split(name: str) -> None:
    text = f"Компания {name} в этом году увеличила выручку."
    assert repair_glued_sentences(text) == (text, [])


@pytest.mark.parametrize(
    ("glued", "repaired"),
    [
        ("по итогам года.Аким города", "по итогам года. Аким города"),
        ("Стороны договорились!Посол", "Стороны договорились! Посол"),
        ("на ул.Абая открыли", "на ул. Абая открыли"),
    ],
)
def test_missing_space_after_sentence_end(glued: str, repaired: str) -> None:
    text, repairs = repair_glued_sentences(glued)
    assert text == repaired
    (repair,) = repairs
    assert repair.kind == "space_after_punctuation" and text[repair.at] == " "


def test_repair_offsets_point_into_cleaned_text() -> None:
    raw = (
        "Стороны обсудили сотрудничествоАким пообещал помощь. Объем вырос в регионеМинистр доволен."
    )
    art = clean(RawDocument(text=raw))
    assert [art.text[r.at : r.at + 2] for r in art.repairs] == [".\n", ".\n"]
    assert "сотрудничество.\nАким" in art.text and "регионе.\nМинистр" in art.text


def test_footer_cut_policy_and_source_from_outlet() -> None:
    raw = (
        BODY
        + "\nПерепечатка материалов допускается только с активной гиперссылкой на Kursiv.media."
    )
    art = clean(RawDocument(text=raw))
    assert art.text == BODY
    assert art.source == "kursiv.media"
    assert art.policy.link_required and art.policy.origin == "footer"


def test_footer_glued_to_last_sentence() -> None:
    raw = BODY.rstrip(".") + "При работе с материалами разрешено использование не более 20% текста."
    art = clean(RawDocument(text=raw))
    assert art.text == BODY
    assert art.policy.max_share == pytest.approx(0.2)
    assert [r.at for r in art.repairs] == [len(BODY) - 1]


def test_url_domain_wins_over_footer_outlet() -> None:
    raw = BODY + "\nАктивная ссылка на Kapital.kz обязательна."
    art = clean(RawDocument(text=raw, url="https://www.Inbusiness.kz/ru/news/1"))
    assert art.source == "inbusiness.kz"


def test_default_policy_without_footer() -> None:
    art = clean(RawDocument(text=BODY))
    assert art.policy.max_share == 1.0 and art.policy.origin == "default"
    assert art.id == article_id(BODY)
    assert art.language == "ru"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-05-17T10:24:00+06:00", "2023-05-17"),
        ("2023-05-17", "2023-05-17"),
        ("17.05.2023", "2023-05-17"),
        ("Tue, 14 Mar 2023 23:30:00 +0500", "2023-03-14"),
        ("17 мая 2023", "2023-05-17"),
        ("2023-13-45", None),
        ("вчера вечером", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(value: str | None, expected: str | None) -> None:
    assert normalize_date(value) == expected


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.Kapital.kz/economic/1", "kapital.kz"),
        ("kapital.kz/news", "kapital.kz"),
        ("not a url", None),
        (None, None),
        ("http://[broken", None),
    ],
)
def test_domain_of(url: str | None, domain: str | None) -> None:
    assert domain_of(url) == domain


def test_rejects_english() -> None:
    with pytest.raises(Rejected, match="'en'"):
        clean(
            RawDocument(
                text="Kazakhstan and Italy discussed direct flights between Almaty and Milan this year."
            )
        )


def test_rejects_kazakh() -> None:
    kazakh = (
        "Алматы қаласының әкімі Италия елшісімен кездесті. Тараптар сауда-экономикалық "
        "және мәдени-гуманитарлық ынтымақтастықты нығайту мәселелерін талқылады."
    )
    with pytest.raises(Rejected, match="'kk'"):
        clean(RawDocument(text=kazakh, origin="kz.txt"))


def test_rejects_text_that_is_only_furniture() -> None:
    with pytest.raises(Rejected, match="no text left"):
        clean(RawDocument(text="Читайте также: курс тенге\nФото: архив\n\u00a0"))


def test_examples_clean_and_ids_are_stable(examples_dir: Path) -> None:
    files = [p for p in sorted(examples_dir.iterdir()) if p.is_file() and p.suffix != ".md"]
    raws = [r for p in files for r in read_path(p)]
    first = [clean(r) for r in raws]  # type: ignore[arg-type]
    again = [clean(r) for r in raws]  # type: ignore[arg-type]
    assert [a.id for a in first] == [a.id for a in again]
    assert len({a.id for a in first}) == 8
    by_name = {
        Path((r.origin or "").split("#")[0].rsplit(":", 1)[0]).name: a
        for r, a in zip(raws, first, strict=True)
    }
    germany = by_name["03_kazakhstan_germany.txt"]
    assert germany.policy.max_share == pytest.approx(0.2) and germany.source == "delovoykurs.kz"
    assert "Перепечатка" not in germany.text
    assert "региона.\nВице-министр" in germany.text
    appointment = by_name["02_kaztransenergo_appointment.txt"]
    assert appointment.repairs == []  # КазМунайГаз, ЕвразХолдинг, КазТрансЭнерго intact
    assert by_name["04_bishkek_plant.html"].published == "2023-05-17"
    assert "Фото:" not in by_name["04_bishkek_plant.html"].text
