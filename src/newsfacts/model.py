"""Plain dataclasses for the fact record of `shared/docs/fact-schema.md`.

Everything that crosses a module boundary (ingest → extract → store → API) is one
of these, so the JSON contract lives in exactly one place: `Record.to_dict()` and
`Record.from_dict()`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from typing import Any

Span = tuple[int, int]

ENTITY_TYPES = ("person", "organization", "location")
LOCATION_SUBTYPES = ("country", "city", "region", "other")
FACT_TYPES = (
    "occupation",
    "meeting",
    "deal",
    "ownership",
    "intent",
    "proposal",
    "plan",
    "launch",
    "discussion",
    "quantity",
)
QUALIFIERS = ("eq", "gt", "ge", "lt", "le", "approx")
MODALITIES = ("readiness", "promise", "agreement", "intention")
# A figure's or a launch's modality (docs/fact-labelling.md 4.7, 4.10); none = actual.
FIGURE_MODALITIES = ("actual", "planned", "forecast", "possible")


def article_id(clean_text: str) -> str:
    """The article's identity is its cleaned text, so re-ingest is a no-op."""
    return hashlib.sha256(clean_text.encode("utf-8")).hexdigest()[:16]


@dataclass
class Policy:
    """How much of an article's text may leave the system."""

    max_share: float = 1.0
    link_required: bool = False
    full_text: str = "allowed"  # allowed | permission | forbidden
    origin: str = "default"  # footer | registry | default
    granted: bool = False  # the editors granted full-text use (`newsfacts policy grant`)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Policy:
        if not data:
            return cls()
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass
class Repair:
    """A change the cleaner made to the source text, kept so analysts can audit it."""

    kind: str
    at: int  # offset in the cleaned text

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Repair:
        return cls(kind=data["kind"], at=int(data["at"]))


@dataclass
class RawDocument:
    """One article as a reader found it, before cleaning."""

    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO-8601 date or datetime
    source: str | None = None  # domain or outlet name
    origin: str | None = None  # file path (and line/entry) it came from


@dataclass
class Article:
    id: str
    text: str  # the cleaned text every offset refers to
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    language: str = "ru"
    policy: Policy = field(default_factory=Policy)
    repairs: list[Repair] = field(default_factory=list)
    # The store's `policy.quotable.QuotableSet`: what of `text` may ever be shown.
    quotable: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
            "language": self.language,
            "policy": asdict(self.policy),
            "repairs": [asdict(r) for r in self.repairs],
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        return cls(
            id=data["id"],
            text=data.get("text", ""),
            title=data.get("title"),
            source=data.get("source"),
            url=data.get("url"),
            published=data.get("published"),
            language=data.get("language", "ru"),
            policy=Policy.from_dict(data.get("policy")),
            repairs=[Repair.from_dict(r) for r in data.get("repairs", [])],
        )


@dataclass
class Entity:
    id: str  # "E1", "E2", ... unique within one article
    type: str  # person | organization | location
    name: str  # normalized, nominative
    mentions: list[Span] = field(default_factory=list)
    subtype: str | None = None  # locations: country | city | region | other
    code: str | None = None  # ISO 3166-1 alpha-2 for countries
    country: str | None = None  # ISO code of the country a city/region lies in
    aliases: list[str] = field(default_factory=list)  # surface forms seen
    # Digest of the full name when `name` is a generated short form («НГ», issue 12):
    # part of the key (`store.keys.entity_key`), so bodies sharing initials stay apart.
    ident: str | None = None
    # The full name a short `name` stands for: written only to the store's hidden
    # search column (`entities.search_norm`), never serialized or shown.
    search_name: str | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name}
        for key in ("subtype", "code", "country", "ident"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["mentions"] = [list(m) for m in sorted(self.mentions)]
        if self.aliases:
            out["aliases"] = list(self.aliases)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            type=data["type"],
            name=data["name"],
            mentions=[(int(a), int(b)) for a, b in data.get("mentions", [])],
            subtype=data.get("subtype"),
            code=data.get("code"),
            country=data.get("country"),
            aliases=list(data.get("aliases", [])),
            ident=data.get("ident"),
        )


@dataclass
class Fact:
    type: str
    args: dict[str, Any]
    evidence: list[Span] = field(default_factory=list)
    confidence: float = 0.5
    modality: str | None = None  # intents; quantities (planned/forecast/possible)
    extractor: str | None = None  # component that produced it

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "args": self.args}
        if self.modality is not None:
            out["modality"] = self.modality
        out["evidence"] = [list(s) for s in self.evidence]
        out["confidence"] = round(float(self.confidence), 3)
        if self.extractor:
            out["extractor"] = self.extractor
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fact:
        return cls(
            type=data["type"],
            args=dict(data.get("args", {})),
            evidence=[(int(a), int(b)) for a, b in data.get("evidence", [])],
            confidence=float(data.get("confidence", 0.5)),
            modality=data.get("modality"),
            extractor=data.get("extractor"),
        )


@dataclass
class Record:
    """What `newsfacts extract --json` prints for one article."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    extractor_version: str = ""

    def entity(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def to_json(self, indent: int | None = None) -> str:
        """The record as `newsfacts extract --json` prints it (UTF-8 text, not escapes)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_json(cls, text: str) -> Record:
        return cls.from_dict(json.loads(text))

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "facts": [f.to_dict() for f in self.facts],
            "extractor_version": self.extractor_version,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        return cls(
            article=Article.from_dict(data["article"]),
            entities=[Entity.from_dict(e) for e in data.get("entities", [])],
            facts=[Fact.from_dict(f) for f in data.get("facts", [])],
            extractor_version=data.get("extractor_version", ""),
        )
