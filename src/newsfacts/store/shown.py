"""What the quotable sets show, kept as hashed runs, and which texts hold a run.

The cross-article pass (`store.quotable.reconcile`) needs two answers for a changed
article A, at any store size (issue 12):

- which runs of A's text other articles' sets and entity names already show (and
  which articles' sets show them: those pieces may have to go to make room for A);
- which stored texts a piece A may show would reveal (retellings, and a sentence
  shared by otherwise different stories).

Only *shown* text can reveal anything, so the first is a lookup of A's countable
runs (`verbatim.windows`) in `shown_runs`, a 64-bit hash of every run every set and
every long name shows. The second asks the texts' substring index (FTS5 trigram on
SQLite, pg_trgm on PostgreSQL, migration 0008) for the runs of A's candidate pieces
that nothing shows yet: a run already shown costs no article anything more. The
index answers a superset (SQLite's trigrams ignore case); the pass then weighs A
exactly against the texts found (`policy.overlap.SharedText`). Memory and time per
changed article grow with its text and its neighbours, not with the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from hashlib import blake2b

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Record
from newsfacts.policy.quotable import candidate_spans
from newsfacts.policy.verbatim import MIN_RUN, Span, windows
from newsfacts.store.schema import RUNS_TABLE, articles, entities, quotable, shown_runs

PIECE, NAME = "p", "n"
# Parameters per statement (SQLite allows 32,766; PostgreSQL 65,535).
_CHUNK = 900
# Runs per substring query (an OR of phrases / LIKE patterns).
_PHRASES = 100


def run_hash(run: str) -> int:
    """A stable signed 64-bit hash of a run (Python's own `hash` is salted per process)."""
    return int.from_bytes(blake2b(run.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def text_runs(text: str) -> list[tuple[int, int, int]]:
    """(start, size, hash) of every countable run of `text`."""
    return [(i, size, run_hash(text[i : i + size])) for i, size in windows(text)]


def _hashes(value: str, spans: Iterable[Span]) -> set[int]:
    out: set[int] = set()
    for a, b in spans:
        out.update(run_hash(value[a + i : a + i + size]) for i, size in windows(value[a:b]))
    return out


def refresh(conn: Connection, ids: Sequence[str]) -> None:
    """Rewrite the shown runs of `ids` from their stored sets and entity names (sets
    written by any path: `write_set`, the bulk saver, a rebuild)."""
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        conn.execute(shown_runs.delete().where(shown_runs.c.article_id.in_(chunk)))
        rows: list[dict[str, object]] = []
        query = (
            sa.select(articles.c.id, articles.c.text, quotable.c.pieces)
            .select_from(articles.outerjoin(quotable, quotable.c.article_id == articles.c.id))
            .where(articles.c.id.in_(chunk))
        )
        for r in conn.execute(query):
            spans = [(int(p[1]), int(p[2])) for p in json.loads(r.pieces or "[]")]
            rows += _rows(r.id, PIECE, _hashes(r.text, [s for s in spans if s[1] > s[0]]))
        names: dict[str, set[str]] = {}
        query = sa.select(entities.c.article_id, entities.c.name, entities.c.entity_key)
        for r in conn.execute(query.where(entities.c.article_id.in_(chunk))):
            names.setdefault(r.article_id, set()).update({r.name, r.entity_key.split(":", 1)[-1]})
        for aid, found in names.items():
            rows += _rows(aid, NAME, set().union(*(_hashes(n, [(0, len(n))]) for n in found)))
        if rows:
            conn.execute(shown_runs.insert(), rows)


def store_pieces(conn: Connection, aid: str, text: str, spans: Iterable[Span]) -> None:
    """Replace what `aid`'s set shows (its names stay)."""
    conn.execute(
        shown_runs.delete().where(shown_runs.c.article_id == aid, shown_runs.c.kind == PIECE)
    )
    rows = _rows(aid, PIECE, _hashes(text, [s for s in spans if s[1] > s[0]]))
    if rows:
        conn.execute(shown_runs.insert(), rows)


def _rows(aid: str, kind: str, hashes: set[int]) -> list[dict[str, object]]:
    return [{"hash": h, "article_id": aid, "kind": kind} for h in hashes]


def showers(conn: Connection, hashes: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    """For each hash shown anywhere: the (article, kind) rows showing it."""
    wanted = list(set(hashes))
    out: dict[int, set[tuple[str, str]]] = {}
    cols = (shown_runs.c.hash, shown_runs.c.article_id, shown_runs.c.kind)
    for i in range(0, len(wanted), _CHUNK):
        query = sa.select(*cols).where(shown_runs.c.hash.in_(wanted[i : i + _CHUNK]))
        for h, aid, kind in conn.execute(query):
            out.setdefault(h, set()).add((aid, kind))
    return out


def holders(conn: Connection, runs: Iterable[str]) -> set[str]:
    """Articles whose text may hold one of `runs` (a superset: verify exactly)."""
    runs = sorted(set(runs))
    found: set[str] = set()
    sqlite = conn.dialect.name == "sqlite"
    for i in range(0, len(runs), _PHRASES):
        chunk = runs[i : i + _PHRASES]
        if sqlite:
            q = " OR ".join('"' + r.replace('"', '""') + '"' for r in chunk)
            sql = f"SELECT DISTINCT article_id FROM {RUNS_TABLE} WHERE {RUNS_TABLE} MATCH :q"
            found.update(conn.execute(sa.text(sql), {"q": q}).scalars())
        else:
            params = {f"p{k}": "%" + _like(r) + "%" for k, r in enumerate(chunk)}
            where = " OR ".join(f"text LIKE :p{k} ESCAPE '\\'" for k in range(len(chunk)))
            sql = f"SELECT id FROM articles WHERE {where}"
            found.update(conn.execute(sa.text(sql), params).scalars())
    return found


def _like(run: str) -> str:
    return run.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def scope(conn: Connection, changed: Sequence[str], records: dict[str, Record]) -> set[str]:
    """The articles the pass must hold in memory to weigh `changed` exactly: these,
    the articles whose sets show runs of their texts (pieces that may have to go),
    and the articles holding a run that a candidate piece would newly show."""
    pending = set(changed)
    out = set(changed)
    runs = {aid: text_runs(rec.article.text) for aid, rec in records.items()}
    shown = showers(conn, (h for found in runs.values() for _, _, h in found))
    by_others: set[int] = set()
    for h, who in shown.items():
        for aid, kind in who:
            if kind == PIECE and aid not in pending:
                out.add(aid)
            if kind == NAME or aid not in pending:
                by_others.add(h)
    fresh: set[str] = set()
    for aid, rec in records.items():
        text = rec.article.text
        cand = bytearray(len(text) + 1)  # 1 where a candidate piece may reach
        for a, b in candidate_spans(rec):
            cand[a:b] = b"\x01" * (b - a)
        for i, size, h in runs[aid]:
            if h not in by_others and cand[i : i + size].count(0) == 0:
                fresh.add(text[i : i + MIN_RUN])
    return out | holders(conn, fresh)


def external(conn: Connection, texts: dict[str, str], inside: set[str]) -> dict[str, list[Span]]:
    """Offsets of each text that names, and the sets of articles outside `inside`,
    already show (the pass weighs the sets of `inside` itself)."""
    runs = {aid: text_runs(text) for aid, text in texts.items()}
    shown = showers(conn, (h for found in runs.values() for _, _, h in found))
    out: dict[str, list[Span]] = {}
    for aid, found in runs.items():
        for i, size, h in found:
            who = shown.get(h)
            if who and any(kind == NAME or other not in inside for other, kind in who):
                out.setdefault(aid, []).append((i, i + size))
    return out
