"""Bytes to text: UTF-8 or UTF-16 when they are, else the legacy Cyrillic encoding detected.

Why a module of its own: plain text, JSON Lines and the page scan of the HTML reader
all need the same decision (and the same refusal of binary data), apart from the
format each of them then parses.
"""

from __future__ import annotations


class _Unreadable(Exception):
    """Internal: the bytes are not text in any encoding we accept."""


def decode(data: bytes) -> str:
    """UTF-8 when the bytes are UTF-8, else the encoding charset-normalizer detects."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:  # a lone surrogate half
            raise _Unreadable from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    # Legacy Russian files are cp1251 far more often than anything else; prefer it
    # when it decodes, since short texts make charset detection ambiguous.
    best = from_bytes(data, cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic"]).best()
    if best is None or best.encoding is None:
        raise _Unreadable
    text = str(best)
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > len(text) / 100:
        raise _Unreadable
    return text
