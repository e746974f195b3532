"""/facts/export and /articles/export: the rows a list page shows, every page of them.

Each export takes its page's query through the page's own dependencies (`lists.View`)
and asks the same list functions with the page's sort and no paging, so the file
holds exactly the rows the page lists, in the order it lists them. A fact's row is the
API's export row (`newsfacts.export`: quotes within each source's policy, flat CSV
columns) with an analyst's corrections applied, as the page shows them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response

from newsfacts.api.state import AppState, State
from newsfacts.export import COLUMNS, MEDIA_TYPES, Selection, fact_rows, write_csv, write_jsonl
from newsfacts.store import verdicts as V
from newsfacts.web import facets as F
from newsfacts.web.lists import ArticleView, FactView, View

MAX_ROWS = 100_000
BATCH = 500  # records loaded per store read
Format = Annotated[Literal["jsonl", "csv", "parquet"], Query()]
ARTICLE_COLUMNS = ("id", "published", "title", "source", "url", "n_facts")


def _whole(found: Any) -> Any:
    """The view in full, or a refusal: a file cut at MAX_ROWS would not be the view."""
    if found.total > MAX_ROWS:
        raise HTTPException(
            413,
            f"в этом списке {found.total} строк, больше {MAX_ROWS}: сузьте фильтры и повторите",
        )
    return found


def _fact_rows(state: AppState, view: View) -> Iterator[dict[str, Any]]:
    found = _whole(F.fact_list(state.store.engine, view.filters, view.sort, MAX_ROWS, 0))
    budget = state.budget()
    with state.store.engine.connect() as conn:
        judged = V.fact_verdicts(conn, sorted({a for a, _ in found.items}))
    for start in range(0, len(found.items), BATCH):
        refs = found.items[start : start + BATCH]
        records = state.fact_records(refs)
        for article_id, seq in refs:
            record = records.get(article_id)
            if record is None or seq >= len(record.facts):
                continue
            one = Selection(
                record.article,
                record.entities,
                [record.facts[seq]],
                record.extractor_version,
                [seq],
            )
            for row in fact_rows([one], budget):
                fixes = (judged.get((article_id, seq)) or {}).get("fixes") or {}
                if fixes:
                    row["args"] = {**row["args"], **fixes}
                yield row


def _article_rows(state: AppState, view: View) -> list[dict[str, Any]]:
    ids = view.article_ids(state)
    found = _whole(F.article_list(state.store.engine, view.filters, ids, view.sort, MAX_ROWS, 0))
    return [{c: item.get(c) for c in ARTICLE_COLUMNS} for item in found.items]


def _parquet(rows: list[dict[str, Any]], columns: tuple[str, ...], types: dict[str, Any]) -> bytes:
    """Nested values (a fact's args and entities) as JSON strings, like the API's Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns])
    flat = [
        {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            for k, v in r.items()
        }
        for r in rows
    ]
    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(flat, schema=schema), buf)
    return buf.getvalue()


def _answer(body: bytes, fmt: str, name: str) -> Response:
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="newsfacts-{name}.{fmt}"'},
    )


def build_export_router() -> APIRouter:
    pages = APIRouter(include_in_schema=False)

    @pages.get("/facts/export")
    def export_facts(state: State, view: FactView, format: Format = "csv") -> Response:
        rows = list(_fact_rows(state, view))
        if format == "parquet":
            import pyarrow as pa

            types = {"seq": pa.int64(), "confidence": pa.float64(), "quote_truncated": pa.bool_()}
            return _answer(_parquet(rows, COLUMNS, types), format, "facts")
        text = io.StringIO(newline="")
        (write_csv if format == "csv" else write_jsonl)(rows, text)
        return _answer(text.getvalue().encode("utf-8"), format, "facts")

    @pages.get("/articles/export")
    def export_articles(state: State, view: ArticleView, format: Format = "csv") -> Response:
        rows = _article_rows(state, view)
        if format == "parquet":
            import pyarrow as pa

            return _answer(
                _parquet(rows, ARTICLE_COLUMNS, {"n_facts": pa.int64()}), format, "articles"
            )
        text = io.StringIO(newline="")
        if format == "csv":
            writer = csv.DictWriter(text, fieldnames=list(ARTICLE_COLUMNS))
            writer.writeheader()
            writer.writerows(rows)
        else:
            write_jsonl(rows, text)
        return _answer(text.getvalue().encode("utf-8"), format, "articles")

    return pages
