"""What linking reads of the articles themselves, read once for a whole batch.

Linking an article read its row, entities, mention counts, facts (twice), link
verdicts and its old links, events and story: a dozen statements per article,
each a round trip on PostgreSQL. `read_batch` reads the same for every article of
a `sync` batch with one statement per table and chunk. The store's article rows
do not change while the batch holds the write transaction (only the knowledge
base does), so the answers are the ones the per-article reads gave.

Besides the data it records which articles have knowledge-base rows already (a
re-extracted or relinked article): only those need their old links, events and
story taken back; an article linked for the first time skips those statements.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.kb.raw import in_chunks
from newsfacts.kb.tables import kb_articles, kb_event_sources, kb_links, kb_stories
from newsfacts.store.schema import articles, entities, facts, mentions, verdicts
from newsfacts.store.verdicts import active, not_wrong


@dataclass
class ArticleData:
    """One article as the linker, the event indexer and the story finder read it."""

    id: str
    extractor_version: str
    published: str | None
    duplicate_of: str | None
    entities: list[Any] = field(default_factory=list)  # rows of `entities`
    mention_counts: dict[str, int] = field(default_factory=dict)
    # (seq, type, args JSON, marked wrong by an analyst), in seq order
    facts: list[tuple[int, str, str, bool]] = field(default_factory=list)
    link_verdicts: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    has_links: bool = False  # kb_links or kb_articles rows to take back
    has_events: bool = False  # kb_event_sources rows
    has_story: bool = False  # a kb_stories row
    # The linker's mentions with their keys (link.prefetch), when worked out before
    # the batch (batchsync.prepare): they follow from the rows above alone.
    keyed: list[Any] | None = None


def read_batch(
    conn: Connection,
    article_ids: Iterable[str],
    known: dict[str, ArticleData] | None = None,
) -> dict[str, ArticleData]:
    """id → its data, for the ids still stored (a missing one is left out).

    `known`: the same articles read earlier, outside the transaction (prepared
    before the `kb` lock). An article's entities, mentions and facts change only with
    a newer extractor version (Store.save), so for one still stored with the same
    version they are taken from there; everything else (its row, facts marked wrong,
    link verdicts, what the knowledge base holds of it) is read again."""
    ids = sorted(set(article_ids))
    out: dict[str, ArticleData] = {}
    for chunk in in_chunks(ids):
        rows = conn.execute(
            sa.select(
                articles.c.id,
                articles.c.extractor_version,
                articles.c.published,
                articles.c.duplicate_of,
            ).where(articles.c.id.in_(chunk))
        )
        for r in rows:
            out[r.id] = ArticleData(r.id, r.extractor_version, r.published, r.duplicate_of)
    ids = sorted(out)
    reused = {
        aid: old
        for aid, data in out.items()
        if known and (old := known.get(aid)) and old.extractor_version == data.extractor_version
    }
    for chunk in in_chunks(ids):
        fresh = [aid for aid in chunk if aid not in reused]
        _read_content(conn, fresh, out)
        wrong = {
            (r.article_id, r.seq)
            for r in conn.execute(
                sa.select(facts.c.article_id, facts.c.seq).where(
                    facts.c.article_id.in_(chunk), sa.not_(not_wrong())
                )
            )
        }
        for aid in fresh:
            data = out[aid]
            data.facts = [(seq, t, a, (aid, seq) in wrong) for seq, t, a, _ in data.facts]
        for aid in chunk:
            if (old := reused.get(aid)) is not None:
                data = out[aid]
                data.entities, data.mention_counts = old.entities, old.mention_counts
                data.facts = [(seq, t, a, (aid, seq) in wrong) for seq, t, a, _ in old.facts]
                data.keyed = old.keyed
        rows = conn.execute(
            sa.select(verdicts)
            .where(verdicts.c.target == "link", verdicts.c.article_id.in_(chunk), active())
            .order_by(verdicts.c.id)
        )
        for r in rows:
            out[r.article_id].link_verdicts.append(dict(r._mapping))
        for table, flag in (
            (kb_links, "has_links"),
            (kb_articles, "has_links"),
            (kb_event_sources, "has_events"),
            (kb_stories, "has_story"),
        ):
            found = conn.execute(
                sa.select(table.c.article_id).distinct().where(table.c.article_id.in_(chunk))
            )
            for r in found:
                setattr(out[r.article_id], flag, True)
    return out


def _read_content(conn: Connection, ids: list[str], out: dict[str, ArticleData]) -> None:
    """Entities, mention counts and facts (not yet marked wrong) of these articles."""
    if not ids:
        return
    for r in conn.execute(sa.select(entities).where(entities.c.article_id.in_(ids))):
        out[r.article_id].entities.append(r)
    counts = conn.execute(
        sa.select(mentions.c.article_id, mentions.c.local_id, sa.func.count().label("n"))
        .where(mentions.c.article_id.in_(ids))
        .group_by(mentions.c.article_id, mentions.c.local_id)
    )
    for r in counts:
        out[r.article_id].mention_counts[r.local_id] = r.n
    rows = conn.execute(
        sa.select(facts.c.article_id, facts.c.seq, facts.c.type, facts.c.args)
        .where(facts.c.article_id.in_(ids))
        .order_by(facts.c.article_id, facts.c.seq)
    )
    for r in rows:
        out[r.article_id].facts.append((r.seq, r.type, r.args, False))
