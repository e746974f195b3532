"""Shared fixtures for the extract tests: natasha models load once per session.

`nlp_doc(text, published=None, components=("natasha", "entities", "coref"))` returns
a fresh `Doc` after the named components ran; fact-extractor tests can pass a longer
list (e.g. `(*BASE_COMPONENTS, "dates", "occupation")`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from newsfacts.model import Article, article_id
from newsfacts.pipeline import Doc, Pipeline

BASE_COMPONENTS = ("natasha", "entities", "coref")


@pytest.fixture(scope="session")
def nlp_doc() -> Callable[..., Doc]:
    pipelines: dict[tuple[str, ...], Pipeline] = {}

    def make(
        text: str, published: str | None = None, components: Sequence[str] = BASE_COMPONENTS
    ) -> Doc:
        key = tuple(components)
        if key not in pipelines:
            pipelines[key] = Pipeline(list(key))
        article = Article(id=article_id(text), text=text, published=published)
        return pipelines[key].make_doc(article)

    return make


def occupation_posts(doc: Doc) -> set[tuple[str, str, str | None, str | None]]:
    """(person, position, where, phase) of every occupation fact."""
    out = set()
    for f in doc.facts:
        if f.type != "occupation":
            continue
        where = doc.entity(f.args["where"]).name if f.args.get("where") else None
        out.add((doc.entity(f.args["person"]).name, f.args["position"], where, f.args.get("phase")))
    return out


@pytest.fixture(scope="session")
def posts() -> Callable[[Doc], set[tuple[str, str, str | None, str | None]]]:
    """`occupation_posts`, as a fixture: test modules do not import from conftest."""
    return occupation_posts
