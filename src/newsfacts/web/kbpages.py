"""Pages over the knowledge base: «кто занимал пост» and one merged event's sources.

`/who` asks the KB's tenure reasoning (`kb.who_held`, until now only in the CLI)
who held a post at a place on a date, and shows the answer with the reports it
rests on, the contradictions it found, and every report about the post over time.

`/events/{id}` lists every source of a merged event a page at a time: entity pages
and dossiers show only each event's earliest few (issue 13), and link here; the
HTML twin of `/api/events/{id}/sources`, with no article text either.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from newsfacts import kb
from newsfacts.api import aggregate
from newsfacts.api.params import DateParam, Offset
from newsfacts.api.queries import shown_titles
from newsfacts.api.state import State
from newsfacts.store import schema as t
from newsfacts.web.templating import page

Text = Annotated[str | None, Query(max_length=200)]
SOURCES_PER_PAGE = 50


def _suggestions(state: Any) -> dict[str, list[str]]:
    """Posts and places the store knows, for the form's autocompletion lists."""
    f, fe = t.facts, t.fact_entities
    with state.store.engine.connect() as conn:
        rows = conn.execute(sa.select(f.c.args).where(f.c.type == "occupation").limit(2000))
        posts = sorted({str(json.loads(r.args).get("position") or "") for r in rows} - {""})
        places = conn.execute(
            sa.select(t.entities.c.name)
            .join(
                fe,
                sa.and_(
                    fe.c.article_id == t.entities.c.article_id,
                    fe.c.local_id == t.entities.c.local_id,
                ),
            )
            .where(fe.c.role == "where")
            .group_by(t.entities.c.name)
            .order_by(sa.func.count().desc())
            .limit(200)
        )
        return {"posts": posts[:300], "places": [r.name for r in places]}


def _titles(state: Any, ids: set[str]) -> dict[str, str | None]:
    if not ids:
        return {}
    with state.store.engine.connect() as conn:
        return shown_titles(conn, sorted(ids))  # titles only within the quotable set


def build_kb_router() -> APIRouter:
    pages = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)

    @pages.get("/who")
    def who_held(
        request: Request,
        state: State,
        post: Text = None,
        place: Text = None,
        date: DateParam = None,
    ) -> HTMLResponse:
        answer = None
        if post and post.strip() and place and place.strip():
            at = date or dt.date.today().isoformat()
            # "2022" or "2022-06" asks about the end of that period
            at = (at + "-12-31")[:10] if len(at) == 4 else (at + "-31" if len(at) == 7 else at)
            tenure = kb.who_held(state.store, post.strip(), place.strip(), at)
            titles = _titles(state, {o.article_id for o in tenure.timeline})
            answer = {
                "tenure": tenure,
                "at": at,
                "titles": titles,
                "known_place": bool(tenure.where),
            }
        return page(
            request,
            "who.html",
            post=post or "",
            place=place or "",
            date=date or "",
            answer=answer,
            suggest=_suggestions(state),
        )

    @pages.get("/events/{event_id}")
    def event(request: Request, state: State, event_id: str, offset: Offset = 0) -> HTMLResponse:
        found = aggregate.merged_event(state.store, event_id)
        if found is None:
            raise HTTPException(404, f"event {event_id!r} not found")
        total, items = aggregate.event_sources(
            state.store, event_id, offset, SOURCES_PER_PAGE, found["n_sources"]
        ) or (0, [])
        view = {
            "event": found,
            "page": {"items": items, "total": total, "offset": offset},
            "size": SOURCES_PER_PAGE,
        }
        return page(request, "event.html", view=view)

    return pages
