"""Articles from HTML pages, and the text of HTML fragments.

Why a module of its own: a saved page needs its main text found (trafilatura), its
metadata read and its reuse-policy footer kept; the fragment-to-text conversion here
is also what the feed reader uses for entry bodies.
"""

from __future__ import annotations

import logging
from html.parser import HTMLParser
from typing import Any

from newsfacts.ingest.clean import domain_of
from newsfacts.ingest.read_errors import IngestError
from newsfacts.ingest.text_decoding import _Unreadable, decode
from newsfacts.model import RawDocument
from newsfacts.policy.footer import detect_footer, is_footer_sentence


def _read_html(data: bytes, origin: str) -> RawDocument | IngestError:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        doc = trafilatura.bare_extraction(
            data, with_metadata=True, include_comments=False, include_images=False
        )
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura raise many kinds on junk
        return IngestError(origin, f"cannot parse HTML: {type(exc).__name__}")
    if doc is None:
        return IngestError(origin, "no article text found in HTML")
    meta: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    text = (meta.get("text") or "").strip()
    if not text:
        return IngestError(origin, "no article text found in HTML")
    title = (meta.get("title") or "").strip() or None
    if title and text.split("\n", 1)[0].strip() == title:
        text = text.split("\n", 1)[1].strip() if "\n" in text else ""
        if not text:
            return IngestError(origin, "no article text found in HTML")
    url = meta.get("url") or None
    text = _with_page_policy(text, data)
    return RawDocument(
        text=text,
        title=title,
        url=url,
        published=meta.get("date") or None,
        source=domain_of(url) or meta.get("hostname") or meta.get("sitename") or None,
        origin=origin,
    )


def _with_page_policy(text: str, data: bytes) -> str:
    """The article text, followed by the page's reuse-policy lines when it has none.

    Sites print their reuse policy in the page footer, which the main-text
    extractor rightly drops; without it the article would get the permissive
    default policy. The cleaner cuts these lines off again as the footer.
    """
    if detect_footer(text) is not None:
        return text
    try:
        page = html_to_text(decode(data))
    except (_Unreadable, UnicodeDecodeError):
        return text
    found: list[str] = []
    for line in page.split("\n"):
        if len(line) <= 400 and is_footer_sentence(line) and line not in found:
            found.append(line)
    policy_lines = [line for line in found if not line.lstrip().startswith(("©", "(c)"))]
    return "\n".join([text, *policy_lines]) if policy_lines else text


class _HtmlText(HTMLParser):
    """Text of an HTML fragment (feed entries) with block elements as line breaks."""

    BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "blockquote",
            "section",
            "article",
        ]
    )
    SKIP = frozenset({"script", "style", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    parser = _HtmlText()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)
