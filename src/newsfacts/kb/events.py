"""Merged events: one meeting, intent or figure, however many articles report it.

A fact's event key is built from canonical entity ids (after linking), a folded
description and a period, so three outlets writing "Досаев встретился с послом
Италии" in April 2022 land on one key, and their articles become the event's
sources. Keys are hashed into the event id, so indexing never searches: it is a
primary-key upsert per fact. Figures (quantity facts) are keyed by indicator,
subjects and period but not by value: reports that disagree stay side by side in
one event and the event says so (`conflict`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.batchdata import ArticleData, read_batch
from newsfacts.kb.raw import Raw
from newsfacts.kb.tables import (
    kb_event_entities,
    kb_event_sources,
    kb_event_stale,
    kb_events,
)
from newsfacts.store.keys import fold, period_bounds

_WORD = re.compile(r"\w+")
STEM = 6  # characters of a lemma kept in a description signature
SIGNATURE_WORDS = 3
FIGURE_TOLERANCE = 0.01  # figures within 1% count as the same figure
AGENT_ROLES = {
    "meeting": ("participants",),
    "intent": ("agent",),
    "plan": ("agent",),
    "proposal": ("proposer",),
    "launch": ("place", "route"),
    "discussion": ("participants",),
    "deal": ("parties",),
    "ownership": ("owner",),
    "occupation": ("person", "where"),
    "quantity": ("subjects",),
}
TEXT_ARGS = {
    "intent": ("action", "object"),
    "plan": ("action", "object"),
    "proposal": ("proposal",),
    "launch": ("object",),
    "discussion": ("topic",),
    "deal": ("object",),
    "ownership": ("property",),
    "occupation": ("position",),
    "quantity": ("indicator",),
}


@lru_cache(maxsize=65536)
def _lemma_stem(word: str) -> str:
    """The first STEM letters of the word's most probable lemma, as `parse()[0]` gives.

    Ranking the readings by P(tag|word) cost half of a word's analysis (a pure-Python
    DAWG lookup per reading), and it only matters when the readings' lemmas differ in
    their first STEM letters: the ranking is run only then (issue 13)."""
    from newsfacts.nlp.morph import morph  # the shared analyzer (with its 3.11 shim)

    analyzer = morph()
    units, estimator = getattr(analyzer, "_units", None), analyzer.prob_estimator
    if units is None or estimator is None:  # not pymorphy2 0.9's layout: the plain way
        parses = analyzer.parse(word)
        return (parses[0].normal_form if parses else word)[:STEM]
    found: list[Any] = []  # (word, tag, normal_form, score, methods), as parse() collects
    seen: set[Any] = set()
    lower = word.lower()
    for unit, terminal in units:
        found.extend(unit.parse(word, lower, seen))
        if terminal and found:
            break
    if not found:
        return word[:STEM]
    stem = found[0][2][:STEM]
    if all(p[2][:STEM] == stem for p in found):
        return stem
    return estimator.apply_to_parses(word, lower, found)[0][2][:STEM]


def signature(text: Any) -> str:
    """First content words as lemma stems: "запуск прямых рейсов" ~ "запуска прямого рейса"."""
    if not isinstance(text, str):
        return ""
    words = [_lemma_stem(w) for w in _WORD.findall(fold(text)) if len(w) > 2]
    return " ".join(words[:SIGNATURE_WORDS])


def _month(value: Any) -> str | None:
    bounds = period_bounds(value)
    return bounds[0][:7] if bounds else None


def event_key(
    fact_type: str, args: dict[str, Any], links: dict[str, str], published: str | None
) -> tuple[str, str | None] | None:
    """The merge key of a fact and its period; None when the fact names no entity."""
    parts: list[str] = [fact_type]
    any_entity = False
    for role in AGENT_ROLES.get(fact_type, ()):
        value = args.get(role)
        values = value if isinstance(value, list) else [value]
        ids = sorted({links[v] for v in values if isinstance(v, str) and v in links})
        any_entity = any_entity or bool(ids)
        parts.append(role + "=" + ",".join(ids))
    for name in TEXT_ARGS.get(fact_type, ()):
        parts.append(name + "=" + signature(args.get(name)))
    if not any_entity:
        return None
    if fact_type == "quantity":
        bounds = period_bounds(args.get("period")) or period_bounds(published)
        period = _period_text(args.get("period")) or (bounds[0][:4] if bounds else None)
        parts.append(f"unit={args.get('unit') or ''}")
    elif fact_type == "occupation":
        period = None  # a post held is one event however long it lasts
    else:
        period = _month(args.get("time")) or _month(published)
    parts.append(f"period={period or ''}")
    return "|".join(parts), period


def _period_text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("value")
    return value if isinstance(value, str) and period_bounds(value) else None


def event_id(key: str) -> str:
    return "V" + hashlib.sha1(key.encode()).hexdigest()[:12]


def unindex_article(conn: Connection, article_id: str) -> None:
    """Drop an article's sources; events left without sources go too."""
    touched = [
        r.event_id
        for r in conn.execute(
            sa.select(kb_event_sources.c.event_id).where(
                kb_event_sources.c.article_id == article_id
            )
        )
    ]
    conn.execute(kb_event_sources.delete().where(kb_event_sources.c.article_id == article_id))
    if touched:  # their counts change; the rows of events gone are dropped on refresh
        stale = [{"event_id": e} for e in sorted(set(touched))]
        conn.execute(kb_event_stale.insert(), stale)
    for eid in set(touched):
        left = conn.execute(
            sa.select(kb_event_sources.c.article_id).where(kb_event_sources.c.event_id == eid)
        ).first()
        if left is None:
            conn.execute(kb_event_entities.delete().where(kb_event_entities.c.event_id == eid))
            conn.execute(kb_events.delete().where(kb_events.c.id == eid))


def index_article(
    conn: Connection, article_id: str, links: dict[str, str], data: ArticleData | None = None
) -> int:
    """Attach each fact of an article to its event (created when new); returns facts indexed.

    `data`: the article's rows as `sync` read them for its batch (read here if not
    given); an article without event sources yet has nothing to take back."""
    return len(index_in_batch(conn, article_id, links, data))


def index_in_batch(
    conn: Connection,
    article_id: str,
    links: dict[str, str],
    data: ArticleData | None = None,
    *,
    names: Callable[[list[str]], dict[str, str]] | None = None,
    stored: dict[str, bool] | None = None,
    queue: EventRows | None = None,
) -> list[str]:
    """`index_article` for one article of a `sync` batch; returns the event id of
    each source written (what the story finder reads back otherwise).

    `names`: kb id → name of linked entities, from the batch's view of the KB (the
    rows as this transaction wrote them) instead of a read; `stored`: event id →
    whether it exists, shared by the batch so an event is looked up once, not by
    every article reporting it; `queue`: the batch's rows, written by the caller
    (`EventRows.write`) instead of four inserts here."""
    if data is None:
        data = read_batch(conn, [article_id]).get(article_id)
    if data is None or data.has_events:
        unindex_article(conn, article_id)
        if stored is not None:
            stored.clear()  # events left without sources are gone
    if data is None:
        return []
    raw = Raw(conn)
    ids = sorted(set(links.values()))
    names_of = names(ids) if names is not None else _names(raw, ids)
    keyed_facts = []
    # a fact an analyst marked wrong never becomes (part of) an event
    for seq, type_, raw_args, wrong in data.facts:
        if wrong:
            continue
        args = json.loads(raw_args)
        keyed = event_key(type_, args, links, data.published)
        if keyed is not None:
            keyed_facts.append((seq, type_, args, *keyed))
    # one read for the events not looked up yet, then one multi-row insert per table
    known = stored if stored is not None else {}
    eids = sorted({event_id(key) for *_, key, _ in keyed_facts} - known.keys())
    found = {r[0] for r in raw.all_in("SELECT id FROM kb_events WHERE id IN {in}", eids)}
    known.update((eid, eid in found) for eid in eids)
    rows = queue if queue is not None else EventRows()
    new_events, new_entities, sources = rows.events, rows.entities, []
    for seq, type_, args, key, period in keyed_facts:
        eid = event_id(key)
        if not known[eid]:
            known[eid] = True
            label = _label(type_, args, links, names_of, period)
            new_events.append((eid, key, type_, label, period))
            for role in AGENT_ROLES.get(type_, ()):
                value = args.get(role)
                values = value if isinstance(value, list) else [value]
                for kb_id in sorted(
                    {links[v] for v in values if isinstance(v, str) and v in links}
                ):
                    new_entities.append((eid, kb_id, role))
        sources.append((eid, article_id, seq, data.published))
    rows.sources += sources
    # their counts change: `event_stats.refresh_stale` recomputes them (end of batch)
    rows.stale += [(e,) for e in sorted({s[0] for s in sources})]
    if queue is None:
        rows.write(raw)
    return [s[0] for s in sources]


@dataclass
class EventRows:
    """Event rows of one or more articles, in the order they were made; written as
    one insert per table (a batch's: four statements, not four per article)."""

    events: list[tuple[Any, ...]] = field(default_factory=list)
    entities: list[tuple[str, str, str]] = field(default_factory=list)
    sources: list[tuple[Any, ...]] = field(default_factory=list)
    stale: list[tuple[str]] = field(default_factory=list)

    def write(self, raw: Raw) -> None:
        raw.many(
            'INSERT INTO kb_events (id, "key", type, label, period) VALUES (?, ?, ?, ?, ?)',
            self.events,
        )
        raw.many(
            "INSERT INTO kb_event_entities (event_id, kb_id, role) VALUES (?, ?, ?)", self.entities
        )
        raw.many(
            "INSERT INTO kb_event_sources (event_id, article_id, seq, published)"
            " VALUES (?, ?, ?, ?)",
            self.sources,
        )
        raw.many("INSERT INTO kb_event_stale (event_id) VALUES (?)", self.stale)
        self.events, self.entities, self.sources, self.stale = [], [], [], []


def _names(raw: Raw, ids: list[str]) -> dict[str, str]:
    return dict(raw.all_in("SELECT id, name FROM kb_entities WHERE id IN {in}", ids))


def _label(
    fact_type: str,
    args: dict[str, Any],
    links: dict[str, str],
    names: dict[str, str],
    period: str | None,
) -> str:
    who = []
    for role in AGENT_ROLES.get(fact_type, ()):
        value = args.get(role)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v in links:
                who.append(names.get(links[v], links[v]))
    what = " ".join(str(args.get(a)) for a in TEXT_ARGS.get(fact_type, ()) if args.get(a))
    text = f"{fact_type}: {', '.join(who)}"
    if what:
        text += f" — {what}"
    if period:
        text += f" ({period})"
    return text[:300]


# ---------------------------------------------------------------------------- reading
