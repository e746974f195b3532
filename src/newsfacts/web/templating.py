"""The Jinja environment every page renders through, with the Russian wording helpers.

Templates are autoescaped (article text and entity names are data, never markup);
the globals give them the statement renderer and the label tables, so no template
prints a code of the fact record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from newsfacts.web import labels
from newsfacts.web.morph import gender, preload
from newsfacts.web.render import entity_href, key_url, runs_html, segments
from newsfacts.web.statements import figure, guarded

HERE = Path(__file__).parent


def raw_record(fact: dict[str, Any]) -> str:
    """The fact as the API returns it, for the analyst who wants the record itself."""
    hidden = ("quotes", "article", "roles", "with", "title")
    return json.dumps(
        {k: v for k, v in fact.items() if k not in hidden}, ensure_ascii=False, indent=1
    )


def fact_date(fact: dict[str, Any]) -> str | None:
    """The date a fact is about (its period or time), else its article's date."""
    args = fact.get("args") or {}
    for name in ("period", "time"):
        value = args.get(name)
        if isinstance(value, dict):
            value = value.get("value")
        if isinstance(value, str) and value[:4].isdigit() and args.get(f"{name}_resolved", True):
            return value
    return fact.get("time") or (fact.get("article") or {}).get("published")


def _curated(fact: dict[str, Any], verdict: dict[str, Any] | None) -> dict[str, Any]:
    from newsfacts.web.curation import curated

    return curated(fact, verdict)


def _editable(fact: dict[str, Any]) -> list[tuple[str, str]]:
    from newsfacts.web.curation import editable

    return editable(fact)


_DICT_ATTRS = frozenset(dir(dict))


class _Environment(jinja2.Environment):
    """Jinja's environment with `fact.type` on a plain dict read as `fact["type"]` at once.

    Jinja tries the attribute first and takes the item only after an AttributeError:
    for the ~5,500 dict look-ups of a dossier page, raising and catching that error was
    a fifth of rendering it (issue 13). For a plain `dict` and a name that is none of
    its attributes (`items`, `values`, … still go to Jinja) the attribute look-up can
    only fail, so the answer, a value or undefined, is the same."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRS:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def _templates() -> Jinja2Templates:
    env = _Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template is HTML; never trust article text
        undefined=jinja2.ChainableUndefined,
    )
    env.globals.update(
        entity_href=entity_href,
        key_url=key_url,
        human=labels.human,
        number=labels.number,
        place_kind=labels.place_kind,
        statement=guarded,
        runs=runs_html,
        figure=figure,
        fact_date=fact_date,
        gender=gender,
        curated=_curated,
        editable=_editable,
        L=labels,
        LOW_CONFIDENCE=labels.LOW_CONFIDENCE,
    )
    # A filter, not a global: a filter is called directly, a global through Jinja's
    # Context.call, and a page prints a date 400 times (issue 13).
    env.filters["ru_date"] = labels.date
    env.filters["qs"] = lambda params: urlencode({k: v for k, v in params.items() if v})
    env.filters["raw_record"] = raw_record
    return Jinja2Templates(env=env)


TEMPLATES = _templates()


def warm() -> None:
    """Compile every template and load the morphology a page uses, before the first
    request, so what a server keeps for its lifetime exists when it starts
    (`newsfacts.server.for_serving` then freezes it out of the garbage collector)."""
    env = TEMPLATES.env
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    preload()


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    from newsfacts.web.curation import COOKIE, Verdicts

    state = getattr(request.app.state, "newsfacts", None)
    context.setdefault("verdicts", Verdicts(state))
    context.setdefault("signed_in", bool(request.cookies.get(COOKIE)))
    context.setdefault(
        "here", request.url.path + (f"?{request.url.query}" if request.url.query else "")
    )
    return TEMPLATES.TemplateResponse(request, name, context, status_code=status_code)


def quote_runs(record: Any, fact: dict[str, Any]) -> list[dict[str, Any]]:
    """Each evidence quote of a fact as runs of marked text and entity links."""
    out = []
    for q in fact["evidence"]:
        runs = segments(record.article.text, q["start"], q["end"], record, [(q["start"], q["end"])])
        out.append({**q, "runs": runs})
    return out
