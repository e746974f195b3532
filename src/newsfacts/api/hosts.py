"""The Host-header check: the loopback API answers only to the names it is served as.

A web page on any site can make the visitor's browser send requests to
127.0.0.1:8000 under the page's own host name by re-pointing that name's DNS at
loopback (DNS rebinding); the browser then lets the page read the answers. The
answers are only served to requests whose Host header names the server as it was
meant to be reached: localhost, 127.0.0.1, [::1], the address `serve --host`
binds, and any names in $NEWSFACTS_ALLOWED_HOSTS (comma-separated; `*` turns the
check off). Other hosts get a 400 in the API's one error body (issue 12).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

ENV_HOSTS = "NEWSFACTS_ALLOWED_HOSTS"
LOOPBACK = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_BINDS = ("0.0.0.0", "::", "")  # noqa: S104 - names, not a bind

_HOST = re.compile(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]]*)(?::\d*)?")


def host_name(header: str | None) -> str | None:
    """The host of a Host header ("[::1]:8000" -> "[::1]"), lower-case, no final dot."""
    if header is None:
        return None
    m = _HOST.fullmatch(header.strip())
    if m is None or not m.group(1):
        return None
    return m.group(1).lower().rstrip(".")


def allowed_hosts(bind: str | None = None, extra: Iterable[str] = ()) -> list[str]:
    """The names a server bound to `bind` answers to (["*"]: any).

    A wildcard bind (0.0.0.0) is a deliberate public server, reached by names this
    process cannot know: it answers to any, unless $NEWSFACTS_ALLOWED_HOSTS says.
    """
    env = [h.strip().lower() for h in os.environ.get(ENV_HOSTS, "").split(",") if h.strip()]
    names = [*LOOPBACK, *env, *(h.lower() for h in extra)]
    if bind is not None:
        if bind in WILDCARD_BINDS and not env:
            return ["*"]
        if bind not in WILDCARD_BINDS:
            names.append(_as_host(bind))
    return list(dict.fromkeys(names))


def _as_host(bind: str) -> str:
    try:
        return f"[{bind}]" if ipaddress.ip_address(bind).version == 6 else bind
    except ValueError:
        return bind.lower()


class HostCheck:
    """ASGI middleware refusing requests whose Host is not one of `allowed`."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = frozenset(h.lower() for h in allowed)
        self.any = "*" in self.allowed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = host_name(Headers(scope=scope).get("host"))
        if host in self.allowed:
            await self.app(scope, receive, send)
            return
        from newsfacts.api.errors import error_json

        shown = (host or "")[:100]
        await error_json(
            400,
            f"узел {shown!r} не обслуживается: откройте сервер как localhost или 127.0.0.1 "
            f"(другие имена — в {ENV_HOSTS})",
        )(scope, receive, send)
