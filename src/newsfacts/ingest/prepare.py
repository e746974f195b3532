"""Read items to cleaned articles, with every skip and error kept as a value.

`newsfacts extract`, `ingest` and the Ray batch all turn a reader's output into
articles the same way; what differs is only what each does with a skip or an error
(a warning line, a report entry, an error row), so that choice stays with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from newsfacts.ingest.clean import Rejected, clean
from newsfacts.ingest.readers import IngestError
from newsfacts.model import Article, RawDocument
from newsfacts.timebudget import OverBudget, Stopwatch, time_limit


@dataclass(frozen=True)
class Cleaned:
    """One input item: an article, a documented skip, or an error (one line each)."""

    origin: str
    article: Article | None = None
    skipped: str | None = None  # readable but not ingested (empty, not Russian)
    error: str | None = None  # unreadable, or cleaning failed
    seconds: float = 0.0  # spent cleaning it (part of the article's time budget)


def clean_each(
    items: Iterable[RawDocument | IngestError],
    default_origin: str = "<input>",
    *,
    budget: float | None = None,
) -> Iterator[Cleaned]:
    """Clean every readable item; one bad item never stops the others.

    `budget`: seconds an item's cleaning may take before it is an error (None: no limit)."""
    for item in items:
        if isinstance(item, IngestError):
            yield Cleaned(item.origin, error=item.message)
            continue
        origin = item.origin or default_origin
        watch = Stopwatch()
        try:
            with time_limit(budget):
                article = clean(item)
            yield Cleaned(origin, article=article, seconds=watch.elapsed())
        except OverBudget as exc:
            yield Cleaned(origin, error=f"cleaning: {exc}; skipped")
        except Rejected as exc:
            message = str(exc)
            if not message.startswith(origin):
                message = f"{origin}: {message}"
            yield Cleaned(origin, skipped=message)
        except Exception as exc:
            yield Cleaned(origin, error=f"{type(exc).__name__}: {exc}")
