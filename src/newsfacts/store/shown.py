"""What the quotable sets show, and where each run of text occurs, as hashed runs.

The cross-article pass (`store.quotable.reconcile`) needs two answers for a changed
article A, at any store size (issue 12):

- which runs of A's text other articles' sets and entity names already show (and
  which articles' sets show them: those pieces may have to go to make room for A);
- which stored texts a piece A may show would reveal (retellings, and a sentence
  shared by otherwise different stories).

Only *shown* text can reveal anything, so the first is a lookup of A's countable
runs (`verbatim.windows`) in `shown_runs`, a 64-bit hash of every run every set and
every long name shows. The second looks up, in `text_runs`, only the runs of A's
candidate pieces that nothing shows yet: a run already shown costs no article
anything more. Both are indexed IN lookups, a few milliseconds per article; the
pass then weighs A exactly against the texts found (`policy.overlap.SharedText`).
Memory and time per changed article grow with its text and its neighbours, not with
the store. A hash collision can only add a neighbour or count a run as shown for
the article's own exposure, never hide one, except in telling a run "already
shown" (1 in 2^64 per run pair).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.model import Record
from newsfacts.policy import title as loose
from newsfacts.policy.choose import candidate_spans
from newsfacts.policy.runhash import code_points, hash_table, run_hash, run_hashes
from newsfacts.policy.verbatim import (
    LONG_RUN,
    MIN_RUN,
    Span,
    is_text,
    merge,
    window_starts,
    windows,
)
from newsfacts.store import textruns
from newsfacts.store.runrows import insert_runs as _insert
from newsfacts.store.schema import articles, entities, quotable, shown_runs, text_run_sets
from newsfacts.store.titleruns import TITLE, title_hashes

PIECE, NAME = "p", "n"  # and TITLE ('t', `store.titleruns`): rows as a piece's
# Parameters per statement (SQLite allows 32,766; PostgreSQL 65,535).
_CHUNK = 900
# A 20-character run holding a countable 12-character one at these offsets (its
# neighbours inside too, so countable in any text holding the 20) is found by that one.
_INSIDE = range(1, LONG_RUN - MIN_RUN)
# Strings shorter than this are hashed run by run in plain Python.
_VECTOR_FROM = 80


def text_runs(text: str) -> list[tuple[int, int, int]]:
    """(start, size, hash) of every countable run of `text`, in `windows` order."""
    import numpy as np

    cps, short, long = window_starts(text)
    table = hash_table(cps.astype(np.int64), (MIN_RUN, LONG_RUN))
    out: list[tuple[int, int, int]] = []
    for size, starts in ((MIN_RUN, short), (LONG_RUN, long)):
        if len(starts):
            hashes = table[size][starts]
            out += zip(starts.tolist(), [size] * len(starts), hashes.tolist(), strict=True)
    return out


def _hashes(value: str, spans: Iterable[Span], table: dict[int, Any] | None = None) -> set[int]:
    """The hashes of the runs each span of `value` shows (runs of the shown string,
    as a reader meets them: touching spans as one stretch, their joint's runs too),
    hashed over `value` at once (`table`: that hashing, done already by `TextRuns`)."""

    spans = [s for s in merge(s for s in spans if s[1] > s[0]) if s[1] - s[0] >= MIN_RUN]
    if not spans:
        return set()
    if len(value) < _VECTOR_FROM:  # a name, a short title: numpy's set-up costs more
        return {
            run_hash(value[a + i : a + i + n]) for a, b in spans for i, n in windows(value[a:b])
        }
    if table is None:
        table = hash_table(code_points(value), (MIN_RUN, LONG_RUN))
    out: set[int] = set()
    for a, b in spans:
        for i, size in windows(value[a:b]):
            out.add(int(table[size][a + i]))
    return out


def refresh(
    conn: Connection,
    ids: Sequence[str],
    runs: Runs | None = None,
    indexed: Collection[str] = (),
) -> None:
    """Rewrite the shown runs of `ids` from their stored sets and entity names (sets
    written by any path: `write_set`, the bulk saver, a rebuild), and their text runs;
    except `indexed`: new articles whose text and shown runs the bulk saver wrote
    with them (`index_new`), unchanged since."""
    skip = set(indexed)
    ids = [aid for aid in dict.fromkeys(ids) if aid not in skip]
    show(conn, ids)
    _index_texts(conn, ids, runs)


def show(conn: Connection, ids: Sequence[str], runs: Runs | None = None) -> None:
    """Rewrite the shown runs of `ids`: their stored sets' pieces and their names
    (`runs`: texts hashed already, reused where the stored text is the same)."""
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        conn.execute(shown_runs.delete().where(shown_runs.c.article_id.in_(chunk)))
        rows: list[tuple[Any, ...]] = []
        query = (
            sa.select(articles.c.id, articles.c.text, articles.c.title, quotable.c.pieces)
            .select_from(articles.outerjoin(quotable, quotable.c.article_id == articles.c.id))
            .where(articles.c.id.in_(chunk))
        )
        for r in conn.execute(query):
            table = runs.table(r.id, r.text) if runs is not None else None
            rows += set_rows(r.id, r.text, r.title, r.pieces, table)
        names: dict[str, set[str]] = {}
        query = sa.select(entities.c.article_id, entities.c.name, entities.c.entity_key)
        for r in conn.execute(query.where(entities.c.article_id.in_(chunk))):
            names.setdefault(r.article_id, set()).update({r.name, r.entity_key.split(":", 1)[-1]})
        hashed: dict[str, set[int]] = {}  # a name recurs across articles: hashed once
        for aid, found in names.items():
            rows += name_rows(aid, found, hashed)
        _insert(conn, "shown_runs", rows)


def set_rows(
    aid: str, text: str, title: str | None, pieces: str | None, table: Any = None
) -> list[tuple[Any, ...]]:
    """The `shown_runs` rows of what article `aid`'s set shows: its pieces' runs of
    `text` and its title's (`pieces`: the set as stored, JSON; `table`: `text`'s
    runs hashed already, if any)."""
    spans = [(int(p[1]), int(p[2])) for p in json.loads(pieces or "[]")]
    rows = _rows(aid, PIECE, _hashes(text, [s for s in spans if s[1] > s[0]], table))
    return rows + _rows(aid, TITLE, title_hashes(title, pieces))


def name_rows(
    aid: str, names: set[str], hashed: dict[str, set[int]] | None = None
) -> list[tuple[Any, ...]]:
    """The `shown_runs` rows of the entity names article `aid` shows (`hashed`: names
    hashed already, filled in as it goes; a name recurs across articles)."""
    if not names:
        return []
    hashed = {} if hashed is None else hashed
    for n in names - hashed.keys():
        hashed[n] = _hashes(n, [(0, len(n))])
    return _rows(aid, NAME, set().union(*(hashed[n] for n in names)))


def index_new(conn: Connection, texts: dict[str, str]) -> None:
    """Write the text and shown runs of articles just inserted with their sets
    (none stored yet): the bulk saver does it in the articles' own transaction,
    outside the cross-article pass and its lock, so parallel loaders hash and write
    their own articles' runs at the same time."""
    runs = Runs()  # each text hashed once, for its shown runs and its text runs
    found = {
        aid: runs.of(aid, text).findable for aid, text in texts.items() if len(text) >= MIN_RUN
    }
    show(conn, list(texts), runs)
    textruns.write(conn, found)


def _index_texts(conn: Connection, ids: list[str], runs: Runs | None) -> None:
    """Rewrite the text runs of `ids`, and add those of any article without them (a
    process stopped between saving and this pass)."""
    given = runs is not None
    query = sa.select(articles.c.id).where(
        ~sa.exists().where(text_run_sets.c.article_id == articles.c.id),
        sa.func.length(articles.c.text) >= MIN_RUN,
    )
    todo = list(dict.fromkeys([*ids, *conn.execute(query).scalars()]))
    for i in range(0, len(todo), _CHUNK):
        chunk = todo[i : i + _CHUNK]
        runs = runs or Runs()  # a pass's own cache, else one per chunk (memory)
        textruns.remove(conn, chunk)
        found = {
            aid: runs.of(aid, text).findable
            for aid, text in conn.execute(
                sa.select(articles.c.id, articles.c.text).where(articles.c.id.in_(chunk))
            )
        }
        textruns.write(conn, found)
        if not given:
            runs = None


def store_pieces(conn: Connection, aid: str, text: str, spans: Iterable[Span]) -> None:
    """Replace what `aid`'s set shows (its names stay)."""
    conn.execute(
        shown_runs.delete().where(shown_runs.c.article_id == aid, shown_runs.c.kind == PIECE)
    )
    _insert(conn, "shown_runs", _rows(aid, PIECE, _hashes(text, spans)))


def store_many(conn: Connection, pieces: dict[str, tuple[str, list[Span]]]) -> None:
    """`store_pieces` for many articles: {id: (text, spans)}."""
    if not pieces:
        return
    ids = list(pieces)
    conn.execute(
        shown_runs.delete().where(shown_runs.c.article_id.in_(ids), shown_runs.c.kind == PIECE)
    )
    rows: list[tuple[Any, ...]] = []
    for aid, (text, spans) in pieces.items():
        rows += _rows(aid, PIECE, _hashes(text, spans))
    _insert(conn, "shown_runs", rows)


def _rows(aid: str, kind: str, hashes: set[int]) -> list[tuple[int, str, str]]:
    return [(h, aid, kind) for h in hashes]


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


def probe_hashes(value: str) -> list[int]:
    """`TextRuns(value).probe` as a list; a short string (a statement, ~40 characters)
    in plain Python, where numpy's set-up cost ~250 µs a statement (issue 13)."""
    if len(value) >= _VECTOR_FROM:
        return list(TextRuns(value).probe.tolist())
    found = list(windows(value))
    short = {i for i, n in found if n == MIN_RUN}
    runs = [(i, n) for i, n in found if n == MIN_RUN]
    for i, n in found:
        if n == LONG_RUN:  # probed by the nearest countable 12 inside, as `TextRuns`
            inner = next((i + d for d in _INSIDE if i + d in short), None)
            runs.append((inner, MIN_RUN) if inner is not None else (i, LONG_RUN))
    return run_hashes(value, runs)


class TextRuns:
    """The countable runs of one text as numpy arrays: start, size and hash of each,
    the hash it is found by in `text_runs` (`probe`: a 20-character run's countable
    12 strictly inside, if any, whose neighbours are inside too), and the hashes the
    text is stored under (`findable`: its 12s, and its 20s without such a 12)."""

    def __init__(self, text: str) -> None:
        import numpy as np

        cps, short, long = window_starts(text)
        self.text = text
        self.table = hash_table(cps.astype(np.int64), (MIN_RUN, LONG_RUN))
        h12, h20 = self.table[MIN_RUN], self.table[LONG_RUN]
        self.starts = np.concatenate([short, long]).astype(np.int64)
        self.sizes = np.concatenate(
            [np.full(len(short), MIN_RUN), np.full(len(long), LONG_RUN)]
        ).astype(np.int64)
        self.hashes = np.concatenate([h12[short], h20[long]]).astype(np.int64)
        is_short = np.zeros(len(text) + LONG_RUN, dtype=bool)
        is_short[short] = True
        inner = np.full(len(long), -1, dtype=np.int64)
        for d in reversed(_INSIDE):  # the nearest one wins
            inner[is_short[long + d]] = long[is_short[long + d]] + d
        has = inner >= 0
        own = h20[long]
        self.probe = np.concatenate([h12[short], np.where(has, h12[np.maximum(inner, 0)], own)])
        self.findable = set(h12[short].tolist()) | set(own[~has].tolist())


class Runs:
    """Each text's `TextRuns`, computed once per pass."""

    def __init__(self) -> None:
        self._runs: dict[str, TextRuns] = {}

    def of(self, aid: str, text: str) -> TextRuns:
        found = self._runs.get(aid)
        if found is None:
            found = self._runs[aid] = TextRuns(text)
        return found

    def table(self, aid: str, text: str) -> dict[int, Any] | None:
        """The hashes of every run of `text` if `aid`'s was hashed already as is."""
        found = self._runs.get(aid)
        return found.table if found is not None and found.text == text else None


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
