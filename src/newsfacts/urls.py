"""Article URLs: only http(s) ever enters the store or an href.

A `javascript:` or `data:` URL stored with an article becomes a link on every page
that cites it (stored XSS, issue 12), so each way a URL comes in (JSONL, RSS and
HTML metadata, `ingest --url`, `POST /api/ingest?url=`, Parquet `load`) goes
through `check_url`, and every output through `http_url` as a second guard for
stores written before the check existed.
"""

from __future__ import annotations

import re
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
    if len(url) > MAX_URL:
        raise BadUrl(f"only http(s) article URLs up to {MAX_URL} characters are accepted")
    if _BAD_CHAR.search(url):
        raise _refused(url)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise _refused(url) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise _refused(url)
    return url


# A control character, DEL or any whitespace (`\s` is `str.isspace` for str patterns):
# one regex search instead of a Python test per character, which was 1.3 s of a
# dossier listing 8,500 event sources (issue 13).
_BAD_CHAR = re.compile(r"[\x00-\x1f\x7f\s]")


def _refused(url: str) -> BadUrl:
    shown = url[:80].encode("unicode_escape").decode("ascii")
    return BadUrl(f"only http(s) article URLs are accepted, not '{shown}'")


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
