"""Fact-level reads: facts, series, meeting edges, entity dossiers and export.

Near-duplicates (`duplicate_of` set) are left out unless asked with
`include_duplicates=True`: a syndicated copy of a story is not a second witness.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store import fts
from newsfacts.store.base import StoreBase, _limit
from newsfacts.store.hydrate import (
    _ARTICLE_COLS,
    _article_card,
    _display_names,
    _fact_filters,
    _hydrate,
    _linked,
    _position,
)
from newsfacts.store.keys import fold
from newsfacts.store.rows import _entity_roles
from newsfacts.store.schema import (
    articles,
    entities,
    fact_entities,
    facts,
)

_EXPORT_BATCH = 200  # articles per export page


class AggregateMixin(StoreBase):
    """Facts with their articles and entity names, and what is built from them."""

    def facts(
        self,
        type: str | None = None,
        entity_key: str | None = None,
        country: str | None = None,
        period_from: str | None = None,
        period_to: str | None = None,
        limit: int = 100,
        offset: int = 0,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Facts with their article, evidence spans and entity names, newest first.

        `country` matches facts involving an entity with that ISO code or located
        in that country; the period filter keeps facts whose period (or, failing
        that, the article's date) overlaps [period_from, period_to].
        """
        where = _fact_filters(type, entity_key, country, period_from, period_to)
        with self._read() as conn:
            return self._fact_query(
                conn, where, _limit(limit, 1000), offset, include_duplicates=include_duplicates
            )

    def _fact_query(
        self,
        conn: Connection,
        where: list[Any],
        limit: int | None,
        offset: int,
        *,
        include_duplicates: bool,
        order_by_date: bool = True,
    ) -> list[dict[str, Any]]:
        query = sa.select(facts, *_ARTICLE_COLS).join(articles, articles.c.id == facts.c.article_id)
        for clause in where:
            query = query.where(clause)
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        if order_by_date:
            query = query.order_by(
                articles.c.published.desc().nulls_last(), facts.c.article_id, facts.c.seq
            )
        else:
            query = query.order_by(facts.c.article_id, facts.c.seq)
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(max(0, int(offset)))
        return _hydrate(conn, conn.execute(query).all())

    def quantity_series(
        self,
        indicator: str | None = None,
        subjects: list[str] | None = None,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Reported figures ordered by period: one row per quantity fact.

        `indicator` matches case-insensitively; `subjects` are entity keys that must
        all be among the fact's subjects.
        """
        where: list[Any] = [facts.c.type == "quantity"]
        if indicator:
            where.append(facts.c.args_text.like(fts.like_pattern(fold(indicator)), escape="\\"))
        for key in subjects or []:
            where.append(_linked(key, role="subjects"))
        with self._read() as conn:
            found = self._fact_query(conn, where, None, 0, include_duplicates=include_duplicates)
        out = []
        for f in found:
            args = f["args"]
            if indicator and fold(str(args.get("indicator", ""))) != fold(indicator):
                continue
            subject_ids = args.get("subjects") or []
            if isinstance(subject_ids, str):
                subject_ids = [subject_ids]
            resolved = [f["entities"].get(s) for s in subject_ids]
            out.append(
                {
                    "indicator": args.get("indicator"),
                    "subjects": [
                        r["name"] if r else s for r, s in zip(resolved, subject_ids, strict=True)
                    ],
                    "subject_keys": [r["entity_key"] if r else None for r in resolved],
                    "period": args.get("period") or args.get("time"),
                    "value": args.get("value"),
                    "unit": args.get("unit"),
                    "qualifier": args.get("qualifier"),
                    "change": args.get("change"),
                    "fact_id": f["id"],
                    "evidence": f["evidence"],
                    "article": f["article"],
                }
            )
        out.sort(key=lambda r: (str(r["period"] or ""), r["article"]["published"] or ""))
        return out

    def meeting_edges(
        self,
        period_from: str | None = None,
        period_to: str | None = None,
        *,
        include_duplicates: bool = False,
    ) -> list[dict[str, Any]]:
        """Who met whom: one edge per pair of participants, with counts and articles."""
        where = _fact_filters("meeting", None, None, period_from, period_to)
        query = (
            sa.select(fact_entities.c.article_id, fact_entities.c.seq, fact_entities.c.entity_key)
            .join(
                facts,
                sa.and_(
                    facts.c.article_id == fact_entities.c.article_id,
                    facts.c.seq == fact_entities.c.seq,
                ),
            )
            .join(articles, articles.c.id == facts.c.article_id)
            .where(fact_entities.c.role == "participants", *where)
        )
        if not include_duplicates:
            query = query.where(articles.c.duplicate_of.is_(None))
        with self._read() as conn:
            groups: dict[tuple[str, int], set[str]] = defaultdict(set)
            for r in conn.execute(query):
                groups[(r.article_id, r.seq)].add(r.entity_key)
            edges: dict[tuple[str, str], dict[str, Any]] = {}
            for (aid, _seq), keys in groups.items():
                ordered = sorted(keys)
                for i, a in enumerate(ordered):
                    for b in ordered[i + 1 :]:
                        edge = edges.setdefault((a, b), {"count": 0, "articles": set()})
                        edge["count"] += 1
                        edge["articles"].add(aid)
            names = _display_names(conn, sorted({k for pair in edges for k in pair}))
        out = [
            {
                "source": a,
                "target": b,
                "source_name": names.get(a, a),
                "target_name": names.get(b, b),
                "count": e["count"],
                "articles": sorted(e["articles"]),
            }
            for (a, b), e in edges.items()
        ]
        out.sort(key=lambda e: (-e["count"], e["source"], e["target"]))
        return out

    # ------------------------------------------------------------- entities

    def get_entity(
        self,
        entity_key: str,
        *,
        fact_limit: int = 200,
        article_limit: int = 200,
        include_duplicates: bool = False,
    ) -> dict[str, Any] | None:
        """Everything known about one cross-article entity, or None.

        "Казахстан" may appear in most of the store, so articles and facts are
        the newest `article_limit` / `fact_limit` (with totals in article_count /
        fact_count); positions held are always complete.
        """
        with self._read() as conn:
            variants = conn.execute(
                sa.select(
                    entities.c.name,
                    entities.c.aliases,
                    entities.c.type,
                    entities.c.subtype,
                    entities.c.code,
                    entities.c.country,
                    sa.func.count().label("n"),
                )
                .where(entities.c.entity_key == entity_key)
                .group_by(
                    entities.c.name,
                    entities.c.aliases,
                    entities.c.type,
                    entities.c.subtype,
                    entities.c.code,
                    entities.c.country,
                )
            ).all()
            if not variants:
                return None
            in_articles = sa.select(entities.c.article_id).where(
                entities.c.entity_key == entity_key
            )
            art_query = sa.select(articles.c.id.label("article_id"), *_ARTICLE_COLS).where(
                articles.c.id.in_(in_articles)
            )
            if not include_duplicates:
                art_query = art_query.where(articles.c.duplicate_of.is_(None))
            article_count = conn.execute(
                sa.select(sa.func.count()).select_from(art_query.subquery())
            ).scalar()
            arts = [
                _article_card(r)
                for r in conn.execute(
                    art_query.order_by(
                        articles.c.published.desc().nulls_last(), articles.c.id
                    ).limit(_limit(article_limit, 10_000))
                )
            ]
            linked = [_linked(entity_key)]
            fact_count = conn.execute(
                sa.select(sa.func.count())
                .select_from(facts.join(articles, articles.c.id == facts.c.article_id))
                .where(*linked)
                .where(sa.true() if include_duplicates else articles.c.duplicate_of.is_(None))
            ).scalar()
            fact_list = self._fact_query(
                conn,
                linked,
                _limit(fact_limit, 10_000),
                0,
                include_duplicates=include_duplicates,
            )
            held = self._fact_query(
                conn,
                [facts.c.type == "occupation", _linked(entity_key, role="person")],
                None,
                0,
                include_duplicates=include_duplicates,
            )
        for f in fact_list:
            f["roles"] = sorted(
                role
                for role, ids in _entity_roles(f["args"]).items()
                if any(f["entities"].get(i, {}).get("entity_key") == entity_key for i in ids)
            )
        positions = [_position(f) for f in held]
        positions.sort(key=lambda p: (p["published"] or "", p["article_id"]))
        names: Counter[str] = Counter()
        aliases: Counter[str] = Counter()
        for v in variants:
            names[v.name] += v.n
            for alias in json.loads(v.aliases):
                aliases[alias] += v.n
        aliases.update(names)
        best = max(variants, key=lambda v: v.n)
        return {
            "entity_key": entity_key,
            "name": names.most_common(1)[0][0],
            "type": best.type,
            "subtype": next((v.subtype for v in variants if v.subtype), None),
            "code": next((v.code for v in variants if v.code), None),
            "country": next((v.country for v in variants if v.country), None),
            "aliases": [a for a, _ in aliases.most_common()],
            "article_count": int(article_count or 0),
            "articles": arts,
            "fact_count": int(fact_count or 0),
            "facts": fact_list,
            "positions": positions,
        }

    def iter_facts_for_export(
        self, *, include_duplicates: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every fact with its article URL, ordered by (article_id, seq).

        Pages by article id (the primary key) so each batch is an index range, a
        large store never sits in memory, and no cursor stays open while the
        caller writes its file.
        """
        after = ""
        while True:
            with self._read() as conn:
                page = sa.select(articles.c.id).where(articles.c.id > after)
                if not include_duplicates:
                    page = page.where(articles.c.duplicate_of.is_(None))
                ids = list(
                    conn.execute(page.order_by(articles.c.id).limit(_EXPORT_BATCH)).scalars()
                )
                if not ids:
                    return
                batch = self._fact_query(
                    conn,
                    [facts.c.article_id.in_(ids)],
                    None,
                    0,
                    include_duplicates=True,
                    order_by_date=False,
                )
            for f in batch:
                f["url"] = f["article"]["url"]
                yield f
            after = ids[-1]
