from __future__ import annotations

from pathlib import Path

import pytest

from newsfacts.policy.footer import detect_footer, parse_policy

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_6315ff7ac969bf7d.txt"
BODY = (
    "Вице-премьер Казахстана провел переговоры с делегацией Китая.\n"
    "Стороны договорились увеличить товарооборот до 40 млрд долларов к 2030 году."
)


@pytest.mark.parametrize(
    ("footer", "share", "link", "full_text", "outlet"),
    [
        (
            "При работе с материалами Центра деловой информации Kapital.kz разрешено "
            "использование лишь 30% текста с обязательной гиперссылкой на источник. "
            "При использовании полного материала необходимо разрешение редакции.",
            0.3,
            True,
            "permission",
            "Kapital.kz",
        ),
        (
            "Перепечатка материалов допускается только с активной гиперссылкой на DelovoyKurs.kz, "
            "при этом объем цитирования не должен превышать 20% текста.",
            0.2,
            True,
            "forbidden",
            "DelovoyKurs.kz",
        ),
        (
            "Использование не более 20% текста материала разрешено с указанием источника.",
            0.2,
            False,
            "forbidden",
            None,
        ),
        ("Активная ссылка на Zakon.kz обязательна.", 1.0, True, "allowed", "Zakon.kz"),
        (
            "Полное или частичное копирование материалов запрещено.",
            0.0,
            False,
            "forbidden",
            None,
        ),
        (
            "Полное или частичное воспроизведение материалов без письменного разрешения "
            "редакции Kursiv.media запрещено.",
            0.0,
            False,
            "permission",
            "Kursiv.media",
        ),
        (
            "Перепечатка без гиперссылки на 24.kg запрещена.",
            1.0,
            True,
            "allowed",
            "24.kg",
        ),
        (
            "Цитирование материалов сайта разрешено с обязательной гиперссылкой. "
            "Для перепечатки полного текста необходимо разрешение редакции.",
            1.0,
            True,
            "permission",
            None,
        ),
    ],
)
def test_footer_wordings(
    footer: str, share: float, link: bool, full_text: str, outlet: str | None
) -> None:
    text = BODY + "\n" + footer
    match = detect_footer(text)
    assert match is not None
    assert match.start == len(BODY) + 1
    assert match.policy.max_share == pytest.approx(share)
    assert match.policy.link_required is link
    assert match.policy.full_text == full_text
    assert match.policy.origin == "footer"
    assert match.outlet == outlet


def test_footer_on_the_same_line_as_the_last_sentence() -> None:
    text = BODY + " Перепечатка материалов допускается только с активной гиперссылкой."
    match = detect_footer(text)
    assert match is not None and match.start == len(BODY) + 1


@pytest.mark.parametrize(
    "closing",
    [
        "Ссылка на полный текст соглашения опубликована на сайте министерства.",
        "Использование средств фонда будет проверено счетной палатой.",
        "Стороны обсудили защиту авторских прав и борьбу с пиратством.",
    ],
)
def test_news_sentences_are_not_footers(closing: str) -> None:
    assert detect_footer(BODY + "\n" + closing) is None


def test_policy_sentence_in_the_middle_is_not_a_footer() -> None:
    text = "Полное или частичное копирование запрещено.\n" + BODY
    assert detect_footer(text) is None


def test_parse_policy_defaults_for_rights_line() -> None:
    policy = parse_policy("© 2023 Inbusiness.kz. Все права защищены.")
    assert (policy.max_share, policy.link_required, policy.full_text) == (1.0, False, "allowed")


def test_seed_footer() -> None:
    if not SEED.exists():
        pytest.skip("../shared/seed is not available")
    text = SEED.read_text("utf-8")
    match = detect_footer(text)
    assert match is not None
    assert text[match.start :].startswith("При работе с материалами")
    assert text[: match.start].rstrip().endswith("взаимовыгодного сотрудничества.")
    assert match.policy.max_share == pytest.approx(0.3)
    assert match.policy.link_required is True
    assert match.policy.full_text == "permission"
    assert match.outlet == "Kapital.kz"


def test_cue_words_in_order_within_a_line() -> None:
    """A cue of several parts (`A.*B` before) needs them in order on one line."""
    from newsfacts.policy.footer import is_footer_sentence

    assert is_footer_sentence("Перепечатка без гиперссылки запрещена")
    assert not is_footer_sentence("Без гиперссылки перепечатка")  # parts out of order
    assert is_footer_sentence("Гиперссылка на источник обязательна")
    assert not is_footer_sentence("Гиперссылка на источник\nобязательна")
    assert is_footer_sentence("© Kapital.kz")
    assert not is_footer_sentence("Текст\n© Kapital.kz")  # © only opens the sentence


def test_run_on_text_is_not_searched_as_a_footer() -> None:
    """One line with no sentence end and every cue word repeated (issue 12): the
    cues used to backtrack over it quadratically (a 5-million-character line held
    ingest for more than 10 minutes); it is too long to be a footer, and the cue
    search is one pass, so a million characters take a fraction of a second."""
    from newsfacts.policy.footer import MAX_FOOTER_SENTENCE_CHARS, is_footer_sentence

    words = "перепечатка копирование материалов без ссылка обязательна лишь 30% "
    line = words * (1_000_000 // len(words))
    assert detect_footer(BODY + "\n" + line) is None
    assert not is_footer_sentence(line)
    cue = "Перепечатка материалов допускается только с гиперссылкой."
    padded = "слово " * ((MAX_FOOTER_SENTENCE_CHARS - len(cue)) // 6) + cue
    assert len(padded) > MAX_FOOTER_SENTENCE_CHARS - 6
    assert is_footer_sentence(padded)
    assert not is_footer_sentence("слово " + padded)
