"""An entity page's «Должности»: one row per post, not one per report of it.

At 200,000 articles «Путин»'s page listed 188 occupation facts, 130 of them
«президент · Россия», each row with its own curation form: 309 KB of the page's 488
and ~15% of its CPU, for 15 distinct posts (issue 13, seventh session). A row is now a
post (holder, position as curated, place) with the dates of its first and last
report, how many reports name it, the highest confidence among them and the latest
report's article; the table shows the first `MAX_POSTS` posts and links to every
occupation fact of the entity on `/facts`, where each one can still be judged or
corrected. Reports an analyst judged wrong form their own, struck-out row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# More distinct posts than this is a long list (at 20k articles: 4-15 for the most
# frequent entities); the rest are one click away on /facts.
MAX_POSTS = 50

Verdict = Callable[[dict[str, Any]], dict[str, Any] | None]
Curate = Callable[[dict[str, Any], dict[str, Any] | None], dict[str, Any]]


@dataclass
class Post:
    """One post of the table: who, what, where, and the reports behind it."""

    holder: dict[str, Any] | None  # the person, when it is not the page's own entity
    position: Any
    where: Any
    wrong: bool  # every report here was judged wrong by an analyst
    first: str | None
    last: str | None
    reports: int
    confidence: float
    article_id: str  # the latest report's article


def _ident(value: Any) -> Any:
    """What makes two argument values the same for grouping: an entity's key, else
    the value itself (a string, or None)."""
    if isinstance(value, dict):
        return ("key", value.get("key"), value.get("name"))
    return value if isinstance(value, str) else None


def posts(
    positions: list[dict[str, Any]], key: str, verdict: Verdict, curate: Curate
) -> tuple[list[Post], int]:
    """The posts of `positions` (the view's occupation facts, oldest first) in the
    order of their first report, at most `MAX_POSTS`, and how many there are."""
    found: dict[tuple[Any, ...], Post] = {}
    for fact in positions:
        v = verdict(fact)
        args = curate(fact, v).get("args") or {}
        wrong = bool(v and v.get("verdict") == "wrong")
        holder = args.get("person")
        holder = holder if isinstance(holder, dict) and holder.get("key") != key else None
        position = args.get("position") if isinstance(args.get("position"), str) else None
        where = args.get("where")
        ident = (_ident(holder), position, _ident(where), wrong)
        time = fact.get("time") or None
        post = found.get(ident)
        if post is None:
            found[ident] = Post(
                holder=holder,
                position=position,
                where=where if isinstance(where, dict | str) else None,
                wrong=wrong,
                first=time,
                last=time,
                reports=1,
                confidence=float(fact["confidence"]),
                article_id=fact["article_id"],
            )
            continue
        post.reports += 1
        post.confidence = max(post.confidence, float(fact["confidence"]))
        post.article_id = fact["article_id"]
        if time:
            post.first = post.first or time
            post.last = time
    return list(found.values())[:MAX_POSTS], len(found)
