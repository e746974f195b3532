"""Issue 12: what counts as a verbatim run of an article's text (`verbatim.windows`)."""

from __future__ import annotations

from newsfacts.policy.verbatim import LONG_RUN, MIN_RUN, TextIndex, countable, windows


def _runs(value: str) -> set[str]:
    return {value[i : i + n] for i, n in windows(value)}


def test_three_words_in_twelve_characters_are_text() -> None:
    assert countable("Досаев и пос")
    assert "Досаев и пос" in _runs("Досаев и посол")


def test_one_or_two_words_are_a_name_or_a_term() -> None:
    for value in ("Ерболат Досаев", "профинансировать", "пресс-служба Акорды"):
        assert not _runs(value), value


def test_twenty_characters_count_whatever_they_touch() -> None:
    assert "Министерства иностра" in _runs("Министерства иностранных")
    assert len(next(iter(_runs("Нурекской гидроэлектростанции")))) == LONG_RUN


def test_runs_start_and_end_inside_words() -> None:
    # a space next to a 19-character name, or a one-letter fragment, adds nothing
    assert not _runs(" Данияр Амангельдиев")
    assert not _runs("иёр Саидов п")
    assert all(
        len(r) in (MIN_RUN, LONG_RUN) and r[0].isalnum() and r[-1].isalnum()
        for r in _runs("Аким города встретился с послом, сообщили в акимате.")
    )


def test_index_reveals_every_occurrence() -> None:
    text = "Стороны обсудили запуск рейса. Позже стороны обсудили запуск рейса."
    spans = TextIndex(text).revealed("обсудили запуск рейса")
    assert len(spans) == 2
    assert all(text[a:b] in "обсудили запуск рейса" for a, b in spans)
