"""Response models of the JSON API: what each GET returns, as OpenAPI publishes it.

The routes still build plain dictionaries (`present`, `aggregate`), shared with the
pages; these models type them for clients and for schemathesis. Models that carry
article text or its reuse policy (`Quote`, `ArticleMeta`, `Fact`) keep fields they
do not name (`extra="allow"`), so a field the policy layer adds reaches clients
instead of being silently dropped by response filtering.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from newsfacts.api.params import EntityType, FactType

T = TypeVar("T")


class Open(BaseModel):
    """A model whose documented fields are a floor, not a ceiling."""

    model_config = ConfigDict(extra="allow")


class ListPage(BaseModel, Generic[T]):
    """Every list answer: one page of items and where it lies in the whole."""

    items: list[T]
    total: int = Field(description="items matching the filters, over all pages")
    limit: int
    offset: int


# --- articles and their text --------------------------------------------------------


class PolicyInfo(Open):
    max_share: float = Field(description="share of the text that may be quoted, 0–1")
    link_required: bool
    full_text: str = Field(description="allowed | permission | forbidden")
    origin: str = Field(description="footer | registry | default")
    granted: bool = Field(False, description="the editors granted full-text use")
    granted: bool = Field(False, description="the editors granted full-text use")


class ArticleMeta(Open):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    link: str | None = Field(None, description="the link a quote must carry, if any")
    published: str | None = None
    language: str = "ru"
    length: int = Field(description="characters in the cleaned text")
    policy: PolicyInfo


class ArticleCard(Open):
    id: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None


class Quote(Open):
    """Article text as the reuse policy lets it out: a span, maybe shortened."""

    article_id: str
    text: str
    start: int
    end: int
    url: str | None = None
    truncated: bool = False


class EntityRef(Open):
    """An entity a fact names, resolved from the article's local id."""

    id: str = Field(description="local id within the article (E1, E2, …)")
    key: str = Field(description="cross-article key, e.g. person:ерболат досаев")
    type: EntityType
    name: str
    subtype: str | None = None
    code: str | None = None
    country: str | None = None


class RecordEntity(EntityRef):
    aliases: list[str] = Field(default_factory=list)
    mentions: int


class FactCore(Open):
    """A fact without its quotes (dossier figures: the timeline holds the quote)."""

    article_id: str
    seq: int = Field(description="position of the fact in its article")
    type: FactType
    args: dict[str, Any] = Field(
        description="arguments by role; entity ids are resolved to EntityRef objects; a "
        "phrase is shown within the reuse policy: as lemmas or cut short past its article's "
        "quotable set, clipped («председате…») where it would repeat another stored article "
        "beyond its share"
    )
    modality: str | None = None
    confidence: float
    extractor: str | None = None
    extractor_version: str
    evidence_withheld: int = Field(description="evidence spans the policy did not let out")
    withheld_reason: str | None = Field(
        None, description="no_link | forbidden | too_short | share_exhausted"
    )
    withheld_note: str | None = Field(None, description="the reason, for readers (Russian)")
    withheld_reason: str | None = Field(
        None, description="why: no_link | forbidden | too_short | share_exhausted"
    )
    withheld_note: str | None = Field(None, description="the reason, in Russian, for readers")


class Fact(FactCore):
    evidence: list[Quote] = Field(description="the source sentences, as the policy allows")


class FactWithArticle(Fact):
    article: ArticleMeta


class RecordView(Open):
    article: ArticleMeta
    text: str | None = Field(description="the whole text, only where the policy allows it")
    entities: list[RecordEntity]
    facts: list[Fact]
    quoted_chars: int
    allowed_chars: int | None
    quotable_chars: int | None = Field(
        None, description="characters any response may ever show; null when the text is open"
    )
    quotable_chars: int | None = Field(
        None, description="characters of the text any number of responses may ever show"
    )


class ArticleList(ListPage[ArticleCard]):
    pass


class FactList(ListPage[FactWithArticle]):
    pass


# --- entities, the KB and places ------------------------------------------------------


class EntityHit(BaseModel):
    key: str
    type: EntityType
    name: str
    subtype: str | None = None
    article_count: int


class EntityList(ListPage[EntityHit]):
    pass


class EntitySummary(BaseModel):
    key: str
    type: EntityType
    name: str
    subtype: str | None = None
    code: str | None = None
    country: str | None = None
    aliases: list[str]
    article_count: int


class EntityFact(Fact):
    roles: list[str] = Field(description="the arguments this entity fills")
    time: str | None = None


class MeetingFact(EntityFact):
    with_: list[EntityRef] = Field(alias="with", description="the other participants")

    model_config = ConfigDict(populate_by_name=True, extra="allow")


class ReviewLink(BaseModel):
    article_id: str
    local_id: str
    name: str | None = None
    score: float | None = None
    method: str | None = None
    title: str | None = None


class CanonicalEntity(BaseModel):
    """What the knowledge base merged across articles under one id."""

    id: str
    type: str
    name: str
    aliases: list[str]
    n_articles: int = Field(description="articles among the links read (at most 500)")
    n_local: int = Field(description="links read: local entities of articles (at most 500)")
    counts_complete: bool = Field(
        description="whether every link was read; if not, the counts are lower bounds"
    )
    merged: list[Any]
    review: list[ReviewLink]


class EventParticipant(BaseModel):
    kb_id: str
    name: str | None = None
    role: str | None = None


class EventSource(BaseModel):
    article_id: str
    seq: int
    source: str | None = None
    url: str | None = None
    published: str | None = None


class EventValue(BaseModel):
    value: Any
    unit: str | None = None
    qualifier: str | None = None
    sources: list[str | None]
    articles: list[str] = Field(description="the first articles reporting it, by id (at most 5)")
    n_articles: int = Field(description="all articles reporting this value")


class Event(BaseModel):
    """A fact several articles report, merged once by the KB; it quotes no text."""

    id: str
    type: FactType
    label: str
    period: str | None = None
    participants: list[EventParticipant]
    n_articles: int
    n_independent: int
    n_sources: int = Field(description="all reports of the event (article, fact), over all pages")
    sources: list[EventSource] = Field(
        description="the earliest reports, at most 5 (publication date, article id, fact seq); "
        "/api/events/{id}/sources pages through all n_sources"
    )
    values: list[EventValue] | None = None
    conflict: bool | None = None


class EventList(ListPage[Event]):
    pass


class EventSourceList(ListPage[EventSource]):
    """Every report of one merged event, earliest first, a page at a time."""


class EntityView(BaseModel):
    entity: EntitySummary
    positions: list[EntityFact]
    meetings: list[MeetingFact]
    statements: list[EntityFact]
    figures: list[EntityFact]
    other_facts: list[EntityFact]
    sources: list[ArticleMeta]
    canonical: CanonicalEntity | None = None
    events: list[Event]


class Relation(EntityRef):
    counts: dict[str, int] = Field(description="facts by type that link the two places")
    total: int


class DatedFact(Fact):
    time: str | None = None
    title: str | None = None


class DatedFigure(FactCore):
    time: str | None = None
    title: str | None = None


class SeriesPoint(BaseModel):
    period: str | None = None
    value: float
    qualifier: str | None = None
    article_id: str
    seq: int
    published: str | None = None


class SeriesSubject(BaseModel):
    key: str
    name: str


class Series(BaseModel):
    """One indicator in one unit for one set of subjects, ordered by period."""

    indicator: str
    unit: str
    subjects: list[SeriesSubject] = Field(
        default_factory=list, description="who the figures are about (a partner pair, a city)"
    )
    points: list[SeriesPoint]


class DossierView(BaseModel):
    entity: EntitySummary
    relations: list[Relation]
    figures: list[DatedFigure]
    series: list[Series]
    timeline: list[DatedFact]
    canonical: CanonicalEntity | None = None
    events: list[Event]


class SeriesList(ListPage[Series]):
    pass


class GraphNode(BaseModel):
    key: str
    name: str
    type: str
    degree: int


class FactRef(BaseModel):
    article_id: str
    seq: int


class GraphEdge(BaseModel):
    source: str
    target: str
    count: int = Field(description="meetings, a retold one counted once")
    reports: int = Field(description="facts that report them")
    facts: list[FactRef]


class MeetingGraph(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="True when only the busiest nodes are kept")


class SearchResult(BaseModel):
    """Articles, entities and facts for one query, each section paged on its own."""

    q: str
    articles: ArticleList
    entities: EntityList
    facts: FactList


class IngestResult(BaseModel):
    added: int
    unchanged: int
    duplicates: int
    skipped: list[str]
    errors: list[str]
    article_ids: list[str]
