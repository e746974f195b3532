"""The relation components skip what they cannot read instead of failing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from newsfacts.model import Article
from newsfacts.pipeline import Doc, Pipeline

COMPONENTS = ("natasha", "entities", "coref", "dates", "occupation", "meeting", "deal", "ownership")
RELATIONS = ("occupation", "meeting", "deal", "ownership")


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n ", "...", "посол", "Встреча. Сделка. Владелец.", "123 456 789 %%% ###"],
)
def test_odd_input_gives_no_facts(nlp_doc: Callable[..., Doc], text: str) -> None:
    doc = nlp_doc(text, None, COMPONENTS)
    assert [f for f in doc.facts if f.type in RELATIONS] == []


def test_components_skip_a_doc_without_the_natasha_layer() -> None:
    pipeline = Pipeline(list(RELATIONS))  # no "natasha": doc.nlp stays None
    doc = pipeline.make_doc(
        Article(id="x", text="Посол Италии Марко Альберти встретился с акимом.")
    )
    assert doc.facts == []


def test_long_run_on_sentence_stays_linear_enough(nlp_doc: Callable[..., Doc]) -> None:
    """A list of 300 posts and names without a full stop still yields its facts."""
    parts = ["директор компании «Альфа» Иван Петров", "глава банка «Бета» Асель Нурова"]
    text = ", ".join(parts * 150) + "."
    doc = nlp_doc(text, None, COMPONENTS)
    jobs = [f for f in doc.facts if f.type == "occupation"]
    assert jobs and all(f.evidence and f.args.get("person") for f in jobs)
