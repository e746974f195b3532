"""Who held a post at a date, from occupation facts across articles.

Each source of an occupation event is an observation: on the article's date (or
the fact's own time), person P was reported as holding the post — or as entering
it (`phase: start`) or leaving it (`phase: end`). The holder at a date is the
person of the latest observation up to that date that is not an `end`. Two
different people reported as the current holder in the same month is a
contradiction; it is returned next to the answer rather than silently resolved.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.event_describe import source_facts
from newsfacts.kb.tables import kb_entities, kb_event_entities, kb_events
from newsfacts.store.keys import fold, period_bounds
from newsfacts.store.schema import articles, facts


@dataclass
class Observation:
    date: str  # ISO day
    person: str  # canonical id
    name: str
    phase: str | None
    article_id: str
    source: str | None


@dataclass
class Tenure:
    """The answer of `who_held`: the holder (if any), evidence and contradictions."""

    position: str
    where: list[str]
    at: str
    holder: str | None = None
    holder_name: str | None = None
    since: str | None = None  # first observation of the holder's unbroken tenure
    evidence: list[Observation] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[Observation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


POST_TAILS = frozenset({"города", "области", "района", "республики", "страны"})


def _post_matches(post: str, wanted: str) -> bool:
    """Exact post, or the post with a place-word tail ("аким города" for "аким")."""
    post, wanted = fold(post), fold(wanted)
    if post == wanted:
        return True
    rest = post[len(wanted) :].split() if post.startswith(wanted + " ") else []
    return len(rest) == 1 and rest[0] in POST_TAILS


def observations(conn: Connection, position: str, where_ids: list[str]) -> list[Observation]:
    """Every report of someone holding `position` at one of `where_ids`, by date."""
    if not where_ids:
        return []
    event_rows = conn.execute(
        sa.select(kb_events.c.id)
        .join(kb_event_entities, kb_event_entities.c.event_id == kb_events.c.id)
        .where(
            kb_events.c.type == "occupation",
            kb_event_entities.c.role == "where",
            kb_event_entities.c.kb_id.in_(where_ids),
        )
    ).all()
    ids = sorted({r.id for r in event_rows})
    if not ids:
        return []
    person_of: dict[str, str] = {}
    for r in conn.execute(
        sa.select(kb_event_entities.c.event_id, kb_event_entities.c.kb_id).where(
            kb_event_entities.c.event_id.in_(ids), kb_event_entities.c.role == "person"
        )
    ):
        person_of[r.event_id] = r.kb_id
    names = {
        r.id: r.name
        for r in conn.execute(
            sa.select(kb_entities.c.id, kb_entities.c.name).where(
                kb_entities.c.id.in_(sorted(set(person_of.values())))
            )
        )
    }
    rows = conn.execute(
        source_facts(
            ids, articles.c.published, articles.c.source, articles.c.duplicate_of, facts.c.args
        )
    )
    out = []
    for r in rows:
        args = json.loads(r.args)
        if r.event_id not in person_of or not _post_matches(
            str(args.get("position", "")), position
        ):
            continue
        day = period_bounds(args.get("time")) or period_bounds(r.published)
        if day is None:
            continue
        person = person_of[r.event_id]
        out.append(
            Observation(
                date=day[0],
                person=person,
                name=names.get(person, person),
                # a post reported as held before ("бывший", "ранее занимал") is not
                # held on the article's date: for tenure it counts as an end
                phase="end" if args.get("phase") == "past" else args.get("phase"),
                article_id=r.article_id,
                source=r.source,
            )
        )
    out.sort(key=lambda o: (o.date, o.phase != "end", o.person, o.article_id))
    return out


def conflicts(obs: list[Observation]) -> list[dict[str, Any]]:
    """Months in which two or more people are reported as the current holder.

    A hand-over is not a contradiction: when one person's `start` comes after every
    report of the other in that month, or the other's `end` is reported, the pair
    is consistent.
    """
    by_month: dict[str, dict[str, list[Observation]]] = defaultdict(lambda: defaultdict(list))
    for o in obs:
        by_month[o.date[:7]][o.person].append(o)
    out = []
    for month, people in sorted(by_month.items()):
        current = [p for p, os_ in people.items() if not any(o.phase == "end" for o in os_)]
        clashing: set[str] = set()
        for i, a in enumerate(current):
            for b in current[i + 1 :]:
                if not (_hands_over(people[a], people[b]) or _hands_over(people[b], people[a])):
                    clashing |= {a, b}
        if clashing:
            out.append(
                {
                    "month": month,
                    "holders": [
                        {
                            "kb_id": p,
                            "name": people[p][0].name,
                            "articles": sorted({o.article_id for o in people[p]}),
                        }
                        for p in sorted(clashing)
                    ],
                }
            )
    return out


def _hands_over(before: list[Observation], after: list[Observation]) -> bool:
    starts = [o.date for o in after if o.phase == "start"]
    return bool(starts) and all(o.date <= min(starts) for o in before)


def holder_at(obs: list[Observation], at: str) -> tuple[str | None, str | None, list[Observation]]:
    """(holder, since, supporting observations) at ISO date `at`."""
    past = [o for o in obs if o.date <= at]
    if not past:
        return None, None, []
    last = past[-1]
    if last.phase == "end":
        return None, None, [last]
    holder = last.person
    since = last.date
    support = []
    for o in reversed(past):
        if o.person != holder:
            if o.phase != "end" and o.date < since:
                break
            continue
        if o.phase == "end":
            break
        since = o.date
        support.append(o)
        if o.phase == "start":
            break
    return holder, since, list(reversed(support))
