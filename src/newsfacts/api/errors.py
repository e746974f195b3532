"""One error body for the whole API: `{"error": {"code", "message", "fields"}}`.

Every failure a client can meet (a bad parameter, an unknown id, a missing token,
an oversized body) comes back in this shape, with a message in Russian that names
the parameter and says what is expected, never pydantic's English or a server
path. Pages get the same message rendered as HTML through a hook the page layer
installs (`app.state.html_error`), so this module never imports `newsfacts.web`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_parameter",
    429: "too_many_requests",
    500: "internal_error",
}
MAX_MESSAGE = 500
DATE_HINT = "ожидается дата ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД (например, 2022-06-01)"


class FieldError(BaseModel):
    """What is wrong with one parameter."""

    name: str = Field(description="parameter name as sent, e.g. date_from")
    message: str


class ErrorDetail(BaseModel):
    code: str = Field(description="stable machine code: not_found, invalid_parameter, …")
    message: str = Field(description="one readable line, in Russian")
    fields: list[FieldError] = Field(default_factory=list)


class ErrorBody(BaseModel):
    """The body of every 4xx the API returns."""

    error: ErrorDetail


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the errors a route can return."""
    text = {
        401: "Нет токена API или он неверен",
        403: "Действие запрещено",
        404: "Не найдено",
        413: "Слишком большое тело запроса",
        415: "Неподдерживаемый тип содержимого",
        422: "Неверный параметр",
    }
    return {s: {"model": ErrorBody, "description": text.get(s, "Ошибка")} for s in statuses}


def not_found(message: str) -> HTTPException:
    return HTTPException(status_code=404, detail=message)


def _plural(n: int, one: str, few: str, many: str) -> str:
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else many


def _calendar_problem(value: Any) -> str | None:
    """For a value shaped like a date that no calendar has (2022-02-31), say so."""
    import datetime as dt
    import re

    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"в календаре нет даты {value}"
    return None


def field_message(err: dict[str, Any]) -> str:
    """A pydantic error as a Russian phrase; the parameter name is added by the caller."""
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = err.get("input")
    name = str(err.get("loc", ("",))[-1])
    if kind == "missing":
        return "обязательный параметр"
    if kind == "string_pattern_mismatch":
        if name.startswith("date") or name in ("published", "on"):
            return _calendar_problem(value) or DATE_HINT
        if name == "country":
            return "ожидается двухбуквенный код страны ISO 3166-1 (например, KZ)"
        return "значение не в ожидаемом формате"
    if kind == "string_too_long":
        n = int(ctx.get("max_length", 0))
        return f"не длиннее {n} {_plural(n, 'символа', 'символов', 'символов')}"
    if kind == "string_too_short":
        return "не может быть пустым"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return "ожидается целое число"
    if kind in ("float_parsing", "float_type"):
        return "ожидается число"
    if kind in ("bool_parsing", "bool_type"):
        return "ожидается true или false"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"должно быть не меньше {bound}" if kind.endswith("equal") else f"больше {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"должно быть не больше {bound}" if kind.endswith("equal") else f"меньше {bound}"
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"допустимые значения: {expected}"
    if kind == "value_error":
        return str(ctx.get("error") or err.get("msg", "неверное значение"))
    if kind in ("string_type", "string_unicode"):
        return "ожидается строка"
    return "неверное значение"


def validation_fields(errors: Sequence[Any]) -> list[FieldError]:
    out: list[FieldError] = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body", "header")]
        out.append(FieldError(name=".".join(loc) or "request", message=field_message(err)))
    return out


def error_json(
    status: int, message: str, fields: list[FieldError] | None = None, headers: Any = None
) -> JSONResponse:
    body = ErrorBody(
        error=ErrorDetail(
            code=CODES.get(status, f"http_{status}"),
            message=message[:MAX_MESSAGE],
            fields=fields or [],
        )
    )
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


HtmlError = Callable[[Request, int, str], Response]


def _html_error(request: Request) -> HtmlError | None:
    """The page layer's renderer, for requests outside the API and its docs."""
    render = getattr(request.app.state, "html_error", None)
    if render is None or request.url.path.startswith(
        ("/api", "/openapi", "/docs", "/redoc", "/static")
    ):
        return None
    return render


async def validation_error(request: Request, exc: RequestValidationError) -> Response:
    """422 naming each bad parameter and what it should be."""
    fields = validation_fields(exc.errors())
    message = "; ".join(f"{f.name}: {f.message}" for f in fields) or "неверный запрос"
    render = _html_error(request)
    if render is not None:
        return render(request, 422, message)
    return error_json(422, message, fields)


# Starlette's own English phrases (an unknown path, a wrong method) in Russian.
DEFAULT_MESSAGES = {
    404: "нет такого адреса",
    405: "этот метод здесь не поддерживается",
}


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    message = exc.detail if isinstance(exc.detail, str) else "ошибка запроса"
    if message == HTTPStatus(exc.status_code).phrase:
        message = DEFAULT_MESSAGES.get(exc.status_code, message)
    render = _html_error(request)
    if render is not None:
        return render(request, exc.status_code, message)
    return error_json(exc.status_code, message, headers=exc.headers)


def _one_error_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """FastAPI documents its own 422 body (HTTPValidationError) on every route with
    parameters; the API answers with ErrorBody, so the document says that instead."""
    schemas = spec.get("components", {}).get("schemas", {})
    schemas.pop("HTTPValidationError", None)
    schemas.pop("ValidationError", None)
    schemas.setdefault(
        "ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for name, sub in (
        ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
        .get("$defs", {})
        .items()
    ):
        schemas.setdefault(name, sub)
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    for ops in spec.get("paths", {}).values():
        for op in ops.values():
            answer = op.get("responses", {}).get("422")
            if answer is not None:
                answer["content"] = {"application/json": {"schema": ref}}
                answer["description"] = "Неверный параметр"
    return spec


def install(app: Any) -> None:
    """One error body: exception handlers, and the OpenAPI document to match."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _one_error_schema(build())
        return app.openapi_schema

    app.openapi = openapi
