"""Records turned into what analysts read: entity ids resolved, text only as quotes.

The API, the pages and the exports all show facts through these functions, so the
reuse policy is applied in one place: article text appears only as `Quote`s drawn
from the article's quotable set through the caller's `QuoteBudget`, or as the full
text where the policy or a grant allows it. Titles, arguments copied from the text
and aliases go through `QuoteBudget.shown`, so they too reveal only that set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from newsfacts.fact_args import entity_json, prefetch_args, record_facts, resolve_args
from newsfacts.model import Article, Entity, Fact, Record
from newsfacts.policy.quota import REASONS, QuoteBudget
from newsfacts.urls import http_url


def article_meta(article: Article, budget: QuoteBudget) -> dict[str, Any]:
    policy = budget.policy(article)
    url = http_url(article.url)
    return {
        "id": article.id,
        "title": budget.title(article),
        "source": article.source,
        "url": url,
        "link": url,
        "published": article.published,
        "language": article.language,
        "length": len(article.text),
        "policy": {
            "max_share": policy.max_share,
            "link_required": policy.link_required,
            "full_text": policy.full_text,
            "origin": policy.origin,
            "granted": budget.granted(article),
        },
    }


def shown_aliases(
    record: Record, entity: Entity, budget: QuoteBudget, aliases: list[str] | None = None
) -> list[str]:
    """The surface forms that reveal nothing outside the quotable set (others are left
    out); of `aliases` (some of the entity's) when given."""
    forms = entity.aliases if aliases is None else aliases
    return [a for a in forms if budget.shown(record.article, a) == a]


def fact_json(
    record: Record, seq: int, budget: QuoteBudget, fact: Fact | None = None
) -> dict[str, Any]:
    """Fact `seq` of `record`; pass `fact` when the record holds only some of its
    facts (an entity page's slice, `store.factindex.Slice`)."""
    fact = record.facts[seq] if fact is None else fact
    budget.remember(record.article)
    found = [budget.quote_or_reason(record.article, s, e) for s, e in fact.evidence]
    quotes = [q if not isinstance(q, str) else None for q in found]
    why = next((q for q in found if isinstance(q, str)), None)
    return {
        "article_id": record.article.id,
        "seq": seq,
        "type": fact.type,
        "args": resolve_args(record, fact.args, budget),
        "modality": fact.modality,
        "confidence": round(float(fact.confidence), 3),
        "extractor": fact.extractor,
        "extractor_version": record.extractor_version,
        "evidence": [q.to_dict() for q in quotes if q is not None],
        "evidence_withheld": sum(q is None for q in quotes),
        # Why the withheld quotes are not shown: a code and a line for readers.
        "withheld_reason": why,
        "withheld_note": REASONS.get(why) if why else None,
    }


def wording_check(fact: dict[str, Any]) -> Callable[[str], bool] | None:
    """For wording composed from a fact after `fact_json` (a page's statement): a test
    that the text repeats nothing of the fact's article outside its quotable set.
    None when no budget of this response knows the article."""
    budget = QuoteBudget.current()
    article = budget.article(str(fact.get("article_id"))) if budget is not None else None
    if budget is None or article is None:
        return None
    return lambda text: not budget.wording_reveals(article, text)


def prefetch_wording(values: Iterable[str]) -> None:
    """Tell this response's budget the statements a page will check (`wording_check`),
    so it looks up the texts holding them in one read."""
    budget = QuoteBudget.current()
    if budget is not None:
        budget.prefetch(values)


def record_json(record: Record, budget: QuoteBudget) -> dict[str, Any]:
    """One article for the API: metadata, entities, facts with quotes, full text if allowed."""
    prefetch_args(budget, record_facts([record]))
    facts = [fact_json(record, i, budget) for i in range(len(record.facts))]
    return {
        "article": article_meta(record.article, budget),
        "text": budget.full_text(record.article),
        "entities": [
            {
                **entity_json(e),
                "aliases": shown_aliases(record, e, budget),
                "mentions": len(e.mentions),
            }
            for e in record.entities
        ],
        "facts": facts,
        "quoted_chars": budget.used(record.article),
        "allowed_chars": budget.allowance(record.article),
        # What of the text may ever be shown, over all responses (issue 12).
        "quotable_chars": None
        if budget.full_text_allowed(record.article)
        else budget.quotable(record.article).coverage().size(),
    }
