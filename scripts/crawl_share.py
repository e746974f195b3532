"""Crawl every page, API endpoint and export of a store; report the share of each article read.

    PYTHONPATH=src .venv/bin/python scripts/crawl_share.py --db newsfacts.db [--json out.json]

A client who combines every response should read at most each source's share of
any article (issue 12). This drives the app in process (no server), feeds every
response to `policy.measure.RevealMeter` (verbatim runs of an article's text: 12
characters over three words, or 20 characters, letter to letter, mapped back to its
offsets; `policy.verbatim.windows`) and prints, per source, the largest share read
against the share allowed, plus how many facts show a quote. "Strict" counts a run
for every article holding it; text of articles served in full counts for them alone.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fastapi.testclient import TestClient  # noqa: E402

from newsfacts.model import FACT_TYPES  # noqa: E402
from newsfacts.policy.measure import RevealMeter  # noqa: E402
from newsfacts.policy.quota import QuoteBudget  # noqa: E402
from newsfacts.policy.registry import default_registry  # noqa: E402
from newsfacts.server import create_app  # noqa: E402
from newsfacts.store import Store  # noqa: E402


def urls(store: Store, client: TestClient) -> list[str]:
    """Every page and GET endpoint that returns text, for every article and entity."""
    ids = [a["id"] for a in store.list_articles(limit=100_000, include_duplicates=True)]
    keys = sorted(
        {e["key"] for q in "аеиоуыяьбвгдклмнпрст" for e in _items(client, "/api/entities", q=q)}
    )
    places = [k for k in keys if k.startswith("location:")]
    out = ["/", "/articles", "/facts", "/graph", "/api/quantities", "/api/meetings"]
    out += ["/api/articles?limit=500", "/api/events?limit=500", "/api/facts?limit=500"]
    for offset in range(0, len(ids) + 25, 25):
        out += [f"/articles?offset={offset}", f"/facts?offset={offset}"]
    for t in FACT_TYPES:
        out += [f"/api/facts?type={t}&limit=500", f"/facts?type={t}", f"/api/events?type={t}"]
    for aid in ids:
        out += [f"/api/articles/{aid}", f"/articles/{aid}"]
    for key in keys:
        k = quote(key, safe=":")
        out += [f"/api/entities/{k}", f"/entities/{k}", f"/api/facts?entity={k}&limit=500"]
        out += [f"/api/events?entity={k}", f"/api/quantities?subject={k}"]
    for key in places:
        k = quote(key, safe=":")
        out += [f"/api/dossiers/{k}", f"/dossiers/{k}"]
    for event in _items(client, "/api/events", limit=500):  # every merged event's sources
        out += [f"/api/events/{event['id']}", f"/events/{event['id']}"]
        for offset in range(0, event["n_sources"], 50):
            out.append(f"/api/events/{event['id']}/sources?limit=50&offset={offset}")
            out.append(f"/events/{event['id']}?offset={offset}")
    words = {w for key in keys for w in key.split(":", 1)[1].split()[:1] if len(w) > 3}
    for w in sorted(words):
        out += [f"/?q={quote(w)}", f"/api/articles?q={quote(w)}", f"/api/facts?q={quote(w)}"]
    for fmt in ("jsonl", "csv", "parquet"):
        out.append(f"/api/export?format={fmt}&limit=100000")
    return out


def _quotable_mask(budget: QuoteBudget, article: Any) -> bytearray | None:
    """The article's quotable offsets (None on code without quotable sets)."""
    if not hasattr(budget, "shown_offsets"):
        return None
    return budget.shown_offsets(article)


def _items(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    r = client.get(path, params=params)
    return r.json().get("items", []) if r.status_code == 200 else []


def crawl(db: str) -> dict[str, Any]:
    store = Store.open(db)
    client = TestClient(create_app(store, token=None), base_url="http://127.0.0.1")
    ids = [a["id"] for a in store.list_articles(limit=100_000, include_duplicates=True)]
    records = store.get_records(ids)
    budget = QuoteBudget(default_registry(), permitted=store.has_permission)
    texts = {aid: r.article.text for aid, r in records.items()}
    owned = {aid: _quotable_mask(budget, r.article) for aid, r in records.items()}
    public = {aid for aid, r in records.items() if budget.allowance(r.article) is None}
    meter = RevealMeter(
        texts, quotable={a: m for a, m in owned.items() if m is not None}, public=public
    )
    paths = urls(store, client)
    fetched = 0
    for path in paths:
        r = client.get(path)
        if r.status_code != 200:
            continue
        fetched += 1
        meter.feed_body(r.headers.get("content-type", ""), r.content)
    per_source: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"articles": 0, "max_share": 0.0, "max_share_attributed": 0.0}
    )
    over, over_attributed = [], []
    facts = quoted = 0
    worst = worst_attributed = 0.0
    for aid, record in records.items():
        art = record.article
        allowance = budget.allowance(art)
        share = meter.share(aid)
        own = meter.share(aid, strict=False)
        row = per_source[art.source or "?"]
        row["articles"] += 1
        row["max_share"] = max(row["max_share"], round(share, 4))
        row["max_share_attributed"] = max(row["max_share_attributed"], round(own, 4))
        row["allowed"] = None if allowance is None else budget.policy(art).max_share
        if allowance is not None:
            worst = max(worst, share)
            worst_attributed = max(worst_attributed, own)
            if meter.revealed(aid) > allowance:
                over.append({"id": aid, "source": art.source, "share": round(share, 4)})
            if meter.revealed(aid, strict=False) > allowance:
                over_attributed.append({"id": aid, "source": art.source, "share": round(own, 4)})
        body = client.get(f"/api/articles/{aid}").json()
        for fact in body.get("facts", []):
            facts += 1
            quoted += bool(fact.get("evidence"))
    store.close()
    return {
        "requests": fetched,
        "articles": len(records),
        "max_share_limited": round(worst, 4),
        "max_share_limited_attributed": round(worst_attributed, 4),
        "over_allowance": over,
        "over_allowance_attributed": over_attributed,
        "facts": facts,
        "facts_with_quote": quoted,
        "facts_with_quote_share": round(quoted / facts, 4) if facts else None,
        "sources": dict(sorted(per_source.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--json", help="write the full report here")
    args = parser.parse_args()
    report = crawl(args.db)
    if args.json:
        Path(args.json).write_text(json.dumps(report, ensure_ascii=False, indent=2))
    print(f"{report['requests']} responses over {report['articles']} articles")
    print(
        f"largest share read of a limited article: {report['max_share_limited']:.1%} strict, "
        f"{report['max_share_limited_attributed']:.1%} attributed"
    )
    print(
        f"articles read beyond their allowance: {len(report['over_allowance'])} strict, "
        f"{len(report['over_allowance_attributed'])} attributed"
    )
    print(
        f"facts showing a quote: {report['facts_with_quote']}/{report['facts']}"
        f" ({(report['facts_with_quote_share'] or 0):.1%})"
    )
    for source, row in report["sources"].items():
        allowed = "full" if row.get("allowed") is None else f"{row['allowed']:.0%}"
        print(
            f"  {source:<24} {row['articles']:>3} articles  max read {row['max_share']:.1%}"
            f" strict, {row['max_share_attributed']:.1%} attributed; allowed {allowed}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
