"""Curation from the pages: «неверно» / «исправить» on a fact or an entity link, /review.

Verdicts are writes, so they need the same token as `POST /api/ingest`. A browser
sends it once in the form; the answer keeps it in an HttpOnly, SameSite=Strict
cookie, which another site's form can never send, so later verdicts need no typing
and cannot be forged cross-site. Each verdict is stored by `store.verdicts` (facts)
or `kb.verdicts` (links) and the article is relinked at once, so the knowledge base,
the lists and the exports see it on the next request and after any re-extraction.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from newsfacts import kb
from newsfacts.api.present import fact_json
from newsfacts.api.queries import shown_titles
from newsfacts.api.state import AppState, State
from newsfacts.kb import verdicts as KV
from newsfacts.store import verdicts as V
from newsfacts.web import labels as L
from newsfacts.web.templating import page

COOKIE = "nf_token"
Short = Annotated[str | None, Form(max_length=500)]


class Verdicts:
    """The verdicts on facts a page shows, loaded on the first question (one query)."""

    def __init__(self, state: AppState | None) -> None:
        self.state = state
        self._by_ref: dict[tuple[str, int], dict[str, Any]] | None = None

    def of(self, fact: dict[str, Any]) -> dict[str, Any] | None:
        if self.state is None or "article_id" not in fact or "seq" not in fact:
            return None
        if self._by_ref is None:
            with self.state.store.engine.connect() as conn:
                self._by_ref = V.fact_verdicts(conn)
        return self._by_ref.get((fact["article_id"], int(fact["seq"])))


def curated(fact: dict[str, Any], verdict: dict[str, Any] | None) -> dict[str, Any]:
    """The fact with the analyst's corrected arguments in place of the extracted ones."""
    if not verdict or not verdict.get("fixes"):
        return fact
    return {**fact, "args": {**(fact.get("args") or {}), **verdict["fixes"]}}


def editable(fact: dict[str, Any]) -> list[tuple[str, str]]:
    """(argument, Russian label) an analyst may correct on this fact."""
    args = fact.get("args") or {}
    return [(name, label) for name, label in L.ARG.items() if name in args]


def _authorized(request: Request, state: AppState, given: str | None) -> str:
    if not state.token:
        raise HTTPException(403, "правка отключена: у сервера не задан NEWSFACTS_API_TOKEN")
    token = given or request.cookies.get(COOKIE) or ""
    if not token or not hmac.compare_digest(token.encode(), state.token.encode()):
        raise HTTPException(401, "нужен токен API: введите его в форме правки")
    return token


def _back(back: str | None, fallback: str = "/review") -> str:
    """Only a path of this site: an open redirect would turn the form into a phishing aid."""
    if back and back.startswith("/") and not back.startswith("//") and "\\" not in back:
        return back
    return fallback


def _done(target: str, token: str, given: str | None) -> RedirectResponse:
    answer = RedirectResponse(target, status_code=303)
    if given:
        answer.set_cookie(COOKIE, token, httponly=True, samesite="strict", path="/")
    return answer


def _in_write(state: AppState, action: Callable[[Any], Any]) -> Any:
    """Run a verdict write in one transaction; a refused verdict is a Russian 422."""
    try:
        with state.store._write() as conn:
            return action(conn)
    except V.VerdictError as exc:
        raise HTTPException(422, str(exc)) from None


def _refresh(state: AppState, article_id: str) -> None:
    """Relink the article: link verdicts move links, wrong facts leave the KB's events."""
    kb.link_article(state.store, article_id)


def _with_statements(state: AppState, decided: list[dict[str, Any]]) -> None:
    """Each fact verdict's fact as the pages word it, when the article still has it
    (through `fact_json`, so the wording stays within the source's quotable set)."""
    refs = [(d["article_id"], int(d["found"])) for d in decided if d["found"] is not None]
    records = state.fact_records(refs)
    budget = state.budget()
    for d in decided:
        record = records.get(d["article_id"])
        seq = d["found"]
        if d["target"] == "fact" and record is not None and seq is not None:
            d["fact"] = fact_json(record, int(seq), budget) if seq < len(record.facts) else None


def build_curation_router() -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.post("/curate/fact")
    def judge_fact(
        request: Request,
        state: State,
        article_id: Annotated[str, Form(max_length=64)],
        seq: Annotated[int, Form(ge=0)],
        verdict: Annotated[str, Form(pattern="^(wrong|fix)$")],
        field: Annotated[str | None, Form(max_length=64)] = None,
        value: Short = None,
        note: Short = None,
        token: Short = None,
        back: Short = None,
    ) -> RedirectResponse:
        auth = _authorized(request, state, token)
        if verdict == "fix" and field not in L.ARG:
            raise HTTPException(422, "выберите, что исправить")
        _in_write(
            state,
            lambda conn: V.add_fact_verdict(
                conn, article_id, seq, verdict, field=field, value=value, note=note
            ),
        )
        _refresh(state, article_id)
        return _done(_back(back, f"/articles/{article_id}") + "#facts", auth, token)

    @pages.post("/curate/link")
    def judge_link(
        request: Request,
        state: State,
        article_id: Annotated[str, Form(max_length=64)],
        local_id: Annotated[str, Form(max_length=32)],
        verdict: Annotated[str, Form(pattern="^(wrong|fix)$")],
        target: Short = None,
        note: Short = None,
        token: Short = None,
        back: Short = None,
    ) -> RedirectResponse:
        auth = _authorized(request, state, token)
        _in_write(
            state, lambda conn: KV.judge_link(conn, article_id, local_id, verdict, target, note)
        )
        _refresh(state, article_id)
        return _done(_back(back, f"/articles/{article_id}") + "#entities", auth, token)

    @pages.post("/curate/undo")
    def undo(
        request: Request,
        state: State,
        verdict_id: Annotated[int, Form(ge=1)],
        token: Short = None,
        back: Short = None,
    ) -> RedirectResponse:
        auth = _authorized(request, state, token)
        row = _in_write(state, lambda conn: V.undo(conn, verdict_id))
        _refresh(state, row["article_id"])
        return _done(_back(back), auth, token)

    @pages.get("/review", response_class=HTMLResponse)
    def review(request: Request, state: State) -> HTMLResponse:
        with state.store.engine.connect() as conn:
            decided = V.all_verdicts(conn)
            links = kb.curate.review(conn, limit=100)
            ids = {d["article_id"] for d in decided} | {r["article_id"] for r in links}
            titles = shown_titles(conn, sorted(ids))
            kb_ids = {d[k] for d in decided for k in ("kb_id", "value") if d["target"] == "link"}
            names = KV.names_of(conn, {k for k in kb_ids if k})
            countries = KV.countries_of(conn, {c["kb_id"] for r in links for c in r["candidates"]})
        _with_statements(state, decided)
        return page(
            request,
            "review.html",
            decided=decided,
            links=links,
            titles=titles,
            names=names,
            countries=countries,
        )

    return pages
