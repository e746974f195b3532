"""`sync`: link the pending articles batch by batch, set-based within a batch.

A batch is one write transaction. Its articles' own rows are read at once
(batchdata.py), then every knowledge-base row their linking decisions can read
(`link.prefetch`: blocking keys, curated and blocked names, the entities they
would found), into one `KBView`. The articles are still decided one after the
other, in publication order, because each can link to what the one before founded
or renamed; that happens in memory, and the view's writes go out per article as one
multi-row statement per table. Context counts (`kb_features`) are written once at
the end of the batch, as increments. The event indexer takes entity names from the
view and shares one "does this event exist" map across the batch; the story finder
gets the article's entities and events from what was just written. What is left
per article is a write or two per table and the reads of *other* articles' links
and events that finding a story needs (issue 13: about 22 statements per article
before, each a round trip on PostgreSQL under the `kb` advisory lock).
"""

from __future__ import annotations

import json
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from newsfacts.kb import link as _link
from newsfacts.kb import verdicts as _verdicts
from newsfacts.kb.batchdata import ArticleData, read_batch
from newsfacts.kb.batchstories import Linked, events_and_stories
from newsfacts.kb.event_stats import has_stale, refresh_stale
from newsfacts.kb.events import TEXT_ARGS, index_in_batch, signature, unindex_article
from newsfacts.kb.kbview import KBView
from newsfacts.kb.names import shorten_canonical
from newsfacts.kb.pending import orphaned_articles, pending_articles
from newsfacts.kb.raw import pipelined
from newsfacts.kb.stories import assign
from newsfacts.kb.tables import kb_stories

# Articles linked per transaction by `sync`: enough to share the knowledge-base
# reads of a batch, few enough that a crash costs little to redo.
SYNC_BATCH = 100
# Stores whose links this process has checked against their entities' names (`sync`).
_NAMES_CHECKED: weakref.WeakSet[Any] = weakref.WeakSet()


@dataclass
class SyncReport:
    linked: int = 0
    removed: int = 0
    seconds: float = 0.0
    per_article: list[float] = field(default_factory=list)

    def summary(self) -> str:
        avg = 1000 * self.seconds / self.linked if self.linked else 0.0
        return f"{self.linked} articles linked, {self.removed} removed, {avg:.1f} ms/article"


def link_in(
    conn: Any,
    article_id: str,
    view: KBView,
    batch: dict[str, ArticleData],
    prepared: dict[str, list[_link.Keyed]] | None = None,
    stored_events: dict[str, bool] | None = None,
) -> dict[str, str]:
    """(Re)link one article, index its events and place it in a story."""
    resolved = _link.link_article(conn, article_id, view, batch, prepared)
    data = batch.get(article_id)
    # analysts' verdicts on links win over the linker, re-extraction or not
    if data is None or data.link_verdicts:
        resolved = _verdicts.apply_links(conn, article_id, resolved, view)

    def names(ids: list[str]) -> dict[str, str]:
        return {i: e.name for i in ids if (e := view.entity(i)) is not None}

    own_events = index_in_batch(conn, article_id, resolved, data, names=names, stored=stored_events)
    # its links as just written, joined to their entities: the countries left out
    mine = {
        k for k in resolved.values() if (e := view.entity(k)) is not None and e.subtype != "country"
    }
    assign(conn, article_id, data, mine=mine, own_events=own_events)
    return resolved


def sync(
    store: Any,
    *,
    limit: int | None = None,
    batch: int = SYNC_BATCH,
    prepared: dict[str, ArticleData] | None = None,
) -> SyncReport:
    """Link every article not linked yet or re-extracted since; forget deleted ones.

    Articles are linked in publication order, `batch` articles per transaction
    sharing one in-memory view of the knowledge base (kbview.py), so a crash loses
    at most the batch in hand and the next `sync` resumes. `prepared`: what `warm`
    read and worked out before the caller took the `kb` lock.
    """
    report = SyncReport()
    # Articles whose names changed since their links: the store marks those it renames
    # (`eventmarks.relink_articles`); the whole-store join that finds them unmarked
    # (a KB linked before that) runs on a store's first sync in this process only.
    renamed = store not in _NAMES_CHECKED
    with store._read() as conn:
        todo = pending_articles(conn, renamed=renamed)
        gone = orphaned_articles(conn)
    for aid in gone:
        with store._write() as conn:
            _link.unlink_article(conn, aid)
            unindex_article(conn, aid)
            conn.execute(kb_stories.delete().where(kb_stories.c.article_id == aid))
        report.removed += 1
    start = time.perf_counter()
    complete = not limit or len(todo) <= limit  # every article the scan found is linked
    todo = todo[:limit] if limit else todo
    if todo:  # before linking: event labels are composed from these names
        with store._write() as conn:
            shorten_canonical(conn)
    size = max(1, batch)
    for i in range(0, len(todo), size):
        with store._write() as conn:
            view = KBView(conn, defer_features=True)
            ids = todo[i : i + size]
            data = read_batch(conn, ids, prepared)  # the articles' own rows, once per batch
            prepared = _link.prefetch(view, data)
            stored_events: dict[str, bool] = {}
            # PostgreSQL: writes need no round trip of their own. Only for a batch of
            # first links without link verdicts: the rarer paths (taking back old
            # links, applying verdicts) go through SQLAlchemy, which needs answers
            # statement by statement.
            fresh = all(
                (d := data.get(aid)) is not None
                and not (d.has_links or d.has_events or d.has_story or d.link_verdicts)
                for aid in ids
            )
            if fresh:
                view.count_key_links(
                    {(a, r.local_id): r.entity_key for a, d in data.items() for r in d.entities}
                )
            with pipelined(conn, fresh):
                if fresh:  # linked first, then events and stories with a few reads
                    _link_fresh(conn, ids, view, data, prepared, report)
                else:
                    for aid in ids:
                        t0 = time.perf_counter()
                        link_in(conn, aid, view, data, prepared, stored_events)
                        report.per_article.append(time.perf_counter() - t0)
                        report.linked += 1
                view.flush(features=True)  # the batch's context counts, once
            refresh_stale(conn)  # the counts of the events the batch touched
    # events the removals above or store writes (re-extraction, deletion) noted
    with store._read() as conn:
        stale = has_stale(conn)
    if stale:
        with store._write() as conn:
            refresh_stale(conn)
    if renamed and complete:
        _NAMES_CHECKED.add(store)
    report.seconds = time.perf_counter() - start
    return report


def _link_fresh(
    conn: Any,
    ids: list[str],
    view: KBView,
    data: dict[str, ArticleData],
    prepared: dict[str, list[_link.Keyed]],
    report: SyncReport,
) -> None:
    """A batch of first links: every article linked in order, taking what its events
    and story need of the view right after it, then their events and stories for the
    batch at once (batchstories.py), with the same outcome as `link_in` one by one."""
    linked: dict[str, Linked] = {}
    start = time.perf_counter()
    for aid in ids:
        resolved = _link.link_article(conn, aid, view, data, prepared, flush=False)
        kb_ids = set(resolved.values())
        ents = {k: e for k in kb_ids if (e := view.entity(k)) is not None}
        linked[aid] = Linked(
            resolved,
            {k: e.name for k, e in ents.items()},
            {k for k, e in ents.items() if e.subtype != "country"},
        )
    view.flush()  # the batch's links at once, before the story reads read them
    events_and_stories(conn, ids, data, linked)
    each = (time.perf_counter() - start) / max(1, len(ids))
    report.per_article.extend([each] * len(ids))
    report.linked += len(ids)


def warm(store: Any, *, limit: int = 5000) -> dict[str, ArticleData]:
    """Work out, before taking the `kb` lock, what linking the pending articles needs
    and costs CPU or reads alone: their rows (batchdata.py), their mentions' blocking
    keys and the lemma signatures of their fact texts (cached per process). Parallel
    loaders then do this side by side instead of in turn. It may be stale by the time
    the lock is held: `sync(prepared=…)` reads again what can have changed (see
    `read_batch`) and decides what to link. An article pending only because its
    entity names changed (an older KB, issue 12) is left to `sync`, which finds it
    with the whole-store join this prefetch skips."""
    with store._read() as conn:
        prepared = read_batch(conn, pending_articles(conn, renamed=False)[:limit])
    for data in prepared.values():
        data.keyed = _link.mention_keys(data)
        for _, type_, raw_args, _ in data.facts:
            args = json.loads(raw_args)
            for name in TEXT_ARGS.get(type_, ()):
                signature(args.get(name))
    return prepared
