"""Which articles hold, and which sets show, a run of text: the look-ups of the
cross-article pass and of the wording checks (`store.shown` keeps the rows).

`scope` answers, for the articles a pass changes, which stored articles it must
weigh them against; `external` what articles outside the pass already show of
their texts; `holding` which stored texts a composed statement would reveal. Each
is an indexed IN look-up of hashes (`store.runkeys`), a few milliseconds an article
at any store size (issue 12).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.engine import Connection

from newsfacts.model import Record
from newsfacts.policy import title as loose
from newsfacts.policy.choose import candidate_spans
from newsfacts.policy.verbatim import Span, is_text, windows
from newsfacts.store.runkeys import Runs, TextRuns, probe_hashes
from newsfacts.store.shown import NAME

# Parameters per statement (SQLite allows 32,766; PostgreSQL 65,535).
_CHUNK = 900


def _in(conn: Connection, head: str, chunk: list[int]) -> Any:
    """Run `head` + a membership test of `hash` in `chunk` as plain driver SQL:
    compiling an IN of 900 bound values per statement cost more than the lookups."""
    if conn.dialect.name == "sqlite":
        return conn.exec_driver_sql(f"{head} IN ({','.join('?' * len(chunk))})", tuple(chunk))
    return conn.exec_driver_sql(f"{head} = ANY(%s)", (chunk,))


def showers(conn: Connection, hashes: Iterable[int]) -> dict[int, set[tuple[str, str]]]:
    """For each hash shown anywhere: the (article, kind) rows showing it (names, which
    count for every article whoever lists them, with article '')."""
    wanted = list(set(hashes))
    out: dict[int, set[tuple[str, str]]] = {}
    head = (
        "SELECT DISTINCT hash, CASE WHEN kind = 'n' THEN '' ELSE article_id END, kind "
        "FROM shown_runs WHERE hash"
    )
    for i in range(0, len(wanted), _CHUNK):
        for h, aid, kind in _in(conn, head, wanted[i : i + _CHUNK]).fetchall():
            out.setdefault(h, set()).add((aid, kind))
    return out


def holders(conn: Connection, hashes: Iterable[int]) -> set[str]:
    """Articles whose text holds a run found by one of these hashes (`TextRuns.probe`)."""
    wanted = list(set(hashes))
    found: set[str] = set()
    head = "SELECT DISTINCT article_id FROM text_runs WHERE hash"
    for i in range(0, len(wanted), _CHUNK):
        found.update(r[0] for r in _in(conn, head, wanted[i : i + _CHUNK]).fetchall())
    return found


def holding(conn: Connection, value: str) -> set[str]:
    """Articles whose text holds a countable run of `value` (a composed statement):
    found through the text-runs index, so any stored text is checked, not only the
    neighbours of the article the wording was built from."""
    if next(windows(value), None) is None:
        return set()
    return holders(conn, probe_hashes(value))


def holding_many(conn: Connection, values: Iterable[str]) -> dict[str, set[str]]:
    """`holding` of many statements in a few queries (a page checks up to ~150): the
    same articles for each, from one look-up of all their probes."""
    probes = {v: probe_hashes(v) for v in dict.fromkeys(values) if is_text(v)}
    wanted = list(set().union(*probes.values())) if probes else []
    found: dict[int, set[str]] = {}
    head = "SELECT DISTINCT hash, article_id FROM text_runs WHERE hash"
    for i in range(0, len(wanted), _CHUNK):
        for h, aid in _in(conn, head, wanted[i : i + _CHUNK]).fetchall():
            found.setdefault(h, set()).add(aid)
    out = {v: set().union(*(found.get(h, set()) for h in hs)) for v, hs in probes.items()}
    return {v: out.get(v, set()) for v in dict.fromkeys(values)}


def scope(
    conn: Connection, changed: Sequence[str], records: dict[str, Record], runs: Runs
) -> set[str]:
    """The articles the pass must hold in memory to weigh `changed` exactly: these,
    the articles whose sets show runs of their texts (pieces that may have to go),
    and the articles holding a run that a candidate piece would newly show."""
    import numpy as np

    pending = set(changed)
    out = set(changed)
    mine = {aid: runs.of(aid, rec.article.text) for aid, rec in records.items()}
    shown = showers(conn, (h for found in mine.values() for h in found.hashes.tolist()))
    by_others: set[int] = set()
    for h, who in shown.items():
        for aid, kind in who:
            if kind != NAME and aid not in pending:
                out.add(aid)
            if kind == NAME or aid not in pending:
                by_others.add(h)
    known = np.array(sorted(by_others), dtype=np.int64)
    probes: set[int] = set()
    for aid, rec in records.items():
        found = mine[aid]
        cand = np.zeros(len(rec.article.text) + 1, dtype=np.int64)  # where pieces may reach
        for a, b in candidate_spans(rec):
            cand[a:b] = 1
        inside = np.concatenate([[0], np.cumsum(cand)])
        covered = inside[found.starts + found.sizes] - inside[found.starts] == found.sizes
        fresh = covered & ~np.isin(found.hashes, known)
        probes.update(found.probe[fresh].tolist())
        title = rec.article.title
        if title and loose.loose(title, rec.article.text):  # every text its runs may reveal
            probes.update(TextRuns(title).probe.tolist())
    return out | holders(conn, probes)


def external(
    conn: Connection, texts: dict[str, str], inside: set[str], runs: Runs
) -> dict[str, list[Span]]:
    """Offsets of each text that names, and the sets of articles outside `inside`,
    already show (the pass weighs the sets of `inside` itself)."""
    import numpy as np

    found = {aid: runs.of(aid, text) for aid, text in texts.items()}
    wanted = set().union(*(f.hashes.tolist() for f in found.values())) if found else set()
    shown = np.array(sorted(_shown_outside(conn, wanted, inside)), dtype=np.int64)
    out: dict[str, list[Span]] = {}
    for aid, each in found.items():
        hit = np.isin(each.hashes, shown)
        if hit.any():
            starts = each.starts[hit].tolist()
            ends = (each.starts[hit] + each.sizes[hit]).tolist()
            out[aid] = list(zip(starts, ends, strict=True))
    return out


def _shown_outside(conn: Connection, hashes: set[int], inside: set[str]) -> set[int]:
    """The hashes shown by a name, or by the set of an article outside `inside`."""
    wanted, ids = list(hashes), sorted(inside)
    found: set[int] = set()
    step = max(100, _CHUNK - len(ids)) if conn.dialect.name == "sqlite" else _CHUNK
    for i in range(0, len(wanted), step):
        chunk = wanted[i : i + step]
        if conn.dialect.name == "sqlite":
            marks = ",".join("?" * len(chunk))
            others = ",".join("?" * len(ids)) or "''"
            sql = (
                f"SELECT DISTINCT hash FROM shown_runs WHERE hash IN ({marks})"
                f" AND (kind = 'n' OR article_id NOT IN ({others}))"
            )
            rows = conn.exec_driver_sql(sql, (*chunk, *ids))
        else:
            sql = (
                "SELECT DISTINCT hash FROM shown_runs WHERE hash = ANY(%s)"
                " AND (kind = 'n' OR NOT (article_id = ANY(%s)))"
            )
            rows = conn.exec_driver_sql(sql, (chunk, ids))
        found.update(r[0] for r in rows.fetchall())
    return found
