"""One `Doc` flows through small named components, in the order the config lists.

A component is a function `Doc -> None` registered with `@component("name")`; it
reads what earlier components left on the doc and adds its own layer (entities,
dates, facts). The order lives in `data/pipeline.toml`, so changing what runs is a
data change, not a code change.
"""

from __future__ import annotations

import importlib
import tomllib
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from newsfacts import __version__
from newsfacts.model import Article, Entity, Fact, Record, Span

Component = Callable[["Doc"], None]
REGISTRY: dict[str, Component] = {}

# Modules whose import registers components. Listed here, not discovered, so a
# newcomer can see every place a component may come from.
COMPONENT_MODULES = (
    "newsfacts.nlp.natasha_pipe",
    "newsfacts.extract.entities",
    "newsfacts.extract.coref",
    "newsfacts.extract.dates",
    "newsfacts.extract.quantity",
    "newsfacts.extract.occupation",
    "newsfacts.extract.meeting",
    "newsfacts.extract.deal",
    "newsfacts.extract.agreement",
    "newsfacts.extract.ownership",
    "newsfacts.extract.intent",
    "newsfacts.extract.proposal",
    "newsfacts.extract.plan",
    "newsfacts.extract.launch",
    "newsfacts.extract.discussion",
)


def component(name: str) -> Callable[[Component], Component]:
    def register(func: Component) -> Component:
        REGISTRY[name] = func
        return func

    return register


@dataclass
class Mention:
    """One surface mention of an entity: a name, a title ("посол") or a group word."""

    start: int
    end: int
    entity_id: str
    kind: str = "name"  # name | nominal | coref


@dataclass
class TimeExpr:
    """A date or period found in the text, resolved against `article.published`."""

    start: int
    end: int
    text: str
    value: str | None  # ISO-8601: "2022", "2022-06", "2022-06-01"
    resolved: bool = True
    kind: str = "point"  # point | since | until | period


@dataclass
class Doc:
    article: Article
    nlp: Any = None  # natasha.Doc once the "natasha" component has run
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[TimeExpr] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    user: dict[str, Any] = field(default_factory=dict)  # scratch space between components

    @property
    def text(self) -> str:
        return self.article.text

    # --- navigation helpers shared by extractors -------------------------------
    def sentences(self) -> list[Span]:
        if self.nlp is None:
            return [(0, len(self.text))]
        return [(s.start, s.stop) for s in self.nlp.sents]

    def sentence_of(self, offset: int) -> Span:
        sents = self.sentences()
        starts = [s for s, _ in sents]
        i = max(0, bisect_right(starts, offset) - 1)
        return sents[i]

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def mention_spans(self) -> list[Span]:
        """(start, end) of every mention, built once while `mentions` is unchanged:
        extractors asked for it per sentence or per figure, which cost a pass over
        every mention of the text each time (issue 12). Callers must not modify it."""
        key = (id(self.mentions), len(self.mentions))
        cached = self.user.get("_mention_spans")
        if cached is None or cached[0] != key:
            cached = (key, [(m.start, m.end) for m in self.mentions])
            self.user["_mention_spans"] = cached
        return cached[1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if m.start >= start and m.end <= end]

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity whose mention overlaps [start, end), preferring the longest."""
        best = None
        for m in self.mentions:
            if (
                m.start < end
                and start < m.end
                and (best is None or (m.end - m.start) > (best.end - best.start))
            ):
                best = m
        return self.entity(best.entity_id) if best else None

    def dates_in(self, start: int, end: int) -> list[TimeExpr]:
        return [d for d in self.dates if d.start >= start and d.end <= end]

    def add_fact(self, fact: Fact) -> None:
        self.facts.append(fact)


def load_config(path: str | None = None) -> dict[str, Any]:
    if path:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    data = resources.files("newsfacts").joinpath("data/pipeline.toml").read_bytes()
    return tomllib.loads(data.decode("utf-8"))


def extractor_version(names: Iterable[str]) -> str:
    """Stored on every fact, so a newer extractor knows what it must re-extract."""
    return f"newsfacts-{__version__}"


def current_version() -> str:
    """The version the default pipeline stamps on facts, without loading any model."""
    return extractor_version(load_config()["pipeline"]["components"])


class Pipeline:
    def __init__(self, names: list[str] | None = None) -> None:
        for module in COMPONENT_MODULES:
            importlib.import_module(module)
        self.names = names if names is not None else load_config()["pipeline"]["components"]
        missing = [n for n in self.names if n not in REGISTRY]
        if missing:
            raise ValueError(f"unknown pipeline component(s): {', '.join(missing)}")
        self.version = extractor_version(self.names)

    def make_doc(self, article: Article) -> Doc:
        doc = Doc(article=article)
        for name in self.names:
            REGISTRY[name](doc)
        return doc

    def __call__(self, article: Article) -> Record:
        doc = self.make_doc(article)
        return Record(
            article=article,
            entities=doc.entities,
            facts=doc.facts,
            extractor_version=self.version,
        )


_DEFAULT: Pipeline | None = None


def default_pipeline() -> Pipeline:
    """Models load once per process; every caller shares this pipeline."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Pipeline()
    return _DEFAULT
