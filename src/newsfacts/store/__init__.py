"""Storage of articles, entities and facts: SQLite + FTS5 by default, PostgreSQL too.

    from newsfacts.store import Store
    with Store.open() as store:          # None → $NEWSFACTS_DB → ./newsfacts.db
        store.save(record, fingerprint=band_keys)
        store.facts(type="meeting", country="KZ")

`Store.open(db)` takes a path (SQLite), `:memory:`, or a URL (`postgresql://…`,
`postgres://…` and `postgresql+psycopg://…` all use psycopg 3) and applies the
Alembic migrations in `store/migrations/` when the schema is behind.

The API (all dates are ISO strings; a period "2021" means the whole year):

- `has_article(id) -> bool`; `extractor_version(id) -> str | None`
- `save(record, *, fingerprint=(), duplicate_of=None, origin=None) -> bool`: one
  transaction; False when stored with the same or a newer extractor version; an
  older version's entities and facts are replaced. Bad records raise `StoreError`.
- `batch(size=200)`: context manager grouping saves into few commits (bulk loads).
- `delete_article(id) -> bool`: the article and everything extracted from it.
- `near_duplicate_candidates(keys) -> list[str]`: ids sharing a band key.
- `get_record(id) -> Record | None`, `get_article(id) -> Article | None`,
  `get_article_meta(id) -> dict | None` (columns but text: origin, duplicate_of…).
- `list_articles(source, date_from, date_to, entity_key, fact_type, limit, offset)`
  → cards {id, title, source, url, published, extractor_version, duplicate_of,
  ingested_at, policy, facts (count)}, newest first.
- `search_articles(query, limit) -> [article hit]`: only the "articles" part of `search`;
  `search_article_ids(query, limit) -> [id]`: only their ids, in the same order.
- `search(query, limit) -> {"articles": [{id, title, snippet, published, source,
  url}], "entities": [{entity_key, name, type, articles}], "facts": [fact]}`.
  Any query string is safe; snippets never exceed the source's `max_share`.
- `facts(type, entity_key, country, period_from, period_to, limit, offset)` → fact
  dicts {id "article:seq", article_id, seq, type, args (ids as stored), args_named
  (ids → names), entities {"E1": {name, type, entity_key}}, modality, confidence,
  extractor, extractor_version, period [start, end], evidence [[start, end]],
  article {id, url, title, published, source, policy}}.
- `get_entity(entity_key)` → {entity_key, name, type, subtype, code, country,
  aliases, articles [card], facts [fact + roles], positions [{position, where,
  where_key, phase, article_id, url, title, published, evidence}] by date}.
- `quantity_series(indicator, subjects)` → [{indicator, subjects (names),
  subject_keys, period, value, unit, qualifier, change, fact_id, evidence, article}].
- `meeting_edges(period_from, period_to)` → [{source, target, source_name,
  target_name, count, articles}].
- `grant_permission(source)`, `revoke_permission(source)` → bool (changed);
  `has_permission(source) -> bool`; `permissions()` → [{source, granted_at}].
- `iter_facts_for_export()` → fact dicts plus "url"; `stats()` → flat counts;
  `fact_type_counts()`.

Near-duplicates (`duplicate_of` set) are readable by id (`get_*`, `has_article`)
and counted in `stats()`, but listing, search and fact queries skip them unless
called with `include_duplicates=True`.

Entity keys (`entity_key(entity)`): "location:IT" for coded countries, else
"<type>:<folded name>" ("person:ерболат досаев"). The tables in `schema.py` are
part of the contract too (the API queries them directly).
"""

from newsfacts.store.keys import entity_key, fold
from newsfacts.store.store import Store, StoreError, database_url

__all__ = ["Store", "StoreError", "database_url", "entity_key", "fold"]
