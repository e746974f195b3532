"""POST /api/ingest: articles into the store over HTTP, behind the API token.

The body is read by the same readers as files on disk and ingested by the same
runner, so HTTP ingest cleans, deduplicates and stores exactly as `newsfacts ingest`.
"""

from __future__ import annotations

import hmac
import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from newsfacts.api.errors import responses
from newsfacts.api.params import DateParam
from newsfacts.api.schemas import IngestResult
from newsfacts.api.state import AppState, State

ENV_TOKEN = "NEWSFACTS_API_TOKEN"
MAX_INGEST_BYTES = 5_000_000
INGEST_SUFFIX = {
    "text/plain": ".txt",
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "application/x-ndjson": ".jsonl",
    "application/jsonl": ".jsonl",
    "application/json-lines": ".jsonl",
    "application/rss+xml": ".xml",
    "application/atom+xml": ".xml",
}


def has_token(request: Request, state: AppState) -> bool:
    """Whether the request carries the configured API token (compared in constant time)."""
    given = request.headers.get("x-api-token")
    auth = request.headers.get("authorization", "")
    if given is None and auth.lower().startswith("bearer "):
        given = auth[7:].strip()
    return bool(state.token and given) and hmac.compare_digest(
        (given or "").encode(), (state.token or "").encode()
    )


def require_token(request: Request, state: State) -> None:
    """Ingest writes to the store, so it needs the configured token, compared in constant time."""
    if not state.token:
        raise HTTPException(403, "загрузка отключена: у сервера не задан NEWSFACTS_API_TOKEN")
    if not has_token(request, state):
        raise HTTPException(
            401,
            "нет токена API или он неверен: передайте 'Authorization: Bearer <токен>' или 'X-API-Token'",
            headers={"WWW-Authenticate": "Bearer"},
        )


router = APIRouter()


@router.post(
    "/ingest",
    tags=["ingest"],
    summary="Ingest text, HTML or JSONL (needs the API token)",
    dependencies=[Depends(require_token)],
    response_model=IngestResult,
    responses=responses(401, 403, 413, 415, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "text/plain": {"schema": {"type": "string"}},
                "text/html": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def ingest(
    request: Request,
    state: State,
    title: Annotated[str | None, Query(max_length=1000)] = None,
    url: Annotated[str | None, Query(max_length=2000)] = None,
    source: Annotated[str | None, Query(max_length=255)] = None,
    published: DateParam = None,
) -> dict[str, Any]:
    media = request.headers.get("content-type", "text/plain").split(";")[0].strip().lower()
    suffix = INGEST_SUFFIX.get(media)
    if suffix is None:
        raise HTTPException(
            415,
            f"тип содержимого {media!r} не поддерживается: допустимы {', '.join(INGEST_SUFFIX)}",
        )
    body = await read_limited(request, MAX_INGEST_BYTES)
    if not body.strip():
        raise HTTPException(422, "пустое тело запроса: передайте текст статьи")
    from newsfacts.urls import BadUrl, check_url

    try:
        url = check_url(url)
    except BadUrl as exc:
        raise HTTPException(422, f"url: {exc}") from None
    meta = {"title": title, "url": url, "source": source, "published": published}
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_ingest_body, state, body, suffix, meta)


async def read_limited(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed `limit`.

    A declared Content-Length over the limit is refused before a byte is read; a
    chunked body is read only until it passes the limit. Reading the whole body
    first let a client with the token make the server buffer 300 MB (issue 12).
    """
    too_large = HTTPException(413, f"тело запроса больше {limit} байт")
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _ingest_body(
    state: AppState, body: bytes, suffix: str, meta: dict[str, str | None]
) -> dict[str, Any]:
    """Read the body with the ingest readers, then ingest it like a file from disk.

    The body goes through `read_path` (one definition of how text, HTML and JSONL
    are read), the caller's metadata overrides what the reader found, and the
    documents are handed to `ingest_paths` as JSON Lines, so HTTP ingest cleans,
    deduplicates and stores exactly as `newsfacts ingest` does.
    """
    from newsfacts.ingest.clean import Rejected, clean
    from newsfacts.ingest.readers import IngestError, read_path
    from newsfacts.ingest.runner import ingest_paths, resolve_budget
    from newsfacts.timebudget import time_limit

    errors: list[str] = []
    skipped: list[str] = []
    ids: list[str] = []
    with tempfile.TemporaryDirectory(prefix="newsfacts-ingest-") as tmp:
        path = Path(tmp) / f"request{suffix}"
        path.write_bytes(body)
        lines: list[str] = []
        origins: list[str] = []  # the body's own name for each normalized line
        budget = resolve_budget(state.ingest_budget)
        for item in read_path(path, budget):
            if isinstance(item, IngestError):
                errors.append(_in_body(item.message, str(path), tmp))
                continue
            item.origin = _in_body(item.origin or str(path), str(path), tmp)
            for name, value in meta.items():
                if value:
                    setattr(item, name, value)
            try:
                with time_limit(budget):
                    ids.append(clean(item).id)
            except Rejected as exc:  # junk (a title alone, a menu): skipped with its reason
                skipped.append(_in_body(str(exc), str(path), tmp))
                continue
            except Exception:  # noqa: BLE001, S112 - the runner reports it below
                pass
            fields = ("text", "title", "url", "published", "source")
            lines.append(json.dumps({k: getattr(item, k) for k in fields}, ensure_ascii=False))
            origins.append(item.origin)
        if not lines:
            reasons = "; ".join(errors + skipped) or "статья не найдена"
            raise HTTPException(422, "нечего загружать: " + reasons[:500])
        normalized = Path(tmp) / "http-request.jsonl"
        normalized.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with state.ingest_lock:
            # A request's few articles are extracted here: a forked worker per request
            # would cost more than it overlaps (and this server runs threads).
            report = ingest_paths(
                [normalized],
                state.store,
                pipeline=state.pipeline(),
                budget=state.ingest_budget,
                workers=0,
            )

    def said(problems: list[tuple[str, str]]) -> list[str]:
        out = []
        for origin, message in problems:
            line = origin.rpartition(":")[2]
            mine = origins[int(line) - 1] if line.isdigit() and int(line) <= len(origins) else ""
            mine = mine or BODY
            said = message.replace(origin, mine) if origin in message else f"{mine}: {message}"
            out.append(_in_body(said, str(normalized), tmp))
        return out

    run_errors, run_skips = said(report.errors), said(report.skipped)
    if not (report.added or report.unchanged or report.duplicates):
        raise HTTPException(
            422, "ничего не загружено: " + "; ".join(errors + run_errors + run_skips)[:500]
        )
    return {
        "added": report.added,
        "unchanged": report.unchanged,
        "duplicates": report.duplicates,
        "skipped": skipped + run_skips,
        "errors": errors + run_errors,
        "article_ids": list(dict.fromkeys(ids)),
    }


# How messages name the request body ("тело запроса:2" is its second JSON line).
BODY = "тело запроса"


def _in_body(message: str, path: str, tmp: str) -> str:
    """`message` naming the body instead of the server's temporary file: a client
    must never learn the server's paths (issue 12)."""
    return message.replace(path, BODY).replace(tmp, "")
