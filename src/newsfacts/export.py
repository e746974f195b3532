"""Facts as JSONL, CSV or Parquet: one row per fact, shared by the API and the CLI.

A row carries the fact's evidence only as a quote from the article's quotable set
(through the export's `QuoteBudget`), and its title and arguments only as far as
they stay inside that set, so no number of exports holds more of an article than
its source allows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any

from newsfacts.fact_args import fact_entities, prefetch_args, record_facts, resolve_args
from newsfacts.model import Record
from newsfacts.policy.quota import REASONS, QuoteBudget
from newsfacts.urls import http_url

FORMATS = ("jsonl", "csv", "parquet")
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
COLUMNS = (
    "article_id",
    "seq",
    "type",
    "modality",
    "confidence",
    "args",
    "entities",
    "quote",
    "quote_truncated",
    "quote_url",
    "quote_note",
    "title",
    "source",
    "url",
    "published",
    "extractor",
    "extractor_version",
)
# Joins a fact's several evidence quotes in one cell; not article text.
QUOTE_SEPARATOR = " … "
# Columns holding nested values: objects in JSONL, JSON strings in Parquet, flattened
# into plain columns in CSV.
NESTED = ("args", "entities")


class ExportError(ValueError):
    """An export the caller asked for cannot be produced (unknown format, bad target)."""


@dataclass
class Selection(Record):
    """A record cut down to some of its facts; `seqs` keeps each fact's place in the
    article, so an exported (article_id, seq) names the same fact as the API does."""

    seqs: list[int] = field(default_factory=list)


def select_records(
    load: Callable[[str], Record | None], refs: Iterable[tuple[str, int]]
) -> Iterator[Record]:
    """Records holding only the facts `refs` (article id, seq) name, one article at a time.

    Lets an export stream a filtered fact list without loading the whole store.
    """
    chosen: dict[str, list[int]] = {}
    for article_id, seq in refs:
        chosen.setdefault(article_id, []).append(seq)
    for article_id, seqs in chosen.items():
        record = load(article_id)
        if record is None:
            continue
        kept = [s for s in sorted(set(seqs)) if 0 <= s < len(record.facts)]
        facts = [record.facts[s] for s in kept]
        yield Selection(record.article, record.entities, facts, record.extractor_version, kept)


def fact_rows(records: Iterable[Record], budget: QuoteBudget) -> Iterator[dict[str, Any]]:
    it = iter(records)
    while chunk := list(islice(it, _PREFETCH_RECORDS)):
        prefetch_args(budget, record_facts(chunk))
        yield from _chunk_rows(chunk, budget)


# Records whose arguments an export looks up together (`prefetch_args`): the look-ups
# stay a few per chunk while the rows still stream.
_PREFETCH_RECORDS = 200


def _chunk_rows(records: Iterable[Record], budget: QuoteBudget) -> Iterator[dict[str, Any]]:
    for record in records:
        art = record.article
        seqs = record.seqs if isinstance(record, Selection) else range(len(record.facts))
        for seq, fact in zip(seqs, record.facts, strict=True):
            found = [budget.quote_or_reason(art, s, e) for s, e in fact.evidence]
            kept = [q for q in found if not isinstance(q, str)]
            why = next((q for q in found if isinstance(q, str)), None)
            yield {
                "article_id": art.id,
                "seq": seq,
                "type": fact.type,
                "modality": fact.modality,
                "confidence": round(float(fact.confidence), 3),
                "args": resolve_args(record, fact.args, budget),
                "entities": fact_entities(record, fact),
                "quote": QUOTE_SEPARATOR.join(q.text for q in kept) or None,
                "quote_truncated": any(q.truncated for q in kept) or len(kept) < len(found),
                "quote_url": kept[0].url if kept else None,
                "quote_note": REASONS.get(why) if why else None,
                "title": budget.title(art),
                "source": art.source,
                "url": http_url(art.url),
                "published": art.published,
                "extractor": fact.extractor,
                "extractor_version": record.extractor_version,
            }


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(row[k], ensure_ascii=False) if k in NESTED else row[k] for k in COLUMNS}


def write_jsonl(rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


# Joins the items of a list argument (several participants) in one CSV cell.
LIST_SEPARATOR = "; "


def _cell(value: Any) -> Any:
    """One argument as plain text: an entity by its name, a list joined."""
    if isinstance(value, dict):
        return value.get("name", value.get("value"))
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(_cell(v)) for v in value if _cell(v) is not None)
    return value


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """A fact row with no JSON inside: one column per argument (`arg_<role>`, and
    `arg_<role>_<field>` for a structured one such as a change), entities as keys."""
    out = {k: row[k] for k in COLUMNS if k not in NESTED}
    for role, value in row["args"].items():
        if isinstance(value, dict) and "name" not in value:
            for sub, inner in value.items():
                out[f"arg_{role}_{sub}"] = _cell(inner)
        else:
            out[f"arg_{role}"] = _cell(value)
    out["entities"] = LIST_SEPARATOR.join(f"{e['role']}={e['key']}" for e in row["entities"])
    return out


def write_csv(rows: Iterable[dict[str, Any]], fh: IO[str]) -> int:
    """CSV with flat columns; the argument columns are those the exported facts use."""
    flat = [csv_row(r) for r in rows]
    base = [c for c in COLUMNS if c != "args"]
    extra = sorted({k for r in flat for k in r} - set(base))
    writer = csv.DictWriter(fh, fieldnames=base + extra)
    writer.writeheader()
    writer.writerows(flat)
    return len(flat)


def parquet_schema() -> Any:
    import pyarrow as pa

    types = {"seq": pa.int64(), "confidence": pa.float64(), "quote_truncated": pa.bool_()}
    return pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])


def write_parquet(rows: Iterable[dict[str, Any]], target: str | Path | IO[bytes]) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    flat = [_flat(r) for r in rows]
    table = pa.Table.from_pylist(flat, schema=parquet_schema())
    pq.write_table(table, target)
    return len(flat)


def export(
    records: Iterable[Record], fmt: str, target: str | Path | IO[Any], budget: QuoteBudget
) -> int:
    """Write every fact of `records` to `target` (path or open file); returns the row count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    rows = fact_rows(records, budget)
    if fmt == "parquet":
        return write_parquet(rows, target if not isinstance(target, Path) else str(target))
    writer = write_jsonl if fmt == "jsonl" else write_csv
    if isinstance(target, str | Path):
        try:
            with open(target, "w", encoding="utf-8", newline="") as fh:
                return writer(rows, fh)
        except OSError as exc:
            raise ExportError(f"{target}: {exc.strerror or exc}") from exc
    return writer(rows, target)


def export_bytes(records: Iterable[Record], fmt: str, budget: QuoteBudget) -> bytes:
    if fmt == "parquet":
        buf = io.BytesIO()
        export(records, fmt, buf, budget)
        return buf.getvalue()
    text = io.StringIO(newline="")
    export(records, fmt, text, budget)
    return text.getvalue().encode("utf-8")
