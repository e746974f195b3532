"""One `Doc` flows through small named components, in the order the config lists.

A component is a function `Doc -> None` registered with `@component("name")`; it
reads what earlier components left on the doc and adds its own layer (entities,
dates, facts). The order lives in `data/pipeline.toml`, so changing what runs is a
data change, not a code change.
"""

from __future__ import annotations

import importlib
import tomllib
from bisect import bisect_left, bisect_right
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
        """The first entity with this id (an index rebuilt when `entities` changes)."""
        key = (id(self.entities), len(self.entities))
        cached = self.user.get("_entity_index")
        if cached is None or cached[0] != key:
            by_id: dict[str, Entity] = {}
            for e in self.entities:
                by_id.setdefault(e.id, e)
            cached = (key, by_id)
            self.user["_entity_index"] = cached
        return cached[1].get(entity_id)

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

    def _mention_index(self) -> tuple[list[int], list[tuple[int, Mention]], int]:
        """Mentions sorted by start (with their list positions) and the longest length,
        rebuilt when `mentions` changes like `mention_spans`: lookups by span then read
        only the mentions that can reach it, not every mention of the text (issue 12)."""
        key = (id(self.mentions), len(self.mentions))
        cached = self.user.get("_mention_index")
        if cached is None or cached[0] != key:
            order = sorted(enumerate(self.mentions), key=lambda im: (im[1].start, im[0]))
            longest = max((m.end - m.start for m in self.mentions), default=0)
            cached = (key, ([m.start for _, m in order], order, longest))
            self.user["_mention_index"] = cached
        return cached[1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        """Mentions inside [start, end), in the order of `mentions`."""
        starts, order, _ = self._mention_index()
        lo, hi = bisect_left(starts, start), bisect_right(starts, end)
        inside = [(i, m) for i, m in order[lo:hi] if m.end <= end]
        return [m for _, m in sorted(inside, key=lambda im: im[0])]

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The entity whose mention overlaps [start, end), preferring the longest (the
        first in `mentions` among equally long ones)."""
        starts, order, longest = self._mention_index()
        lo, hi = bisect_right(starts, start - longest), bisect_left(starts, end)
        best: tuple[int, int, Mention] | None = None
        for i, m in order[lo:hi]:
            if m.start < end and start < m.end:
                rank = (-(m.end - m.start), i)
                if best is None or rank < best[:2]:
                    best = (*rank, m)
        return self.entity(best[2].entity_id) if best else None

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
