"""Which of some texts may hold a run of a statement that `runlookup.holding` cannot see.

The wording check (`QuoteBudget.wording_reveals`) tests a page's statement on the
fact's article, on its neighbours (retellings sharing text) and on every text the
text-runs index says holds a run of the statement. A neighbour the index does not
name holds none of the statement's runs, and the statement cannot reveal it, with
two exceptions, which this look-up returns so the check still loads and tests them:

- a text without rows in `text_runs` (saved by a process stopped before its pass;
  `text_run_sets` lists the articles that have them, `store.textruns`);
- a text holding a run that starts or ends with a hyphen (`verbatim.hyphen_edged`),
  found here by its characters (`instr` / `strpos`), not by its hash.

Skipping the others keeps a dossier from loading ~600 neighbours to find that none
holds the statement (issue 13); the verdicts are the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Connection

_CHUNK = 500  # ids per statement: far below any bind-parameter cap


def unseen(conn: Connection, ids: Sequence[str], strings: Sequence[str] = ()) -> set[str]:
    """The stored articles among `ids` without indexed runs or whose text contains
    one of `strings` (exactly, case and all).

    Plain driver SQL: a page asks up to a few hundred times, and building the
    statement in SQLAlchemy cost several times the look-up (3 ms against 0.4 ms)."""
    strings = list(dict.fromkeys(strings))
    sqlite = conn.dialect.name == "sqlite"
    find = "instr(text, {}) > 0" if sqlite else "strpos(text, {}) > 0"
    mark = "?" if sqlite else "%s"
    tests = ["NOT EXISTS (SELECT 1 FROM text_run_sets s WHERE s.article_id = articles.id)"]
    tests += [find.format(mark)] * len(strings)
    wanted = list(dict.fromkeys(ids))
    out: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        chunk = wanted[i : i + _CHUNK]
        among = f"id IN ({','.join('?' * len(chunk))})" if sqlite else "id = ANY(%s)"
        sql = f"SELECT id FROM articles WHERE {among} AND ({' OR '.join(tests)})"
        params = (*chunk, *strings) if sqlite else (chunk, *strings)
        out.update(r[0] for r in conn.exec_driver_sql(sql, params).fetchall())
    return out
