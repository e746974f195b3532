"""The article's date copied onto the KB rows that carry it (`kb_links.published`,
`kb_event_sources.published`), kept equal in the transaction that writes the article.

Those copies let a page read an entity's or an event's earliest rows from a
(kb id | event, published) index range with a LIMIT, instead of joining every row
of a popular entity to `articles` and sorting them by the article's date (1.0 s for
«Россия» at 200,000 articles, issue 13). That order is the article's date only
while every copy equals it. The KB writes the copies from the article row when it
links or indexes an article (same transaction), and 0003/0004 back-filled them; an
article's date changes in the store only when its row is written: a re-extraction
(`save` of a newer extractor version) updates the row, and an article deleted and
stored again is inserted anew while its old KB rows wait for `kb.sync` (same
extractor version and names: sync may never relink it). Both writers call
`copy_dates` right after the row, so the copies follow at once.

Rows already equal are not rewritten (`IS DISTINCT FROM`): a re-extraction rarely
changes the date, and a fresh article has no KB rows, so loads write nothing more
and take no extra row locks.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from newsfacts.store.schema import articles

_CHUNK = 500  # article ids per IN (...)
# Created by migrations 0002/0003/0004 and defined in `kb.tables`; the store layer
# names only the two columns it writes.
_COPIES = tuple(
    sa.table(name, sa.column("article_id"), sa.column("published"))
    for name in ("kb_links", "kb_event_sources")
)


def copy_dates(conn: Connection, article_ids: Sequence[str]) -> None:
    """Set the KB rows of `article_ids` to their article's stored date; call after
    inserting or updating those article rows, in the same transaction."""
    ids = sorted(set(article_ids))
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        for table in _COPIES:
            date = (
                sa.select(articles.c.published)
                .where(articles.c.id == table.c.article_id)
                .scalar_subquery()
            )
            conn.execute(
                table.update()
                .where(table.c.article_id.in_(chunk), table.c.published.is_distinct_from(date))
                .values(published=date)
            )
