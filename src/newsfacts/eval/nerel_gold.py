"""NEREL annotation: the types we score and the brat `.ann` files read into mentions and relations.

Why a module of its own: reading the corpus is one job, used by `newsfacts eval nerel`
and by the training and selection scripts that only need the gold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ENTITY_TYPES = (
    "PERSON",
    "PROFESSION",
    "ORGANIZATION",
    "COUNTRY",
    "CITY",
    "MONEY",
    "PERCENT",
    "NUMBER",
    "DATE",
)
LOC_TYPES = {"COUNTRY", "CITY", "STATE_OR_PROVINCE", "LOCATION", "DISTRICT"}
RELATION_TYPES = ("WORKS_AS", "WORKPLACE", "OWNER_OF")


Span = tuple[int, int]


class NerelError(Exception):
    """A folder or file the command cannot use: reported as one line."""


@dataclass(frozen=True)
class Mention:
    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Relation:
    type: str
    arg1: Span
    arg2: Span


@dataclass
class Annotation:
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def read_ann(path: Path) -> Annotation:
    """Entities (T) and relations (R) of a brat file; other lines are not ours to score.

    A discontinuous entity ("1647 1658;1674 1704") is scored by its outer extent.
    """
    ann = Annotation()
    spans: dict[str, Span] = {}
    rels: list[tuple[str, str, str]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        cols = line.split("\t")
        try:
            if line.startswith("T"):
                etype, _, frags = cols[1].partition(" ")
                bounds = [tuple(map(int, f.split())) for f in frags.split(";")]
                span = (min(b[0] for b in bounds), max(b[1] for b in bounds))
                spans[cols[0]] = span
                ann.mentions.append(Mention(etype, *span))
            elif line.startswith("R"):
                rtype, a1, a2 = cols[1].split()[:3]
                rels.append((rtype, a1.partition(":")[2], a2.partition(":")[2]))
        except (IndexError, ValueError) as exc:
            raise NerelError(f"{path}:{n}: not a brat entity or relation line ({exc})") from exc
    for rtype, a1, a2 in rels:
        if a1 in spans and a2 in spans:
            ann.relations.append(Relation(rtype, spans[a1], spans[a2]))
    return ann
