"""Article URLs: only http(s) ever enters the store or an href.

A `javascript:` or `data:` URL stored with an article becomes a link on every page
that cites it (stored XSS, issue 12), so each way a URL comes in (JSONL, RSS and
HTML metadata, `ingest --url`, `POST /api/ingest?url=`, Parquet `load`) goes
through `check_url`, and every output through `http_url` as a second guard for
stores written before the check existed.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

MAX_URL = 2000


class BadUrl(ValueError):
    """A URL that is not an absolute http(s) URL; the message is one line."""


def check_url(value: str | None) -> str | None:
    """`value` stripped if it is an absolute http(s) URL, None if empty; else BadUrl."""
    if value is None:
        return None
    url = value.strip()
    if not url:
        return None
    shown = url[:80].encode("unicode_escape").decode("ascii")
    refused = BadUrl(f"only http(s) article URLs are accepted, not '{shown}'")
    if len(url) > MAX_URL:
        raise BadUrl(f"only http(s) article URLs up to {MAX_URL} characters are accepted")
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c.isspace() for c in url):
        raise refused
    try:
        parts = urlsplit(url)
    except ValueError:
        raise refused from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise refused
    return url


@lru_cache(maxsize=65536)
def http_url(value: str | None) -> str | None:
    """`value` if it is a safe http(s) URL, else None (never raises).

    Memoised: a merged event of a 200k store lists ~750 sources, and checking their
    URLs again on every page was 4 s of 30 (issue 13); the answer depends on the
    string alone."""
    try:
        return check_url(value)
    except BadUrl:
        return None
