"""Entity pages and place dossiers, built from the narrow fact index.

They read `Store.fact_slices`: for each of the entity's newest 200 articles, the
article (to quote through its quotable set), its entity rows without mentions and
only the facts that name the entity, or for a dossier also mention it inside their
evidence. Whole records (every mention, fact and span) were 40–55% of an uncached
dossier (issue 13). The pages are the same as those the full records gave, fact for
fact and quote for quote: tests/api/test_api_fact_index.py compares them with the
former full-record views.

The JSON API and the HTML pages render the same dictionaries; every quote inside
comes from the caller's `QuoteBudget`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from newsfacts.api.aggregate import MAX_ARTICLES, RELATION_TYPES, STATEMENT_TYPES, series_from_facts
from newsfacts.api.cards import Card, Cards
from newsfacts.api.entity_queries import EntitySummary
from newsfacts.api.present import article_meta, entity_json, fact_json, shown_aliases
from newsfacts.api.queries import Queries
from newsfacts.fact_args import entities_by_id, prefetch_args, resolve_args
from newsfacts.model import Fact, Record
from newsfacts.policy.quota import QuoteBudget
from newsfacts.store.factindex import Slice
from newsfacts.store.keys import entity_key

# Store.fact_slices(key, article_ids, mentioned=...)
LoadSlices = Callable[..., dict[str, Slice]]


def _ids_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for item in value for v in _ids_in(item)]
    return []


def _fact_time(record: Record, args: dict[str, Any]) -> str | None:
    for name in ("time", "period"):
        value = args.get(name)
        if isinstance(value, dict):
            value = value.get("value") if value.get("resolved", True) else None
        if isinstance(value, str) and value[:4].isdigit():
            return value
    return record.article.published


def _slices(key: str, summary: EntitySummary, load: LoadSlices, mentioned: bool) -> list[Slice]:
    """The slices of the entity's newest articles (`EntityQueries.entity`), in date order."""
    found = load(key, (summary.first_articles or [])[:MAX_ARTICLES], mentioned=mentioned)
    return sorted(
        found.values(), key=lambda s: (s.record.article.published or "", s.record.article.id)
    )


def summary_json(
    summary: EntitySummary,
    records: list[Record],
    key: str,
    budget: QuoteBudget,
    local: Callable[[Record], set[str]] | None = None,
) -> dict[str, Any]:
    """The entity summary, its aliases only those the articles' quotable sets allow.

    Every alias shown is one of the key's rows' own (`shown_aliases` of an entity
    of the key), so no list of all the key's aliases is read to check against.
    `local(record)`: the ids of the record's entities of `key` (`_local_ids`), when
    the view has them already."""
    out = summary.to_dict()
    names: dict[str, None] = {summary.name: None}
    for record in records:
        ids = _local_ids(record, key) if local is None else local(record)
        for ent in record.entities:
            if ent.id in ids:  # an article's entity ids are unique (the rows' key)
                # The list is the union over the articles: an alias one article has
                # shown is not checked again on the others (~200 «Путин» articles
                # name him in the same few forms). The budget's checks are caches.
                new = [a for a in ent.aliases if a not in names]
                if new:
                    names.update(dict.fromkeys(shown_aliases(record, ent, budget, new)))
    out["aliases"] = list(names)
    return out


_GROUPS = ("positions", "meetings", "statements", "figures", "other_facts")


def _group(fact_type: str) -> str:
    if fact_type == "occupation":
        return "positions"
    if fact_type == "meeting":
        return "meetings"
    if fact_type in STATEMENT_TYPES:
        return "statements"
    return "figures" if fact_type == "quantity" else "other_facts"


def _local_ids(record: Record, key: str) -> set[str]:
    return {e.id for e in record.entities if entity_key(e) == key}


def _roles(fact: Fact, local: set[str]) -> list[str]:
    return [role for role, value in fact.args.items() if local & set(_ids_in(value))]


class _EntityCards:
    """Each card of an entity view presented once, as the API lists it (`fact_json`
    with its roles and time, a meeting's other participants in `with`); the page's
    sections and its chronology share the one dict of a fact."""

    def __init__(self, key: str, budget: QuoteBudget) -> None:
        self.key = key
        self.budget = budget
        self._done: dict[tuple[str, int], dict[str, Any]] = {}
        self._local: dict[str, set[str]] = {}
        self._roles: dict[tuple[str, int], list[str]] = {}

    def local(self, record: Record) -> set[str]:
        found = self._local.get(record.article.id)
        if found is None:
            found = self._local[record.article.id] = _local_ids(record, self.key)
        return found

    def roles(self, record: Record, seq: int, fact: Fact) -> list[str]:
        """The roles the entity fills in the fact, found once (a card is chosen by
        them and shows them)."""
        ref = (record.article.id, seq)
        found = self._roles.get(ref)
        if found is None:
            found = self._roles[ref] = _roles(fact, self.local(record))
        return found

    def present(self, card: Card) -> dict[str, Any]:
        ref = (card.record.article.id, card.seq)
        item = self._done.get(ref)
        if item is None:
            item = self._done[ref] = fact_json(card.record, card.seq, self.budget, card.fact)
            item["roles"] = list(self.roles(card.record, card.seq, card.fact))
            item["time"] = card.time
            if card.fact.type == "meeting":
                item["with"] = [
                    p
                    for p in item["args"].get("participants", [])
                    if isinstance(p, dict) and p["key"] != self.key
                ]
        return item

    def report(self, card: Card) -> dict[str, Any]:
        """An occupation fact as the page's «Должности» reads it (`web.positions`):
        its arguments, confidence and time, as `present` shows them, without quotes."""
        return {
            "article_id": card.record.article.id,
            "seq": card.seq,
            "type": card.fact.type,
            "args": resolve_args(card.record, card.fact.args, self.budget),
            "confidence": round(float(card.fact.confidence), 3),
            "time": card.time,
        }


def entity_view(
    key: str, queries: Queries, load: LoadSlices, budget: QuoteBudget, *, lazy: bool = False
) -> dict[str, Any] | None:
    """An entity across articles: names, posts over time, meetings, statements, sources.

    With `lazy` (the HTML page, which shows ~70 of «Путин»'s 205 cards at 200k) the
    card groups are `Cards` presented when read, `timeline` holds every card in the
    page's chronological order and `post_reports` each occupation fact without its
    quotes (all «Должности» reads); a card read is the same dict as the eager list's
    (issue 13)."""
    summary = queries.entity(key)
    if summary is None:
        return None
    sources: list[dict[str, Any]] = []
    entries: list[Card] = []
    slices = _slices(key, summary, load, mentioned=False)
    prefetch_args(budget, ((s.record, f) for s in slices for f in s.facts.values()))
    shown = _EntityCards(key, budget)
    for part in slices:
        record = part.record
        sources.append(article_meta(record.article, budget))
        for seq in sorted(part.facts):
            fact = part.facts[seq]
            if shown.roles(record, seq, fact):
                entries.append(Card(_fact_time(record, fact.args), record, seq, fact))
    if not lazy:
        for card in entries:  # in the order the eager view always presented them
            shown.present(card)
    groups: dict[str, list[Card]] = {g: [] for g in _GROUPS}
    for card in entries:
        groups[_group(card.fact.type)].append(card)
    for group in groups.values():
        group.sort(key=lambda c: (c.time or "", c.record.article.id, c.seq))
    view: dict[str, Any] = {
        "entity": summary_json(summary, [s.record for s in slices], key, budget, shown.local)
    }
    for name, group in groups.items():
        view[name] = (
            Cards(group, shown.present, budget) if lazy else list(map(shown.present, group))
        )
    view["sources"] = sources
    if lazy:
        timeline = Cards(entries, shown.present, budget)
        timeline.sort(key=lambda c: (c.time or "9999", c.record.article.id, c.seq))
        view["timeline"] = timeline
        view["post_reports"] = [shown.report(c) for c in groups["positions"]]
    return view


def dossier_view(
    key: str, queries: Queries, load: LoadSlices, budget: QuoteBudget, *, lazy: bool = False
) -> dict[str, Any] | None:
    """A country or city: its relations with other places, reported figures, timeline.

    A fact belongs to the place when it names the place as an argument or mentions
    it inside its evidence ("встретился с послами Италии и Индонезии"); the other
    places in the same fact become its relations.

    With `lazy` the timeline is a `Cards` sequence: a page that shows 50 of its
    ~260 cards presents (quotes, checks the arguments of) only those and the
    figures; the cards are the same as the eager list's (issue 13).
    """
    summary = queries.entity(key)
    if summary is None or summary.type != "location":
        return None
    relations: dict[str, Counter[str]] = defaultdict(Counter)
    relation_names: dict[str, dict[str, Any]] = {}
    entries: list[Card] = []
    slices = _slices(key, summary, load, mentioned=True)
    locals_: dict[str, set[str]] = {}
    for part in slices:
        record = part.record
        ents = entities_by_id(record)  # each entity's key found once, not per fact
        keys = {i: entity_key(e) for i, e in ents.items()}
        local = locals_[record.article.id] = {i for i, k in keys.items() if k == key}
        for seq in sorted(part.facts):
            fact = part.facts[seq]
            named = {i for v in fact.args.values() for i in _ids_in(v)}
            seen = part.seen.get(seq, set())
            if not local & (named | seen):
                continue
            entries.append(Card(_fact_time(record, fact.args), record, seq, fact))
            if fact.type not in RELATION_TYPES:
                continue
            for local_id in sorted((named | seen) - local):
                ent = ents.get(local_id)
                if ent is None or ent.type != "location":
                    continue
                other = keys[local_id]
                if other == key:
                    continue
                relations[other][fact.type] += 1
                if other not in relation_names:  # its first entity names it
                    relation_names[other] = entity_json(ent)
    cards = Cards(entries, lambda c: _dossier_card(c, budget), budget)
    if not lazy:
        cards.present(entries)  # all at once: one look-up of their arguments
    # The quote is already in the timeline; a second copy would count twice.
    figures = [
        {k: v for k, v in item.items() if k != "evidence"}
        for item in cards.present([c for c in entries if c.fact.type == "quantity"])
    ]
    cards.sort(key=lambda c: (c.time or "", c.record.article.id, c.seq))
    related = sorted(
        (
            {**relation_names[k], "counts": dict(c), "total": sum(c.values())}
            for k, c in relations.items()
        ),
        key=lambda r: (-r["total"], r["name"]),
    )
    return {
        "entity": summary_json(
            summary, [s.record for s in slices], key, budget, lambda r: locals_[r.article.id]
        ),
        "relations": related,
        "figures": figures,
        "series": series_from_facts(figures),
        "timeline": cards if lazy else cards[:],
    }


def _dossier_card(card: Card, budget: QuoteBudget) -> dict[str, Any]:
    """One timeline entry of a dossier as the API and the page show it."""
    item = fact_json(card.record, card.seq, budget, card.fact)
    item["time"] = card.time
    item["title"] = budget.title(card.record.article)
    return item
